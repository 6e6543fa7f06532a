// The voice-training module's public API routes (apps/gateway, /api/v1): companies that embed
// practice in their own tools start a session for one of their members (the answer carries a
// short-lived WebSocket ticket for the practice socket) and read it back with its transcript
// and feedback (after the end the worker finishes both: poll while a status is PENDING). Same services as the tRPC router, with the API key's organization scope.
import { z } from "zod";
import { WELL_FORMED_TEXT } from "@plinth/core/inputs";
import { defineHttpRoute, type HttpRoutes } from "@plinth/platform/http";
import { PRACTICE_WORK_STATUSES } from "./contract.ts";
import { voiceEnv } from "./env.ts";
import * as practice from "./service.ts";

const id = z
  .string()
  .max(25)
  .check(WELL_FORMED_TEXT)
  .regex(/^c[a-z0-9]{24}$/, "Not a valid id");
const iso = z.date().transform((date) => date.toISOString());
const isoOrNull = z
  .date()
  .nullable()
  .transform((date) => date?.toISOString() ?? null);

const feedback = z.object({
  revision: z.number(),
  provider: z.string(),
  offline: z.boolean(),
  overallScore: z.number().nullable(),
  talkTimeMs: z.number(),
  wordsPerMinute: z.number(),
  fillersPerMinute: z.number(),
  talkListenRatio: z.number().nullable(),
  questions: z.number(),
  skills: z.array(z.object({ id: z.string(), name: z.string(), score: z.number() })),
  summary: z.string(),
  createdAt: iso,
});

const session = z.object({
  id: z.string(),
  userId: z.string(),
  status: z.enum(["PENDING", "LIVE", "ENDED"]),
  endReason: z.enum(["USER", "SILENCE", "QUOTA", "DISCONNECT", "ERROR"]).nullable(),
  scenario: z.object({ id: z.string(), name: z.string() }),
  audioMs: z.number(),
  minutesCharged: z.number(),
  transcriptStatus: z
    .enum(PRACTICE_WORK_STATUSES)
    .nullable()
    .describe(
      "null until the session ends; PENDING while the transcript is being finished; then READY or FAILED",
    ),
  feedbackStatus: z
    .enum(PRACTICE_WORK_STATUSES)
    .nullable()
    .describe(
      "null until the session ends; PENDING until the feedback is stored (poll this route); then READY or FAILED",
    ),
  startedAt: isoOrNull,
  endedAt: isoOrNull,
  createdAt: iso,
  segments: z.array(
    z.object({
      seq: z.number(),
      speaker: z.enum(["TRAINEE", "PROSPECT"]),
      text: z.string(),
      startMs: z.number(),
      endMs: z.number(),
    }),
  ),
  feedback: feedback.nullable(),
});

export const routes: HttpRoutes = [
  defineHttpRoute({
    method: "POST",
    path: "/practice-sessions",
    summary: "Start a practice session for a member (answers a short-lived WebSocket ticket)",
    apiScope: "practice:write",
    write: true,
    successStatus: 201,
    body: z.object({ scenarioId: id, userId: id }),
    response: z.object({
      sessionId: z.string(),
      ticket: z.string(),
      ticketExpiresAt: iso,
      socketUrl: z.string(),
    }),
    handle: async (scope, { body }) => {
      const started = await practice.startSession(scope, body);
      return {
        sessionId: started.sessionId,
        ticket: started.ticket,
        ticketExpiresAt: started.ticketExpiresAt,
        socketUrl: voiceEnv().PRACTICE_SOCKET_URL,
      };
    },
  }),
  defineHttpRoute({
    method: "GET",
    path: "/practice-sessions/{id}",
    summary: "A practice session: status, transcript and its latest feedback",
    apiScope: "practice:read",
    write: false,
    successStatus: 200,
    params: z.object({ id }),
    response: session,
    handle: async (scope, { params }) => {
      const found = await practice.getSession(scope, { sessionId: params.id });
      return {
        ...found,
        segments: found.segments.map(({ words: _words, ...segment }) => segment),
        feedback: found.latestFeedback,
      };
    },
  }),
];
