// application/problem+json (RFC 9457) answers. Every refusal is an AppError of the core
// catalogue, answered with its HTTP map (PROBLEM: status, stable `type`, title); the typed
// data (upgrade offers, the meter and its use, …) follows as extension members. Input that
// fails its schema is a 400 with field errors; anything unexpected is a generic 500 with the
// request id — never the text of a database, library or runtime exception.
import { z } from "zod";
import { AppError } from "@plinth/core/errors";

const PROBLEM_CONTENT_TYPE = "application/problem+json";
const BASE = "https://plinth.dev/problems";

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** This request: `urn:uuid:<request id>` (also the x-request-id header). */
  instance: string;
  requestId: string;
  [extension: string]: unknown;
}

export function problemResponse(
  problem: ProblemDetails,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, "cache-control": "no-store", ...headers },
  });
}

function base(requestId: string) {
  return { instance: `urn:uuid:${requestId}`, requestId };
}

export function appErrorProblem(error: AppError, requestId: string): ProblemDetails {
  const { code, ...data } = error.data;
  const { status, type, title } = error.problem;
  return { type, title, status, detail: error.message, ...base(requestId), code, ...data };
}

export function validationProblem(
  error: z.core.$ZodError,
  requestId: string,
  where: string,
): ProblemDetails {
  return {
    type: `${BASE}/validation`,
    title: "Invalid request",
    status: 400,
    detail: `The request's ${where} is not valid`,
    ...base(requestId),
    code: "VALIDATION",
    fieldErrors: z.flattenError(error).fieldErrors,
  };
}

export function malformedProblem(requestId: string, detail: string): ProblemDetails {
  return {
    type: `${BASE}/malformed-request`,
    title: "Malformed request",
    status: 400,
    detail,
    ...base(requestId),
    code: "MALFORMED_REQUEST",
  };
}

export function unavailableProblem(requestId: string): ProblemDetails {
  return {
    type: `${BASE}/unavailable`,
    title: "Service unavailable",
    status: 503,
    detail: `Try again shortly (request id ${requestId})`,
    ...base(requestId),
    code: "UNAVAILABLE",
  };
}

export function internalProblem(requestId: string): ProblemDetails {
  return {
    type: `${BASE}/internal`,
    title: "Internal error",
    status: 500,
    detail: `Internal error (request id ${requestId})`,
    ...base(requestId),
    code: "INTERNAL",
  };
}

export function routeNotFoundProblem(requestId: string): ProblemDetails {
  return appErrorProblem(new AppError({ code: "NOT_FOUND", resource: "Route" }), requestId);
}
