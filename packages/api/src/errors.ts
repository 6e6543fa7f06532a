// The error catalogue: every refusal Plinth makes has a code here, with typed data the client
// can act on. Mapped to tRPC (and so HTTP) codes in exactly one place: TRPC_CODE below.
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import type { FeatureKey, LimitKey, MeterKey, PlanKey, ReadOnlyReason } from "@plinth/billing";

/** What the UI needs to offer an upgrade instead of a bare 403. */
export interface UpgradeOffer {
  planKey: PlanKey;
  planName: string;
}

export type AppErrorData =
  | { code: "NOT_FOUND"; resource: string }
  | { code: "UNAUTHENTICATED" }
  | { code: "ACCOUNT_DISABLED" }
  | { code: "FORBIDDEN_ROLE"; requiredRole: "OWNER" | "ADMIN" | "SUPER_ADMIN" }
  | {
      code: "FEATURE_NOT_IN_PLAN";
      feature: FeatureKey;
      currentPlan: PlanKey;
      upgrade: UpgradeOffer | null;
    }
  | {
      code: "PLAN_LIMIT_REACHED";
      limit: LimitKey;
      current: number;
      max: number;
      currentPlan: PlanKey;
      upgrade: UpgradeOffer | null;
    }
  | {
      code: "QUOTA_EXCEEDED";
      meter: MeterKey;
      used: number;
      included: number;
      currentPlan: PlanKey;
      upgrade: UpgradeOffer | null;
    }
  | {
      code: "READ_ONLY";
      reason: ReadOnlyReason;
      currentPlan: PlanKey;
      upgrade: UpgradeOffer | null;
    }
  | { code: "CONFLICT"; field: string }
  | { code: "INVALID_STATE"; detail: string }
  | { code: "RATE_LIMITED"; retryAfterSeconds: number }
  | { code: "INVITATION_INVALID"; reason: InvitationInvalidReason }
  | { code: "INVITATION_EMAIL_MISMATCH" }
  | { code: "ALREADY_MEMBER"; organizationSlug: string | null }
  | { code: "LAST_OWNER" }
  | {
      code: "INVALID_TOKEN";
      purpose: "EMAIL_VERIFICATION" | "PASSWORD_RESET";
      reason: "invalid" | "expired" | "used";
    }
  | { code: "WRONG_PASSWORD" }
  | { code: "EMAIL_NOT_VERIFIED" };

/** Why an invitation token cannot be used (unknown covers garbage and purged tokens). */
export type InvitationInvalidReason = "unknown" | "expired" | "revoked" | "used";

export type AppErrorCode = AppErrorData["code"];

const TRPC_CODE: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  NOT_FOUND: "NOT_FOUND",
  UNAUTHENTICATED: "UNAUTHORIZED",
  ACCOUNT_DISABLED: "UNAUTHORIZED",
  FORBIDDEN_ROLE: "FORBIDDEN",
  FEATURE_NOT_IN_PLAN: "FORBIDDEN",
  PLAN_LIMIT_REACHED: "FORBIDDEN",
  QUOTA_EXCEEDED: "TOO_MANY_REQUESTS",
  READ_ONLY: "FORBIDDEN",
  CONFLICT: "CONFLICT",
  INVALID_STATE: "PRECONDITION_FAILED",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  INVITATION_INVALID: "BAD_REQUEST",
  INVITATION_EMAIL_MISMATCH: "FORBIDDEN",
  ALREADY_MEMBER: "CONFLICT",
  LAST_OWNER: "PRECONDITION_FAILED",
  INVALID_TOKEN: "BAD_REQUEST",
  WRONG_PASSWORD: "BAD_REQUEST",
  EMAIL_NOT_VERIFIED: "FORBIDDEN",
};

export class AppError extends Error {
  readonly data: AppErrorData;
  constructor(data: AppErrorData, message?: string) {
    super(message ?? defaultMessage(data));
    this.name = "AppError";
    this.data = data;
  }
  get trpcCode(): TRPC_ERROR_CODE_KEY {
    return TRPC_CODE[this.data.code];
  }
}

export const notFound = (resource: string) => new AppError({ code: "NOT_FOUND", resource });

function defaultMessage(data: AppErrorData): string {
  switch (data.code) {
    case "NOT_FOUND":
      return `${data.resource} not found`;
    case "UNAUTHENTICATED":
      return "Sign in to continue";
    case "ACCOUNT_DISABLED":
      return "This account is disabled";
    case "FORBIDDEN_ROLE":
      return `Requires the ${data.requiredRole.toLowerCase().replace("_", " ")} role`;
    case "FEATURE_NOT_IN_PLAN":
      return `${data.feature} is not included in your plan`;
    case "PLAN_LIMIT_REACHED":
      return `Your plan allows ${data.max} ${data.limit}`;
    case "QUOTA_EXCEEDED":
      return `Your plan's ${data.meter} quota for this period is used up`;
    case "READ_ONLY":
      return data.reason === "TRIAL_EXPIRED"
        ? "Your trial has ended: choose a plan to make changes"
        : data.reason === "PAYMENT_OVERDUE"
          ? "Payment is overdue: update your payment method to make changes"
          : "Your subscription is not active: choose a plan to make changes";
    case "CONFLICT":
      return `That ${data.field} is already taken`;
    case "INVALID_STATE":
      return data.detail;
    case "RATE_LIMITED":
      return `Too many requests: try again in ${data.retryAfterSeconds} s`;
    case "INVITATION_INVALID":
      return data.reason === "expired"
        ? "This invitation has expired: ask for a new one"
        : data.reason === "revoked"
          ? "This invitation was revoked"
          : data.reason === "used"
            ? "This invitation has already been used"
            : "This invitation link is not valid";
    case "INVITATION_EMAIL_MISMATCH":
      return "This invitation was sent to a different email address: sign in with that address to accept it";
    case "ALREADY_MEMBER":
      return "Already a member of this organization";
    case "LAST_OWNER":
      return "An organization needs at least one owner: make someone else an owner first";
    case "INVALID_TOKEN": {
      const what = data.purpose === "PASSWORD_RESET" ? "password reset link" : "verification link";
      return data.reason === "expired"
        ? `This ${what} has expired: ask for a new one`
        : data.reason === "used"
          ? `This ${what} was already used or replaced by a newer one: ask for a new one`
          : `This ${what} is not valid: check that you copied it completely, or ask for a new one`;
    }
    case "WRONG_PASSWORD":
      return "Your current password is not correct";
    case "EMAIL_NOT_VERIFIED":
      return "Verify your email address first (we can send the link again from your account page)";
  }
}
