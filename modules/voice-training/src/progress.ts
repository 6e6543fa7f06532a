// Progress over time: a trainee's ended sessions with their latest feedback (scores, pace,
// fillers, talk ratio) for the charts, and the admins' team view (per member: sessions,
// minutes, averages, last session). Both bounded by a period of days; the chart by a number
// of sessions too. Plain (scope, input) functions under the organization's RLS.
import { AppError, notFound } from "@plinth/core/errors";
import { actorUserId } from "@plinth/core/scope";
import type { OrgScope } from "@plinth/platform";
import { readsEveryTrainee } from "./service.ts";

const DAY_MS = 86_400_000;

export interface ProgressPoint {
  sessionId: string;
  scenarioName: string;
  /** When the session ended (its start when it has no end time). */
  date: Date;
  /** The latest feedback revision's overall (rubric) score, 0–100; null without a rubric score. */
  overallScore: number | null;
  wordsPerMinute: number;
  fillersPerMinute: number;
  /** The trainee's talk time over the prospect's; null when the prospect never spoke. */
  talkListenRatio: number | null;
}

export interface Progress {
  userId: string;
  days: number;
  since: Date;
  /** Oldest first; the newest `limit` sessions of the period when there were more. */
  points: ProgressPoint[];
  /** Whether older sessions of the period were left out (more than `limit`). */
  truncated: boolean;
}

/**
 * The caller's (or, for an admin, a member's) ended sessions of the last `days` days with
 * their latest feedback, oldest first. A plain member naming someone else: FORBIDDEN (before
 * any lookup, so it tells nothing about who is a member); an id that is not a member of this
 * organization: NOT_FOUND.
 */
export async function practiceProgress(
  scope: OrgScope,
  input: { userId?: string | undefined; days: number; limit: number },
): Promise<Progress> {
  const organizationId = scope.organization.id;
  const self = actorUserId(scope.actor);
  const userId = input.userId ?? self;
  if (!userId) {
    throw new AppError({ code: "INVALID_INPUT", field: "userId", reason: "Name a member" });
  }
  if (userId !== self && !readsEveryTrainee(scope)) {
    throw new AppError({ code: "FORBIDDEN_ROLE", requiredRole: "ADMIN" });
  }
  const since = new Date(scope.clock.now().getTime() - input.days * DAY_MS);
  return scope.db.transaction(async (tx) => {
    const member = await tx.membership.findFirst({
      where: { organizationId, userId },
      select: { userId: true },
    });
    if (!member) throw notFound("Member");
    const rows = await tx.practiceSession.findMany({
      where: {
        organizationId,
        userId: member.userId,
        status: "ENDED",
        createdAt: { gte: since },
        feedback: { some: {} },
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: input.limit + 1,
      select: {
        id: true,
        createdAt: true,
        endedAt: true,
        scenario: { select: { name: true } },
        feedback: {
          orderBy: { revision: "desc" },
          take: 1,
          select: {
            overallScore: true,
            wordsPerMinute: true,
            fillersPerMinute: true,
            talkListenRatio: true,
          },
        },
      },
    });
    const points: ProgressPoint[] = [];
    for (const row of rows.slice(0, input.limit)) {
      const latest = row.feedback[0];
      if (!latest) continue;
      points.push({
        sessionId: row.id,
        scenarioName: row.scenario.name,
        date: row.endedAt ?? row.createdAt,
        overallScore: latest.overallScore,
        wordsPerMinute: latest.wordsPerMinute,
        fillersPerMinute: latest.fillersPerMinute,
        talkListenRatio: latest.talkListenRatio,
      });
    }
    points.reverse();
    return {
      userId: member.userId,
      days: input.days,
      since,
      points,
      truncated: rows.length > input.limit,
    };
  });
}

export interface MemberProgress {
  userId: string;
  name: string | null;
  email: string;
  role: "OWNER" | "ADMIN" | "MEMBER";
  /** Ended sessions started in the period. */
  sessions: number;
  /** Minutes charged to the member's sessions started in the period. */
  minutesUsed: number;
  /** Means over those sessions' latest feedback (null: no feedback, or no score). */
  averageScore: number | null;
  averageWordsPerMinute: number | null;
  averageFillersPerMinute: number | null;
  /** The member's newest ended session, in the period or before; null: never practised. */
  lastSessionAt: Date | null;
}

interface TeamRow {
  userId: string;
  sessions: number;
  minutesUsed: number;
  averageScore: number | null;
  averageWordsPerMinute: number | null;
  averageFillersPerMinute: number | null;
}

/** Every member of the organization with their practice figures of the last `days` days. */
export async function teamProgress(scope: OrgScope, input: { days: number }) {
  const organizationId = scope.organization.id;
  const since = new Date(scope.clock.now().getTime() - input.days * DAY_MS);
  // Stored as UTC wall-clock values (timestamp without time zone).
  const sinceAt = since.toISOString();
  return scope.db.transaction(async (tx) => {
    const members = await tx.membership.findMany({
      where: { organizationId },
      orderBy: { createdAt: "asc" },
      select: { userId: true, role: true, user: { select: { name: true, email: true } } },
    });
    // Summed in SQL: one row per member, however many sessions the period holds. The
    // latest feedback revision of each session (DISTINCT ON) is the one averaged.
    const figures = await tx.$queryRaw<TeamRow[]>`
        WITH period AS (
          SELECT id, user_id, status, minutes_charged
          FROM practice_sessions
          WHERE organization_id = ${organizationId} AND created_at >= ${sinceAt}::timestamp
        ), latest AS (
          SELECT DISTINCT ON (f.session_id) f.session_id, f.overall_score, f.words_per_minute,
                 f.fillers_per_minute
          FROM practice_feedback f
          JOIN period p ON p.id = f.session_id AND p.status = 'ENDED'
          ORDER BY f.session_id, f.revision DESC
        )
        SELECT p.user_id AS "userId",
               (count(*) FILTER (WHERE p.status = 'ENDED'))::int AS sessions,
               COALESCE(sum(p.minutes_charged), 0)::int AS "minutesUsed",
               avg(l.overall_score)::float8 AS "averageScore",
               avg(l.words_per_minute)::float8 AS "averageWordsPerMinute",
               avg(l.fillers_per_minute)::float8 AS "averageFillersPerMinute"
        FROM period p
        LEFT JOIN latest l ON l.session_id = p.id
        GROUP BY p.user_id`;
    const last = await tx.practiceSession.groupBy({
      by: ["userId"],
      where: { organizationId, status: "ENDED" },
      _max: { createdAt: true },
    });
    const byUser = new Map(figures.map((row) => [row.userId, row]));
    const lastByUser = new Map(last.map((row) => [row.userId, row._max.createdAt]));
    const rows: MemberProgress[] = members.map((member) => {
      const row = byUser.get(member.userId);
      return {
        userId: member.userId,
        name: member.user.name,
        email: member.user.email,
        role: member.role,
        sessions: row?.sessions ?? 0,
        minutesUsed: row?.minutesUsed ?? 0,
        averageScore: row?.averageScore ?? null,
        averageWordsPerMinute: row?.averageWordsPerMinute ?? null,
        averageFillersPerMinute: row?.averageFillersPerMinute ?? null,
        lastSessionAt: lastByUser.get(member.userId) ?? null,
      };
    });
    return { days: input.days, since, members: rows };
  });
}
