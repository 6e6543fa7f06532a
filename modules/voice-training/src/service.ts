// Voice training: plain (scope, input) functions over the organization's RLS-bound data
// access — scenarios, practice sessions (start with a WebSocket ticket, list, get, end),
// the minute ledger (allocations to users; one atomic check-and-deduct per started minute)
// and feedback. The procedures (trpc.ts), gateway routes (http.ts) and the practice socket
// (live.ts) call these; none of them knows the transport.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { consumeQuota, planRefusal } from "@plinth/billing/gating";
import { recordAudit, snapshot } from "@plinth/core/audit";
import { AppError, notFound } from "@plinth/core/errors";
import { hasRole } from "@plinth/core/roles";
import { actorUserId } from "@plinth/core/scope";
import { holdTransaction, Prisma, type TransactionClient } from "@plinth/db";
import type { OrgScope } from "@plinth/platform";
import { requireConsent } from "@plinth/platform/consents";
import { rubricSchema, transcriptWordSchema, type Rubric } from "@plinth/speech/analysis";
import { queueAfterEnd } from "./after-end.ts";

export const MINUTES_METER = "session.minutes";
/** How long a WebSocket ticket may wait for its socket. */
export const TICKET_TTL_MS = 60_000;
/** A session whose socket dropped can be resumed (a new ticket) for this long. */
export const RESUME_GRACE_MS = 2 * 60_000;

// ─── JSON columns (parsed on read, never trusted) ────────────────────────────────────────

const stringList = z.array(z.string());
export const storedWords = z.array(transcriptWordSchema);
const storedSkills = z.array(
  z.object({ id: z.string(), name: z.string(), weight: z.number(), score: z.number() }),
);

// ─── Scenarios ───────────────────────────────────────────────────────────────────────────

const scenarioSelect = {
  id: true,
  name: true,
  persona: true,
  product: true,
  objections: true,
  goals: true,
  difficulty: true,
  rubric: true,
  archivedAt: true,
  createdAt: true,
  updatedAt: true,
} as const satisfies Prisma.PracticeScenarioSelect;

type ScenarioRow = Prisma.PracticeScenarioGetPayload<{ select: typeof scenarioSelect }>;

function scenarioView(row: ScenarioRow) {
  return {
    ...row,
    objections: stringList.parse(row.objections),
    goals: stringList.parse(row.goals),
    rubric: rubricSchema.parse(row.rubric),
  };
}
export type ScenarioView = ReturnType<typeof scenarioView>;

export interface ScenarioFields {
  name: string;
  persona: string;
  product: string;
  objections: string[];
  goals: string[];
  difficulty: "EASY" | "MEDIUM" | "HARD";
  rubric: unknown;
}

function parseRubric(rubric: unknown): Rubric {
  const parsed = rubricSchema.safeParse(rubric);
  if (!parsed.success) throw new AppError({ code: "INVALID_STATE", detail: "rubric_invalid" });
  return parsed.data;
}

function conflictOnName(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    throw new AppError({ code: "CONFLICT", field: "name" });
  }
  throw error;
}

export async function listScenarios(scope: OrgScope, input: { includeArchived: boolean }) {
  const rows = await scope.db.client.practiceScenario.findMany({
    where: input.includeArchived ? {} : { archivedAt: null },
    orderBy: { createdAt: "desc" },
    select: scenarioSelect,
  });
  return rows.map(scenarioView);
}

async function findScenario(tx: TransactionClient, organizationId: string, id: string) {
  const row = await tx.practiceScenario.findFirst({
    where: { id, organizationId },
    select: scenarioSelect,
  });
  if (!row) throw notFound("Scenario");
  return row;
}

export async function getScenario(scope: OrgScope, input: { scenarioId: string }) {
  return scenarioView(
    await scope.db.transaction((tx) => findScenario(tx, scope.organization.id, input.scenarioId)),
  );
}

export function createScenario(scope: OrgScope, input: ScenarioFields) {
  const organizationId = scope.organization.id;
  const rubric = parseRubric(input.rubric);
  return scope.db.transaction(async (tx) => {
    const row = await tx.practiceScenario
      .create({
        data: {
          organizationId,
          name: input.name,
          persona: input.persona,
          product: input.product,
          objections: input.objections,
          goals: input.goals,
          difficulty: input.difficulty,
          rubric,
          createdById: actorUserId(scope.actor),
        },
        select: scenarioSelect,
      })
      .catch(conflictOnName);
    await recordAudit(tx, scope, {
      organizationId,
      action: "practice.scenario.created",
      targetType: "practice_scenario",
      targetId: row.id,
      changes: snapshot({ name: row.name }, "to"),
    });
    return scenarioView(row);
  });
}

export function updateScenario(scope: OrgScope, input: ScenarioFields & { scenarioId: string }) {
  const organizationId = scope.organization.id;
  const rubric = parseRubric(input.rubric);
  return scope.db.transaction(async (tx) => {
    const before = await findScenario(tx, organizationId, input.scenarioId);
    const row = await tx.practiceScenario
      .update({
        where: { id: before.id },
        data: {
          name: input.name,
          persona: input.persona,
          product: input.product,
          objections: input.objections,
          goals: input.goals,
          difficulty: input.difficulty,
          rubric,
        },
        select: scenarioSelect,
      })
      .catch(conflictOnName);
    await recordAudit(tx, scope, {
      organizationId,
      action: "practice.scenario.updated",
      targetType: "practice_scenario",
      targetId: row.id,
      changes: { name: { from: before.name, to: row.name } },
    });
    return scenarioView(row);
  });
}

export function setScenarioArchived(
  scope: OrgScope,
  input: { scenarioId: string; archived: boolean },
) {
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const before = await findScenario(tx, organizationId, input.scenarioId);
    const row = await tx.practiceScenario.update({
      where: { id: before.id },
      data: { archivedAt: input.archived ? scope.clock.now() : null },
      select: scenarioSelect,
    });
    await recordAudit(tx, scope, {
      organizationId,
      action: input.archived ? "practice.scenario.archived" : "practice.scenario.unarchived",
      targetType: "practice_scenario",
      targetId: row.id,
    });
    return scenarioView(row);
  });
}

// ─── Sessions ────────────────────────────────────────────────────────────────────────────

const sessionSelect = {
  id: true,
  userId: true,
  status: true,
  endReason: true,
  sttProvider: true,
  llmProvider: true,
  ttsProvider: true,
  audioMs: true,
  minutesCharged: true,
  transcriptStatus: true,
  feedbackStatus: true,
  startedAt: true,
  endedAt: true,
  createdAt: true,
  scenario: { select: { id: true, name: true, difficulty: true } },
  feedback: {
    orderBy: { revision: "desc" },
    take: 1,
    select: { overallScore: true, revision: true, offline: true },
  },
} as const satisfies Prisma.PracticeSessionSelect;

type SessionRow = Prisma.PracticeSessionGetPayload<{ select: typeof sessionSelect }>;

function sessionView(row: SessionRow) {
  const { feedback, ...rest } = row;
  return { ...rest, latestFeedback: feedback[0] ?? null };
}

/** Admins see every member's sessions; members only their own (others: NOT_FOUND). */
/** Admins, and API keys (they act for the organization: the gateway's embedding), read every
 *  trainee's sessions and figures; a member reads their own. */
export function readsEveryTrainee(scope: OrgScope): boolean {
  if (scope.actor.kind === "apiKey") return true;
  return scope.role !== null && hasRole(scope.role, "ADMIN");
}

function visibleTo(scope: OrgScope): Prisma.PracticeSessionWhereInput {
  return readsEveryTrainee(scope) ? {} : { userId: actorUserId(scope.actor) ?? "" };
}

export async function listSessions(scope: OrgScope, input: { who: "mine" | "all"; limit: number }) {
  const mine = { userId: actorUserId(scope.actor) ?? "" };
  const where = input.who === "all" ? visibleTo(scope) : mine;
  const rows = await scope.db.client.practiceSession.findMany({
    where,
    orderBy: { createdAt: "desc" },
    take: input.limit,
    select: sessionSelect,
  });
  return rows.map(sessionView);
}

const segmentSelect = {
  seq: true,
  speaker: true,
  text: true,
  words: true,
  startMs: true,
  endMs: true,
} as const satisfies Prisma.TranscriptSegmentSelect;

const feedbackSelect = {
  revision: true,
  analysisVersion: true,
  provider: true,
  offline: true,
  model: true,
  overallScore: true,
  talkTimeMs: true,
  wordsPerMinute: true,
  fillersPerMinute: true,
  talkListenRatio: true,
  questions: true,
  metrics: true,
  skills: true,
  summary: true,
  createdAt: true,
} as const satisfies Prisma.SessionFeedbackSelect;

type FeedbackRow = Prisma.SessionFeedbackGetPayload<{ select: typeof feedbackSelect }>;

function feedbackView(row: FeedbackRow) {
  return { ...row, skills: storedSkills.parse(row.skills) };
}

/** One session with its transcript and every feedback revision (newest first). */
export async function getSession(scope: OrgScope, input: { sessionId: string }) {
  const row = await scope.db.client.practiceSession.findFirst({
    where: { id: input.sessionId, ...visibleTo(scope) },
    select: {
      ...sessionSelect,
      segments: { orderBy: { seq: "asc" }, select: segmentSelect },
      feedback: { orderBy: { revision: "desc" }, select: feedbackSelect },
    },
  });
  if (!row) throw notFound("Practice session");
  const { segments, feedback, ...rest } = row;
  const revisions = feedback.map(feedbackView);
  return {
    ...rest,
    latestFeedback: revisions[0] ?? null,
    feedback: revisions,
    segments: segments.map((segment) => ({ ...segment, words: storedWords.parse(segment.words) })),
  };
}

function hashTicket(ticket: string): string {
  return createHash("sha256").update(ticket).digest("hex");
}

/**
 * A single-use WebSocket ticket: `vt1.<organizationId>.<sessionId>.<32 random bytes>`. Only its
 * SHA-256 is stored (on the session, replaced by each new ticket); the socket server reads the
 * organization from it to look the session up under that tenant's RLS.
 */
function newTicket(organizationId: string, sessionId: string, now: Date) {
  const ticket = `vt1.${organizationId}.${sessionId}.${randomBytes(32).toString("base64url")}`;
  return {
    ticket,
    hash: hashTicket(ticket),
    expiresAt: new Date(now.getTime() + TICKET_TTL_MS),
  };
}

const TICKET = /^vt1\.([0-9a-f-]{36})\.(c[a-z0-9]{24})\.[A-Za-z0-9_-]{43}$/;

/** The organization and session a ticket names (no database read), or null for garbage. */
export function parseTicket(ticket: string): { organizationId: string; sessionId: string } | null {
  const match = TICKET.exec(ticket);
  if (!match?.[1] || !match[2]) return null;
  return { organizationId: match[1], sessionId: match[2] };
}

/** Whether `ticket` is the session's current ticket (constant-time comparison). */
export function ticketMatches(ticket: string, storedHash: string | null): boolean {
  if (!storedHash) return false;
  const a = Buffer.from(hashTicket(ticket), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Minutes left for the user this period: the plan's pool and, if allocated, their own. */
export async function remainingMinutes(scope: OrgScope, tx: TransactionClient, userId: string) {
  const quota = scope.entitlements.quotas[MINUTES_METER];
  const counter = await tx.usageCounter.findUnique({
    where: {
      organizationId_meter_periodStart: {
        organizationId: scope.organization.id,
        meter: MINUTES_METER,
        periodStart: scope.entitlements.periodStart,
      },
    },
    select: { quantity: true },
  });
  const used = Number(counter?.quantity ?? 0);
  const metered = quota?.overageMicroCents !== undefined;
  const pool =
    quota === undefined ? 0 : quota.included === null || metered ? null : quota.included - used;
  const allocation = await userAllocation(tx, userId);
  return {
    /** null: unlimited (or metered: overage is billed). */
    pool: pool === null ? null : Math.max(0, pool),
    /** null: the user has no allocation (the pool applies alone). */
    allocation: allocation === null ? null : Math.max(0, allocation.balance),
    used,
    included: quota?.included ?? 0,
    metered,
  };
}

async function userAllocation(tx: TransactionClient, userId: string) {
  const grants = await tx.minuteLedgerEntry.aggregate({
    where: { userId, kind: { in: ["GRANT", "ADJUSTMENT"] } },
    _sum: { minutes: true },
    _count: { _all: true },
  });
  if (grants._count._all === 0) return null;
  const usage = await tx.minuteLedgerEntry.aggregate({
    where: { userId, kind: "USAGE" },
    _sum: { minutes: true },
  });
  return { balance: (grants._sum.minutes ?? 0) + (usage._sum.minutes ?? 0) };
}

function outOfMinutes(scope: OrgScope, used: number, included: number): AppError {
  return planRefusal(scope, { kind: "quota", meter: MINUTES_METER, used, included });
}

/**
 * Starts a session of a scenario: refuses when the session's user has not agreed to the
 * current recording text (CONSENT_REQUIRED, whoever starts it: an API key names a member, and
 * it is that member's voice) or has no minute left (QUOTA_EXCEEDED). Nothing is written then.
 */
export async function startSession(
  scope: OrgScope,
  input: { scenarioId: string; userId?: string | undefined },
) {
  const organizationId = scope.organization.id;
  // A member starts their own; an API key (the gateway) starts one for a member it names.
  const userId = actorUserId(scope.actor) ?? input.userId;
  if (!userId) throw new AppError({ code: "UNAUTHENTICATED" });
  const now = scope.clock.now();
  return scope.db.transaction(async (tx) => {
    if (scope.actor.kind === "apiKey") {
      const member = await tx.membership.findFirst({
        where: { organizationId, userId },
        select: { userId: true },
      });
      if (!member) throw notFound("Member");
    }
    const scenario = await findScenario(tx, organizationId, input.scenarioId);
    if (scenario.archivedAt) throw new AppError({ code: "INVALID_STATE", detail: "archived" });
    // After the tenant checks, so another company's ids still answer NOT_FOUND.
    await requireConsent(scope, userId, "RECORDING");
    const left = await remainingMinutes(scope, tx, userId);
    if (left.pool === 0 || left.allocation === 0) {
      throw outOfMinutes(scope, left.used, left.included);
    }
    const created = await tx.practiceSession.create({
      data: { organizationId, scenarioId: scenario.id, userId },
      select: { id: true },
    });
    const ticket = newTicket(organizationId, created.id, now);
    await tx.practiceSession.update({
      where: { id: created.id },
      data: { ticketHash: ticket.hash, ticketExpiresAt: ticket.expiresAt },
    });
    await recordAudit(tx, scope, {
      organizationId,
      action: "practice.session.started",
      targetType: "practice_session",
      targetId: created.id,
    });
    return {
      sessionId: created.id,
      ticket: ticket.ticket,
      ticketExpiresAt: ticket.expiresAt,
      minutesLeft: left.allocation ?? left.pool,
    };
  });
}

/** A fresh ticket for the user's own session: the first socket, or a resume within the grace. */
export async function issueTicket(scope: OrgScope, input: { sessionId: string }) {
  const organizationId = scope.organization.id;
  const userId = actorUserId(scope.actor) ?? "";
  const now = scope.clock.now();
  return scope.db.transaction(async (tx) => {
    const session = await tx.practiceSession.findFirst({
      where: { id: input.sessionId, organizationId, userId },
      select: { id: true, status: true, lastActivityAt: true },
    });
    if (!session) throw notFound("Practice session");
    const stale =
      session.lastActivityAt !== null &&
      now.getTime() - session.lastActivityAt.getTime() > RESUME_GRACE_MS;
    if (session.status === "ENDED" || (session.status === "LIVE" && stale)) {
      throw new AppError({ code: "INVALID_STATE", detail: "session_ended" });
    }
    const ticket = newTicket(organizationId, session.id, now);
    await tx.practiceSession.update({
      where: { id: session.id },
      data: { ticketHash: ticket.hash, ticketExpiresAt: ticket.expiresAt },
    });
    return { sessionId: session.id, ticket: ticket.ticket, ticketExpiresAt: ticket.expiresAt };
  });
}

/**
 * Charges one started minute of `sessionId` to the organization's quota and the user's
 * allocation, atomically: an advisory lock per user serialises concurrent sessions, and the
 * quota counter's conditional upsert (consumeQuota) joins the same transaction — so two live
 * sessions cannot overspend. Refuses with QUOTA_EXCEEDED (nothing charged).
 */
export async function chargeMinute(scope: OrgScope, input: { sessionId: string; userId: string }) {
  const organizationId = scope.organization.id;
  return scope.db.transaction((tx) =>
    holdTransaction(organizationId, tx, async () => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${organizationId}), hashtext(${input.userId}))`;
      const allocation = await userAllocation(tx, input.userId);
      const quota = scope.entitlements.quotas[MINUTES_METER];
      if (allocation !== null && allocation.balance < 1) {
        throw outOfMinutes(scope, 0, quota?.included ?? 0);
      }
      await consumeQuota(scope, MINUTES_METER, 1);
      const left = await remainingMinutes(scope, tx, input.userId);
      const overage = quota?.included != null && left.used > quota.included;
      await tx.minuteLedgerEntry.create({
        data: {
          organizationId,
          userId: input.userId,
          sessionId: input.sessionId,
          kind: "USAGE",
          minutes: -1,
          overage,
        },
      });
      const session = await tx.practiceSession.update({
        where: { id: input.sessionId },
        data: { minutesCharged: { increment: 1 } },
        select: { minutesCharged: true },
      });
      return {
        minutesCharged: session.minutesCharged,
        overage,
        minutesLeft: left.allocation ?? left.pool,
      };
    }),
  );
}

/** The user's (or an admin's view of the organization's) minutes this period. */
export async function minuteSummary(scope: OrgScope) {
  const userId = actorUserId(scope.actor) ?? "";
  return scope.db.transaction(async (tx) => {
    const left = await remainingMinutes(scope, tx, userId);
    const mine = await tx.minuteLedgerEntry.aggregate({
      where: { userId, kind: "USAGE", createdAt: { gte: scope.entitlements.periodStart } },
      _sum: { minutes: true },
    });
    return {
      organizationUsed: left.used,
      included: left.included,
      metered: left.metered,
      poolLeft: left.pool,
      allocationLeft: left.allocation,
      usedByMe: -(mine._sum.minutes ?? 0),
    };
  });
}

/** An admin allocates minutes to a member (negative: takes some back). Ledger entry. */
export async function grantMinutes(
  scope: OrgScope,
  input: { userId: string; minutes: number; note?: string | undefined },
) {
  const organizationId = scope.organization.id;
  return scope.db.transaction(async (tx) => {
    const member = await tx.membership.findFirst({
      where: { organizationId, userId: input.userId },
      select: { userId: true },
    });
    if (!member) throw notFound("Member");
    const entry = await tx.minuteLedgerEntry.create({
      data: {
        organizationId,
        userId: member.userId,
        kind: input.minutes >= 0 ? "GRANT" : "ADJUSTMENT",
        minutes: input.minutes,
        note: input.note ?? null,
        createdById: actorUserId(scope.actor),
      },
      select: { id: true, kind: true, minutes: true, userId: true, note: true, createdAt: true },
    });
    await recordAudit(tx, scope, {
      organizationId,
      action: "practice.minutes.granted",
      targetType: "user",
      targetId: member.userId,
      changes: snapshot({ minutes: input.minutes }, "to"),
    });
    return entry;
  });
}

/** The organization's ledger (admins), newest first. */
export function listLedger(scope: OrgScope, input: { limit: number }) {
  return scope.db.client.minuteLedgerEntry.findMany({
    orderBy: { createdAt: "desc" },
    take: input.limit,
    select: {
      id: true,
      kind: true,
      minutes: true,
      overage: true,
      userId: true,
      sessionId: true,
      note: true,
      createdAt: true,
    },
  });
}

/**
 * Ends a session from outside the socket (the page's End button after a lost connection): the
 * worker finishes its transcript and feedback (voiceTraining.finalizeTranscript, queued in the
 * same transaction; ./after-end.ts).
 */
export async function endSession(scope: OrgScope, input: { sessionId: string }) {
  const organizationId = scope.organization.id;
  const userId = actorUserId(scope.actor) ?? "";
  const now = scope.clock.now();
  return scope.db.transaction(async (tx) => {
    const session = await tx.practiceSession.findFirst({
      where: { id: input.sessionId, organizationId, userId },
      select: { id: true, status: true },
    });
    if (!session) throw notFound("Practice session");
    if (session.status === "ENDED") return { id: session.id, status: "ENDED" as const };
    // Only the request that moves it to ENDED queues the job (two at once: one of them).
    const ended = await tx.practiceSession.updateMany({
      where: { id: session.id, status: { not: "ENDED" } },
      data: { status: "ENDED", endReason: "USER", endedAt: now, ticketHash: null },
    });
    if (ended.count === 1) await queueAfterEnd(tx, { organizationId, sessionId: session.id });
    return { id: session.id, status: "ENDED" as const };
  });
}
