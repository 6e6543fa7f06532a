// Feedback on a practice session: this module's own analysis (@plinth/speech's
// analyzeConversation over the stored transcript: talk time, pace, fillers, questions,
// monologue, interruptions, sentiment, the scenario's rubric scored by its keyword/heuristic
// rules) plus a coach's summary written by the AI provider (@plinth/ai: the offline demo
// provider by default, labelled as such). Each analysis is a new revision; old ones stay. The
// worker's voiceTraining.analyzeSession (./after-end.ts) and practice.reanalyze run it; storing
// a revision of an ended session makes its feedback status READY.
import type { AiProvider } from "@plinth/ai";
import { notFound } from "@plinth/core/errors";
import type { Prisma } from "@plinth/db";
import type { OrgScope } from "@plinth/platform";
import {
  analyzeConversation,
  rubricSchema,
  type SpeakerTurn,
  type TranscriptWordInput,
} from "@plinth/speech/analysis";
import { storedWords } from "./service.ts";

export const TRAINEE = "trainee";
export const PROSPECT = "prospect";

export interface FeedbackDeps {
  provider: AiProvider;
  model: string;
}

/** What the analysis needs of a scope: the tenant's data access (a request's or a job's). */
export type FeedbackScope = Pick<OrgScope, "db"> & { organization: { id: string } };

/** Analyses the session's transcript and stores a new feedback revision; returns it. */
export async function analyzeSession(
  scope: FeedbackScope,
  input: { sessionId: string },
  deps: FeedbackDeps,
) {
  const organizationId = scope.organization.id;
  const session = await scope.db.client.practiceSession.findFirst({
    where: { id: input.sessionId, organizationId },
    select: {
      id: true,
      scenario: { select: { name: true, product: true, goals: true, rubric: true } },
      segments: {
        orderBy: { seq: "asc" },
        select: { speaker: true, text: true, words: true, startMs: true, endMs: true },
      },
    },
  });
  if (!session) throw notFound("Practice session");
  const rubric = rubricSchema.parse(session.scenario.rubric);
  const turns: SpeakerTurn[] = session.segments.map((segment) => {
    const words: TranscriptWordInput[] = storedWords.parse(segment.words);
    return {
      speaker: segment.speaker === "TRAINEE" ? TRAINEE : PROSPECT,
      startMs: segment.startMs,
      endMs: Math.max(segment.startMs, segment.endMs),
      words,
    };
  });
  const analysis = analyzeConversation({ turns }, { focusSpeaker: TRAINEE, rubric });
  const trainee = analysis.speakers.find((speaker) => speaker.speaker === TRAINEE);
  const transcriptText = session.segments
    .map((segment) => `${segment.speaker === "TRAINEE" ? "Seller" : "Prospect"}: ${segment.text}`)
    .join("\n")
    .slice(0, 8_000);
  const result = await deps.provider
    .stream(
      {
        model: deps.model,
        system:
          "You are a sales coach. In three short sentences, tell the seller what went well and " +
          "what to practise next. Be concrete; quote the transcript where useful.",
        messages: [
          {
            role: "user",
            content:
              `Scenario: ${session.scenario.name} (selling ${session.scenario.product}).\n` +
              `Pace: ${trainee?.wordsPerMinute ?? 0} words/min; fillers/min: ` +
              `${trainee?.fillers.perMinute ?? 0}; questions: ${trainee?.questions ?? 0}; ` +
              `score: ${analysis.rubric?.score ?? "n/a"}.\n\nTranscript:\n${transcriptText || "(silence)"}`,
          },
        ],
        maxTokens: 160,
        temperature: 0.3,
      },
      { signal: AbortSignal.timeout(60_000) },
    )
    .result();
  const skills = (analysis.rubric?.skills ?? []).map(({ id, name, weight, score }) => ({
    id,
    name,
    weight,
    score,
  }));
  return scope.db.transaction(async (tx) => {
    const last = await tx.sessionFeedback.aggregate({
      where: { sessionId: session.id },
      _max: { revision: true },
    });
    await tx.practiceSession.updateMany({
      where: { id: session.id, organizationId, status: "ENDED" },
      data: { feedbackStatus: "READY" },
    });
    return tx.sessionFeedback.create({
      data: {
        organizationId,
        sessionId: session.id,
        revision: (last._max.revision ?? 0) + 1,
        analysisVersion: analysis.version,
        provider: result.provider,
        offline: deps.provider.offline,
        model: result.model,
        overallScore: analysis.rubric?.score ?? null,
        talkTimeMs: trainee?.talkTimeMs ?? 0,
        wordsPerMinute: trainee?.wordsPerMinute ?? 0,
        fillersPerMinute: trainee?.fillers.perMinute ?? 0,
        talkListenRatio: analysis.talkListenRatio,
        questions: trainee?.questions ?? 0,
        metrics: analysis as unknown as Prisma.InputJsonValue,
        skills,
        summary: result.text,
      },
      select: {
        revision: true,
        provider: true,
        offline: true,
        overallScore: true,
        talkTimeMs: true,
        wordsPerMinute: true,
        fillersPerMinute: true,
        questions: true,
        summary: true,
      },
    });
  });
}
