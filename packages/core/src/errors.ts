// The error catalogue: every refusal Plinth makes has a code here, with typed data the client
// can act on. Both transports map codes in this one file: TRPC_CODE (tRPC error codes, hence
// HTTP statuses on /api/trpc) and PROBLEM (HTTP status, RFC 9457 problem `type` and title for
// the public gateway's application/problem+json). No transport is imported: the tRPC adapter
// checks TRPC_CODE against tRPC's own code list (packages/trpc/src/trpc.ts).
// Feature, limit, meter and plan keys are strings here: modules declare them
// (plinth.config.ts types each preset's plans by them).

/** What the UI needs to offer an upgrade instead of a bare 403. */
export interface UpgradeOffer {
  planKey: string;
  planName: string;
}

/** Why writes are refused while reads keep working (resolved with the entitlements). */
export type ReadOnlyReason = "TRIAL_EXPIRED" | "PAYMENT_OVERDUE" | "SUBSCRIPTION_INACTIVE";

export type AppErrorData =
  | { code: "NOT_FOUND"; resource: string }
  | { code: "UNAUTHENTICATED" }
  | { code: "ACCOUNT_DISABLED" }
  | { code: "FORBIDDEN_ROLE"; requiredRole: "OWNER" | "ADMIN" | "SUPER_ADMIN" }
  | {
      code: "FEATURE_NOT_IN_PLAN";
      feature: string;
      currentPlan: string;
      upgrade: UpgradeOffer | null;
    }
  | {
      code: "PLAN_LIMIT_REACHED";
      limit: string;
      current: number;
      max: number;
      currentPlan: string;
      upgrade: UpgradeOffer | null;
    }
  | {
      code: "QUOTA_EXCEEDED";
      meter: string;
      /** The meter as its module declares it ("AI tasks"): what a UI shows. */
      meterLabel: string;
      used: number;
      included: number;
      currentPlan: string;
      upgrade: UpgradeOffer | null;
    }
  | {
      code: "READ_ONLY";
      reason: ReadOnlyReason;
      currentPlan: string;
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
  | { code: "EMAIL_NOT_VERIFIED" }
  /** An API key without the scope the route or procedure declares. */
  | { code: "INSUFFICIENT_SCOPE"; requiredScope: string }
  /** An API key where only signed-in users may call (procedures without an API scope). */
  | { code: "API_KEY_NOT_ALLOWED" }
  /** Idempotency-Key reused with a different request. */
  | { code: "IDEMPOTENCY_KEY_REUSED" }
  /** Idempotency-Key of a request still being answered. */
  | { code: "IDEMPOTENCY_KEY_IN_USE" }
  /** Input that passed its schema but not a check only the service can make (a template's placeholders). */
  | { code: "INVALID_INPUT"; field: string; reason: string }
  /** A document (test definition, import) that does not match its schema: one line per issue. */
  | { code: "INVALID_DEFINITION"; issues: string[] }
  /** A third party we depend on (a payment provider) is unreachable or failing: retry later. */
  | { code: "PROVIDER_UNAVAILABLE"; provider: string }
  /** Every database connection is busy (a burst): nothing was done, retry after a moment. */
  | { code: "SERVICE_BUSY"; retryAfterSeconds: number }
  /** A consent the action needs is missing or for an older text (recording before practice). */
  | { code: "CONSENT_REQUIRED"; kind: "TERMS" | "RECORDING" | "MARKETING"; version: string };

/** Why an invitation token cannot be used (unknown covers garbage and purged tokens). */
export type InvitationInvalidReason = "unknown" | "expired" | "revoked" | "used";

export type AppErrorCode = AppErrorData["code"];

/** The tRPC codes the catalogue uses (a subset of tRPC's TRPC_ERROR_CODE_KEY). */
export type TrpcErrorCode =
  | "NOT_FOUND"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "TOO_MANY_REQUESTS"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "UNPROCESSABLE_CONTENT"
  | "BAD_REQUEST"
  | "SERVICE_UNAVAILABLE";

export const TRPC_CODE: Record<AppErrorCode, TrpcErrorCode> = {
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
  INSUFFICIENT_SCOPE: "FORBIDDEN",
  API_KEY_NOT_ALLOWED: "FORBIDDEN",
  IDEMPOTENCY_KEY_REUSED: "UNPROCESSABLE_CONTENT",
  IDEMPOTENCY_KEY_IN_USE: "CONFLICT",
  INVALID_INPUT: "BAD_REQUEST",
  INVALID_DEFINITION: "UNPROCESSABLE_CONTENT",
  PROVIDER_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  SERVICE_BUSY: "SERVICE_UNAVAILABLE",
  CONSENT_REQUIRED: "PRECONDITION_FAILED",
};

/** An HTTP answer to a refusal: RFC 9457 problem details (the gateway, issue 12). */
export interface ProblemType {
  status: number;
  /** `https://plinth.dev/problems/<kebab-code>`: stable, one per code. */
  type: string;
  title: string;
}

const problem = (status: number, code: AppErrorCode, title: string): ProblemType => ({
  status,
  type: `https://plinth.dev/problems/${code.toLowerCase().replaceAll("_", "-")}`,
  title,
});

export const PROBLEM: { [C in AppErrorCode]: ProblemType } = {
  NOT_FOUND: problem(404, "NOT_FOUND", "Not found"),
  UNAUTHENTICATED: problem(401, "UNAUTHENTICATED", "Authentication required"),
  ACCOUNT_DISABLED: problem(401, "ACCOUNT_DISABLED", "Account disabled"),
  FORBIDDEN_ROLE: problem(403, "FORBIDDEN_ROLE", "Role required"),
  FEATURE_NOT_IN_PLAN: problem(403, "FEATURE_NOT_IN_PLAN", "Feature not in plan"),
  PLAN_LIMIT_REACHED: problem(403, "PLAN_LIMIT_REACHED", "Plan limit reached"),
  QUOTA_EXCEEDED: problem(429, "QUOTA_EXCEEDED", "Quota exceeded"),
  READ_ONLY: problem(403, "READ_ONLY", "Organization is read-only"),
  CONFLICT: problem(409, "CONFLICT", "Conflict"),
  INVALID_STATE: problem(412, "INVALID_STATE", "Precondition failed"),
  RATE_LIMITED: problem(429, "RATE_LIMITED", "Too many requests"),
  INVITATION_INVALID: problem(400, "INVITATION_INVALID", "Invitation not valid"),
  INVITATION_EMAIL_MISMATCH: problem(
    403,
    "INVITATION_EMAIL_MISMATCH",
    "Invitation address mismatch",
  ),
  ALREADY_MEMBER: problem(409, "ALREADY_MEMBER", "Already a member"),
  LAST_OWNER: problem(412, "LAST_OWNER", "Last owner"),
  INVALID_TOKEN: problem(400, "INVALID_TOKEN", "Link not valid"),
  WRONG_PASSWORD: problem(400, "WRONG_PASSWORD", "Wrong password"),
  EMAIL_NOT_VERIFIED: problem(403, "EMAIL_NOT_VERIFIED", "Email not verified"),
  INSUFFICIENT_SCOPE: problem(403, "INSUFFICIENT_SCOPE", "API key scope missing"),
  API_KEY_NOT_ALLOWED: problem(403, "API_KEY_NOT_ALLOWED", "Not available to API keys"),
  IDEMPOTENCY_KEY_REUSED: problem(422, "IDEMPOTENCY_KEY_REUSED", "Idempotency key reused"),
  IDEMPOTENCY_KEY_IN_USE: problem(409, "IDEMPOTENCY_KEY_IN_USE", "Request in progress"),
  INVALID_INPUT: problem(400, "INVALID_INPUT", "Invalid input"),
  INVALID_DEFINITION: problem(422, "INVALID_DEFINITION", "Invalid definition"),
  PROVIDER_UNAVAILABLE: problem(503, "PROVIDER_UNAVAILABLE", "Provider unavailable"),
  SERVICE_BUSY: problem(503, "SERVICE_BUSY", "Busy"),
  CONSENT_REQUIRED: problem(412, "CONSENT_REQUIRED", "Consent required"),
};

export class AppError extends Error {
  readonly data: AppErrorData;
  /** `options.cause`: the underlying failure, for the server log (never sent to a client). */
  constructor(data: AppErrorData, message?: string, options?: ErrorOptions) {
    super(message ?? defaultMessage(data), options);
    this.name = "AppError";
    this.data = data;
  }
  get trpcCode(): TrpcErrorCode {
    return TRPC_CODE[this.data.code];
  }
  get problem(): ProblemType {
    return PROBLEM[this.data.code];
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
      return `Your plan's ${data.meterLabel} quota for this period is used up`;
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
    case "INSUFFICIENT_SCOPE":
      return `This API key lacks the ${data.requiredScope} scope`;
    case "API_KEY_NOT_ALLOWED":
      return "API keys cannot call this: sign in instead";
    case "IDEMPOTENCY_KEY_REUSED":
      return "This Idempotency-Key was used with a different request";
    case "IDEMPOTENCY_KEY_IN_USE":
      return "A request with this Idempotency-Key is still being answered: retry later";
    case "INVALID_INPUT":
      return `${data.field}: ${data.reason}`;
    case "INVALID_DEFINITION":
      return `Invalid definition: ${data.issues.slice(0, 5).join("; ")}`;
    case "PROVIDER_UNAVAILABLE":
      return `${data.provider} cannot be reached right now: nothing was changed, try again shortly`;
    case "SERVICE_BUSY":
      return `Too busy right now: nothing was changed, try again in ${data.retryAfterSeconds} s`;
    case "CONSENT_REQUIRED":
      return data.kind === "RECORDING"
        ? "Agree to your practice sessions being recorded before you start one"
        : `Your ${data.kind.toLowerCase()} consent (version ${data.version}) is needed first`;
  }
}
