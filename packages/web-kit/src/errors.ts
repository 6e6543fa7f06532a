// Reading the typed error data (`appError`, `fieldErrors`) the API's errorFormatter adds — for
// the web app's pages and the modules' alike (a TRPCClientErrorLike of any of their routers).
import type { AppErrorData } from "@plinth/core/errors";

export interface ErrorLike {
  message: string;
  data?: {
    appError?: AppErrorData | null;
    fieldErrors?: Record<string, string[] | undefined> | null;
  } | null;
}

export function appErrorOf(error: ErrorLike | null | undefined): AppErrorData | null {
  return error?.data?.appError ?? null;
}

export function fieldErrorsOf(
  error: ErrorLike | null | undefined,
): Record<string, string[] | undefined> {
  return error?.data?.fieldErrors ?? {};
}

/** A refusal the UI answers with an upgrade prompt instead of an error message. */
export type UpgradeRefusal = Extract<
  AppErrorData,
  { code: "PLAN_LIMIT_REACHED" | "READ_ONLY" | "FEATURE_NOT_IN_PLAN" | "QUOTA_EXCEEDED" }
>;

export function upgradeRefusalOf(error: ErrorLike | null | undefined): UpgradeRefusal | null {
  const appError = appErrorOf(error);
  switch (appError?.code) {
    case "PLAN_LIMIT_REACHED":
    case "READ_ONLY":
    case "FEATURE_NOT_IN_PLAN":
    case "QUOTA_EXCEEDED":
      return appError;
    default:
      return null;
  }
}

const FEATURE_LABEL: Record<string, string> = {
  "team.invite": "Inviting teammates",
  sso: "Single sign-on",
  "audit.read": "The audit log",
  "api.access": "API access",
};
const LIMIT_LABEL: Record<string, string> = {
  projects: "Projects",
  seats: "Seats",
  apiKeys: "API keys",
};
// Meters need no map: a refusal carries the label its module declares (`meterLabel`).

/** The upgrade prompt's content (@plinth/ui's UpgradeOffer, without the link) for a refusal. */
export function upgradeOfferOf(refusal: UpgradeRefusal, planName: string) {
  return {
    reason: describeRefusal(refusal, planName),
    planName: refusal.upgrade?.planName ?? null,
    usage:
      refusal.code === "PLAN_LIMIT_REACHED"
        ? {
            current: refusal.current,
            max: refusal.max,
            label: LIMIT_LABEL[refusal.limit] ?? refusal.limit,
          }
        : refusal.code === "QUOTA_EXCEEDED"
          ? {
              current: refusal.used,
              max: refusal.included,
              label: refusal.meterLabel,
            }
          : null,
  };
}

export function describeRefusal(refusal: UpgradeRefusal, planName: string): string {
  switch (refusal.code) {
    case "PLAN_LIMIT_REACHED":
      return `Your ${planName} plan allows ${refusal.max} ${refusal.max === 1 ? singular(refusal.limit) : refusal.limit}, and you have ${refusal.current}.`;
    case "READ_ONLY":
      return refusal.reason === "TRIAL_EXPIRED"
        ? "Your trial has ended, so this organization is read-only."
        : refusal.reason === "PAYMENT_OVERDUE"
          ? "Payment is overdue, so this organization is read-only."
          : "Your subscription is not active, so this organization is read-only.";
    case "FEATURE_NOT_IN_PLAN":
      return `${FEATURE_LABEL[refusal.feature] ?? refusal.feature} is not included in your ${planName} plan.`;
    case "QUOTA_EXCEEDED":
      return `You have used all ${refusal.included.toLocaleString("en-US")} ${refusal.meterLabel.toLowerCase()} included this period.`;
  }
}

function singular(word: string): string {
  return word.endsWith("s") ? word.slice(0, -1) : word;
}
