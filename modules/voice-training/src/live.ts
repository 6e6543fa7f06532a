// The live practice session: the WebSocket protocol (the `ws` package; apps/gateway attaches
// it to its HTTP server at /practice/socket — a Node process of its own, not a Next route).
//
//   browser                                     server
//   {"type":"auth","ticket":"vt1.…"}  ───►      ticket checked (hash, expiry, single use),
//                                               member of the ticket's organization
//                                     ◄───      {"type":"ready",sessionId,resumed,minutesLeft,providers}
//   binary: 16 kHz mono s16le PCM     ───►      minute charged as each minute starts (quota
//                                               + allocation, atomic) → speech-to-text stream
//                                     ◄───      {"type":"segment",speaker:"TRAINEE",…} (stored first)
//                                     ◄───      {"type":"reply",…} + {"type":"audio"} + binary PCM
//   {"type":"end"}                    ───►      transcript flushed; one transaction: ENDED,
//                                               the recording, voiceTraining.finalizeTranscript
//                                               queued (the worker finishes the transcript, then
//                                               the feedback: ./after-end.ts)
//                                     ◄───      {"type":"ended",reason,message}
//
// The socket sends no feedback: the page polls practice.get until transcriptStatus and
// feedbackStatus are READY (or FAILED).
// A frame that is not valid gets {"type":"error",code,message} (the socket stays open; after
// MAX_BAD_FRAMES it is closed with 4400). When the minutes run out the server sends
// {"type":"ended","reason":"QUOTA"} and closes with 4402. A dropped socket leaves the session
// LIVE for RESUME_GRACE_MS: a new ticket (practice.ticket) resumes it, else it ends
// (DISCONNECT) the same way. The ticket comes in the first frame, never in the URL.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { OFFLINE_PREFIX } from "@plinth/ai";
import type { BillingRuntime } from "@plinth/billing/stripe/client";
import { AppError } from "@plinth/core/errors";
import type { Logger } from "@plinth/core/logger";
import { systemClock, type Clock } from "@plinth/core/scope";
import { tenantDb, type Database } from "@plinth/db";
import {
  bindOrganization,
  createRequestScope,
  type OrgScope,
  type ProductRuntime,
} from "@plinth/platform";
import {
  BYTES_PER_MS,
  encodeWav,
  type TranscriptionStream,
  type TranscriptSegment,
  type TranscriptWord,
} from "@plinth/speech";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { queueAfterEnd } from "./after-end.ts";
import { clientFrame } from "./contract.ts";
import type { VoiceProviderResolver, VoiceProviders } from "./providers.ts";
import { chargeMinute, parseTicket, RESUME_GRACE_MS, ticketMatches } from "./service.ts";
import { toStoredWords } from "./stored-words.ts";

export const PRACTICE_SOCKET_PATH = "/practice/socket";

export const CLOSE = {
  normal: 1000,
  badFrames: 4400,
  unauthenticated: 4401,
  minutesExhausted: 4402,
  authTimeout: 4408,
  replaced: 4409,
  internal: 4500,
} as const;

const MAX_BAD_FRAMES = 20;
/** Largest frame accepted (ws answers 1009 above it): 8 s of audio. */
const MAX_PAYLOAD_BYTES = 256 * 1024;
/** Most trainee audio kept as the session's recording (60 minutes). */
const MAX_RECORDING_BYTES = 60 * 60_000 * BYTES_PER_MS;
const MINUTE_MS = 60_000;

export interface PracticeSocketDeps {
  database: Database;
  product: ProductRuntime;
  billing: BillingRuntime | (() => BillingRuntime);
  logger: Logger;
  /**
   * The adapters: fixed ones, or a resolver that gives each session its company's own (its
   * chosen adapters with its keys from the vault, else the platform's).
   */
  providers: VoiceProviders | VoiceProviderResolver;
  /** Trainee audio without a transcribed word before the session ends (SILENCE). */
  silenceTimeoutMs?: number;
  /** Time to send the auth frame. */
  authTimeoutMs?: number;
  /** How long a dropped session can be resumed (default RESUME_GRACE_MS). */
  resumeGraceMs?: number;
  clock?: Clock;
}

type ServerFrame =
  | {
      type: "ready";
      sessionId: string;
      resumed: boolean;
      audioMs: number;
      minutesCharged: number;
      providers: Record<"stt" | "llm" | "tts", { name: string; offline: boolean } | null>;
    }
  | {
      type: "segment";
      seq: number;
      speaker: "TRAINEE" | "PROSPECT";
      text: string;
      startMs: number;
      endMs: number;
    }
  | { type: "reply"; seq: number; text: string; offline: boolean }
  | { type: "audio"; seq: number; sampleRate: 16000; bytes: number; durationMs: number }
  | { type: "minutes"; minutesCharged: number; minutesLeft: number | null; overage: boolean }
  | { type: "ended"; reason: EndReason; message: string }
  | { type: "error"; code: ErrorCode; message: string }
  | { type: "pong" };

type EndReason = "USER" | "SILENCE" | "QUOTA" | "DISCONNECT" | "ERROR";
type ErrorCode =
  "bad_frame" | "unauthenticated" | "invalid_audio" | "not_ready" | "reply_failed" | "internal";

const END_MESSAGES: Record<EndReason, string> = {
  USER: "Session ended.",
  SILENCE: "Session ended after a long silence.",
  QUOTA:
    "Your practice minutes have run out: the session was ended. Ask an admin for more minutes or upgrade the plan.",
  DISCONNECT: "Session ended: the connection was lost and not resumed.",
  ERROR: "Session ended by an error on the server.",
};

interface SessionConnection {
  readonly ws: WebSocket;
  send(frame: ServerFrame): void;
  finishStream(): Promise<void>;
}

interface LiveSession {
  scope: OrgScope;
  /** The company's adapters, resolved once per session (a resumed socket keeps them). */
  providers: VoiceProviders;
  sessionId: string;
  userId: string;
  scenario: { name: string; persona: string; product: string; objections: string[] };
  audioMs: number;
  minutesCharged: number;
  nextSeq: number;
  /** Trainee audio position of the last transcribed word (silence timeout). */
  lastSpeechMs: number;
  /** Trainee audio the live speech-to-text has been through (the worker does the rest). */
  transcribedMs: number;
  /** Where `recording` starts in the session's audio (a session resumed in this process). */
  recordingStartMs: number;
  history: { role: "user" | "assistant"; content: string }[];
  recording: Buffer[];
  recordingBytes: number;
  connection: SessionConnection | null;
  graceTimer: NodeJS.Timeout | null;
  ended: boolean;
}

export interface PracticeSocketServer {
  /** Hands an HTTP upgrade for PRACTICE_SOCKET_PATH to the socket server. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Sessions with a socket (or in their resume window) in this process. */
  liveSessions(): number;
  /** Ends every live session (DISCONNECT) and closes the sockets. */
  close(): Promise<void>;
}

export function createPracticeSocketServer(deps: PracticeSocketDeps): PracticeSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES });
  const sessions = new Map<string, LiveSession>();
  const clock = deps.clock ?? systemClock;
  const silenceTimeoutMs = deps.silenceTimeoutMs ?? 120_000;
  const resumeGraceMs = deps.resumeGraceMs ?? RESUME_GRACE_MS;
  const source = deps.providers;
  const providersFor = (scope: OrgScope): Promise<VoiceProviders> =>
    "forOrganization" in source
      ? scope.db.transaction((tx) => source.forOrganization(tx, scope.organization.id))
      : Promise.resolve(source);

  wss.on("connection", (ws: WebSocket) => {
    new Connection(ws).start();
  });

  class Connection implements SessionConnection {
    session: LiveSession | null = null;
    stream: TranscriptionStream | null = null;
    streamOffsetMs = 0;
    /** The open stream failed: its audio is not transcribed (the worker transcribes it). */
    streamFailed = false;
    consuming: Promise<void> = Promise.resolve();
    finishing: Promise<void> = Promise.resolve();
    /** Frames are handled one after another (audio order, minute charging). */
    chain: Promise<void> = Promise.resolve();
    /** Prospect replies, one after another. */
    replies: Promise<void> = Promise.resolve();
    badFrames = 0;
    authTimer: NodeJS.Timeout | null = null;
    authenticating = false;
    closed = false;

    constructor(readonly ws: WebSocket) {}

    start() {
      this.authTimer = setTimeout(() => {
        this.send({ type: "error", code: "unauthenticated", message: "No ticket was sent." });
        this.ws.close(CLOSE.authTimeout, "auth timeout");
      }, deps.authTimeoutMs ?? 10_000);
      this.ws.on("message", (data: RawData, isBinary: boolean) => {
        this.chain = this.chain
          .then(() => this.onMessage(data, isBinary))
          .catch((error: unknown) => this.fail(error));
      });
      this.ws.on("close", () => {
        this.closed = true;
        if (this.authTimer) clearTimeout(this.authTimer);
        this.chain = this.chain
          .then(() => this.onClose())
          .catch((error: unknown) => deps.logger.warn({ err: error }, "practice socket close"));
      });
      this.ws.on("error", (error) => deps.logger.warn({ err: error }, "practice socket error"));
    }

    send(frame: ServerFrame) {
      if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(frame));
    }

    error(code: ErrorCode, message: string) {
      this.send({ type: "error", code, message });
      if (code === "bad_frame" || code === "invalid_audio") {
        this.badFrames += 1;
        if (this.badFrames >= MAX_BAD_FRAMES) this.ws.close(CLOSE.badFrames, "too many bad frames");
      }
    }

    fail(error: unknown) {
      const scopeLogger = this.session?.scope.logger ?? deps.logger;
      scopeLogger.error({ err: error }, "practice socket failed");
      this.send({
        type: "error",
        code: "internal",
        message: "Something went wrong on the server.",
      });
      if (this.session) void endSession(this.session, "ERROR");
      else this.ws.close(CLOSE.internal, "internal error");
    }

    async onMessage(data: RawData, isBinary: boolean) {
      if (this.closed) return;
      const bytes = toBuffer(data);
      if (isBinary) {
        if (!this.session) return this.error("not_ready", "Send the auth frame first.");
        if (bytes.length === 0 || bytes.length % 2 !== 0) {
          return this.error("invalid_audio", "Audio frames are 16 kHz mono 16-bit PCM.");
        }
        return this.onAudio(bytes);
      }
      let json: unknown;
      try {
        json = JSON.parse(bytes.toString("utf8"));
      } catch {
        return this.error("bad_frame", "Frames are JSON text or binary audio.");
      }
      const parsed = clientFrame.safeParse(json);
      if (!parsed.success) return this.error("bad_frame", "Unknown or malformed frame.");
      const frame = parsed.data;
      switch (frame.type) {
        case "ping":
          return this.send({ type: "pong" });
        case "auth":
          if (this.session || this.authenticating) {
            return this.error("bad_frame", "Already authenticated.");
          }
          return this.authenticate(frame.ticket);
        case "end":
          if (!this.session) return this.error("not_ready", "Send the auth frame first.");
          return endSession(this.session, "USER");
      }
    }

    refuse(message: string) {
      this.send({ type: "error", code: "unauthenticated", message });
      this.ws.close(CLOSE.unauthenticated, "unauthenticated");
    }

    async authenticate(ticket: string) {
      this.authenticating = true;
      const named = parseTicket(ticket);
      if (!named) return this.refuse("Invalid or expired ticket.");
      const now = clock.now();
      // Under the ticket's organization's RLS: another tenant's session is simply not found.
      const tenant = tenantDb(deps.database.app, { organizationId: named.organizationId });
      const row = await tenant.client.practiceSession.findFirst({
        where: { id: named.sessionId },
        select: {
          id: true,
          userId: true,
          status: true,
          ticketHash: true,
          ticketExpiresAt: true,
          audioMs: true,
          transcribedMs: true,
          minutesCharged: true,
          lastActivityAt: true,
          scenario: { select: { name: true, persona: true, product: true, objections: true } },
          segments: { orderBy: { seq: "asc" }, select: { seq: true, speaker: true, text: true } },
        },
      });
      if (
        !row ||
        !ticketMatches(ticket, row.ticketHash) ||
        !row.ticketExpiresAt ||
        row.ticketExpiresAt.getTime() < now.getTime() ||
        row.status === "ENDED"
      ) {
        return this.refuse("Invalid or expired ticket.");
      }
      // The ticket's user must still be an active member of the organization.
      const base = createRequestScope({
        database: deps.database,
        product: deps.product,
        billing: deps.billing,
        logger: deps.logger,
        clock,
        actor: { kind: "system", reason: "practice socket: before its user is known" },
      });
      const user = await base.asSystem("practice socket: the ticket's user").user.findUnique({
        where: { id: row.userId },
        select: { id: true, email: true, name: true, platformRole: true, status: true },
      });
      if (!user || user.status !== "ACTIVE") return this.refuse("Invalid or expired ticket.");
      let scope: OrgScope;
      try {
        const userScope = createRequestScope({
          database: deps.database,
          product: deps.product,
          billing: deps.billing,
          logger: deps.logger,
          clock,
          actor: { kind: "user", user, sessionToken: null },
        });
        scope = await bindOrganization(userScope, named.organizationId, { write: true });
      } catch (error) {
        if (error instanceof AppError) return this.refuse("Invalid or expired ticket.");
        throw error;
      }
      const providers = sessions.get(row.id)?.providers ?? (await providersFor(scope));
      // Single use: only the first socket with this ticket takes it.
      const taken = await scope.db.transaction((tx) =>
        tx.practiceSession.updateMany({
          where: { id: row.id, ticketHash: row.ticketHash },
          data: {
            ticketHash: null,
            ticketExpiresAt: null,
            status: "LIVE",
            lastActivityAt: now,
            startedAt: row.status === "PENDING" ? now : undefined,
            sttProvider: providers.stt.id,
            llmProvider: providers.llm.id,
            ttsProvider: providers.tts?.id ?? null,
          },
        }),
      );
      if (taken.count !== 1) return this.refuse("Invalid or expired ticket.");
      if (this.authTimer) clearTimeout(this.authTimer);
      if (this.closed) return;

      let session = sessions.get(row.id);
      const resumed = row.status === "LIVE";
      if (session) {
        if (session.graceTimer) clearTimeout(session.graceTimer);
        session.graceTimer = null;
        const previous = session.connection;
        if (previous && previous !== this) {
          previous.send({ type: "error", code: "unauthenticated", message: "Resumed elsewhere." });
          previous.ws.close(CLOSE.replaced, "replaced");
          await previous.finishStream();
        }
        session.scope = scope;
      } else {
        const objections = row.scenario.objections;
        session = {
          scope,
          providers,
          sessionId: row.id,
          userId: row.userId,
          scenario: {
            name: row.scenario.name,
            persona: row.scenario.persona,
            product: row.scenario.product,
            objections: Array.isArray(objections)
              ? objections.filter((item): item is string => typeof item === "string")
              : [],
          },
          audioMs: row.audioMs,
          minutesCharged: row.minutesCharged,
          nextSeq: (row.segments.at(-1)?.seq ?? -1) + 1,
          lastSpeechMs: row.audioMs,
          transcribedMs: row.transcribedMs,
          recordingStartMs: row.audioMs,
          history: row.segments.map((segment) => ({
            role: segment.speaker === "TRAINEE" ? ("user" as const) : ("assistant" as const),
            content: segment.text,
          })),
          recording: [],
          recordingBytes: 0,
          connection: null,
          graceTimer: null,
          ended: false,
        };
        sessions.set(row.id, session);
      }
      session.connection = this;
      this.session = session;
      this.streamOffsetMs = session.audioMs;
      const { stt, llm, tts } = session.providers;
      this.send({
        type: "ready",
        sessionId: session.sessionId,
        resumed,
        audioMs: session.audioMs,
        minutesCharged: session.minutesCharged,
        providers: {
          stt: { name: stt.name, offline: stt.offline },
          llm: { name: llm.name, offline: llm.offline },
          tts: tts ? { name: tts.name, offline: tts.offline } : null,
        },
      });
    }

    openStream(session: LiveSession): TranscriptionStream {
      if (this.stream) return this.stream;
      const stream = session.providers.stt.stream();
      this.stream = stream;
      this.streamFailed = false;
      this.streamOffsetMs = session.audioMs;
      const offset = this.streamOffsetMs;
      this.consuming = (async () => {
        for await (const segment of stream) {
          if (segment.final) await this.onSegment(session, segment, offset);
        }
      })().catch((error: unknown) => {
        this.streamFailed = true;
        session.scope.logger.warn({ err: error }, "speech-to-text stream failed");
        this.send({ type: "error", code: "internal", message: "Transcription failed." });
      });
      return stream;
    }

    /**
     * Ends the speech-to-text stream: every segment of the audio so far is stored, and (unless
     * the stream failed) that audio counts as transcribed.
     */
    finishStream(): Promise<void> {
      const stream = this.stream;
      const session = this.session;
      if (stream) {
        this.stream = null;
        const offset = this.streamOffsetMs;
        // Every caller (close, end, a resuming socket) waits for the same flush.
        this.finishing = this.finishing
          .then(() =>
            stream.end().then(
              () => true,
              () => false,
            ),
          )
          .then(async (flushed) => {
            await this.consuming;
            if (session && flushed && !this.streamFailed) {
              session.transcribedMs = Math.max(
                session.transcribedMs,
                Math.round(offset + stream.receivedMs),
              );
            }
          });
      }
      return this.finishing.then(() => this.replies);
    }

    async onAudio(pcm: Buffer) {
      const session = this.session;
      if (!session || session.ended) return;
      const after = session.audioMs + pcm.length / BYTES_PER_MS;
      // Each started minute is charged before its audio is accepted.
      while (after > session.minutesCharged * MINUTE_MS) {
        try {
          const charged = await chargeMinute(session.scope, {
            sessionId: session.sessionId,
            userId: session.userId,
          });
          session.minutesCharged = charged.minutesCharged;
          this.send({ type: "minutes", ...charged });
        } catch (error) {
          if (error instanceof AppError && error.data.code === "QUOTA_EXCEEDED") {
            await endSession(session, "QUOTA");
            return;
          }
          throw error;
        }
      }
      this.openStream(session).write(pcm);
      session.audioMs = after;
      if (session.recordingBytes + pcm.length <= MAX_RECORDING_BYTES) {
        session.recording.push(pcm);
        session.recordingBytes += pcm.length;
      }
      if (session.audioMs - session.lastSpeechMs > silenceTimeoutMs) {
        await endSession(session, "SILENCE");
      }
    }

    async onSegment(session: LiveSession, segment: TranscriptSegment, offsetMs: number) {
      const words = segment.words.map((word) => shift(word, offsetMs));
      const startMs = Math.round(segment.startMs + offsetMs);
      const endMs = Math.round(segment.endMs + offsetMs);
      session.lastSpeechMs = Math.max(session.lastSpeechMs, endMs);
      session.transcribedMs = Math.max(session.transcribedMs, endMs);
      const seq = await storeSegment(session, "TRAINEE", segment.text, words, startMs, endMs);
      this.send({ type: "segment", seq, speaker: "TRAINEE", text: segment.text, startMs, endMs });
      session.history.push({ role: "user", content: segment.text });
      this.replies = this.replies
        .then(() => this.reply(session, endMs))
        .catch((error: unknown) => {
          session.scope.logger.warn({ err: error }, "prospect reply failed");
          this.send({
            type: "error",
            code: "reply_failed",
            message: "The prospect could not answer.",
          });
        });
    }

    /** The AI prospect's answer: text through @plinth/ai, speech where a TTS is configured. */
    async reply(session: LiveSession, afterMs: number) {
      const { llm, model, tts } = session.providers;
      const { scenario } = session;
      const result = await llm
        .stream(
          {
            model,
            system:
              `You are the prospect in a sales practice call. ${scenario.persona}\n` +
              `The caller sells: ${scenario.product}.\n` +
              (scenario.objections.length
                ? `Raise these objections when they fit: ${scenario.objections.join("; ")}.\n`
                : "") +
              "Stay in character. Answer in one or two short spoken sentences.",
            messages: session.history.slice(-20),
            maxTokens: 80,
            temperature: 0.7,
          },
          { signal: AbortSignal.timeout(30_000) },
        )
        .result();
      const text = result.text.trim();
      if (!text) return;
      const spoken = text.replace(OFFLINE_PREFIX, "").trim().slice(0, 400);
      let audio: Buffer | null = null;
      let durationMs = Math.max(600, spoken.split(/\s+/).length * 380);
      if (tts && spoken) {
        const speech = await tts.synthesize(spoken);
        audio = speech.pcm;
        durationMs = Math.round(speech.durationMs);
      }
      const startMs = Math.round(afterMs + 200);
      const endMs = startMs + durationMs;
      const tokens = text.split(/\s+/).filter(Boolean);
      const step = durationMs / Math.max(1, tokens.length);
      const words = tokens.map((word, index) => ({
        word,
        startMs: Math.round(startMs + index * step),
        endMs: Math.round(startMs + (index + 1) * step),
      }));
      const seq = await storeSegment(session, "PROSPECT", text, words, startMs, endMs);
      session.history.push({ role: "assistant", content: text });
      this.send({ type: "segment", seq, speaker: "PROSPECT", text, startMs, endMs });
      this.send({ type: "reply", seq, text, offline: llm.offline });
      if (audio && this.ws.readyState === this.ws.OPEN) {
        this.send({ type: "audio", seq, sampleRate: 16000, bytes: audio.length, durationMs });
        this.ws.send(audio, { binary: true });
      }
    }

    async onClose() {
      const session = this.session;
      if (!session || session.connection !== this) return;
      await this.finishStream();
      // A resuming socket may have taken the session meanwhile.
      if (session.connection !== this || session.ended) return;
      session.connection = null;
      await session.scope.db.transaction((tx) =>
        tx.practiceSession.update({
          where: { id: session.sessionId },
          data: {
            audioMs: Math.round(session.audioMs),
            transcribedMs: session.transcribedMs,
            lastActivityAt: clock.now(),
          },
        }),
      );
      // Resumable for a while; then it ends with what it has.
      session.graceTimer = setTimeout(() => {
        void endSession(session, "DISCONNECT").catch((error: unknown) =>
          session.scope.logger.warn({ err: error }, "ending a dropped practice session"),
        );
      }, resumeGraceMs);
      session.graceTimer.unref();
    }
  }

  async function storeSegment(
    session: LiveSession,
    speaker: "TRAINEE" | "PROSPECT",
    text: string,
    words: TranscriptWord[],
    startMs: number,
    endMs: number,
  ): Promise<number> {
    const seq = session.nextSeq++;
    await session.scope.db.transaction(async (tx) => {
      await tx.transcriptSegment.create({
        data: {
          organizationId: session.scope.organization.id,
          sessionId: session.sessionId,
          seq,
          speaker,
          text,
          words: toStoredWords(words),
          startMs: Math.max(0, startMs),
          endMs: Math.max(0, endMs),
        },
      });
      await tx.practiceSession.update({
        where: { id: session.sessionId },
        data: {
          audioMs: Math.round(session.audioMs),
          transcribedMs: session.transcribedMs,
          lastActivityAt: clock.now(),
        },
      });
    });
    return seq;
  }

  /** Ends a session once: flushes the live transcript, stores the end and its job, says why. */
  async function endSession(session: LiveSession, reason: EndReason): Promise<void> {
    if (session.ended) return;
    session.ended = true;
    if (session.graceTimer) clearTimeout(session.graceTimer);
    const connection = session.connection;
    await connection?.finishStream();
    try {
      await storeEnd(session, reason);
    } finally {
      connection?.send({ type: "ended", reason, message: END_MESSAGES[reason] });
      const code = reason === "QUOTA" ? CLOSE.minutesExhausted : CLOSE.normal;
      connection?.ws.close(code, reason === "QUOTA" ? "minutes exhausted" : "ended");
      sessions.delete(session.sessionId);
    }
  }

  /**
   * One transaction: the session ENDED, its recording, and the worker's finalize job (the
   * transcript's tail, then the feedback). A session practice.end ended meanwhile keeps its
   * end; its recording is still stored and the job queued again (the job key keeps one).
   */
  async function storeEnd(session: LiveSession, reason: EndReason): Promise<void> {
    const { scope } = session;
    const organizationId = scope.organization.id;
    const audio = Buffer.concat(session.recording);
    session.recording = [];
    const durationMs = Math.round(audio.length / BYTES_PER_MS);
    await scope.db.transaction(async (tx) => {
      const figures = {
        audioMs: Math.round(session.audioMs),
        transcribedMs: session.transcribedMs,
        ticketHash: null,
        ticketExpiresAt: null,
      };
      // updateMany: the row may be gone (the organization or the user was erased meanwhile).
      const ended = await tx.practiceSession.updateMany({
        where: { id: session.sessionId, status: { not: "ENDED" } },
        data: { ...figures, status: "ENDED", endReason: reason, endedAt: clock.now() },
      });
      const endedBefore =
        ended.count === 0 &&
        (await tx.practiceSession.updateMany({ where: { id: session.sessionId }, data: figures }))
          .count === 1;
      if (ended.count === 0 && !endedBefore) return;
      if (audio.length > 0) {
        const wav = new Uint8Array(encodeWav(audio));
        const fields = { audio: wav, durationMs, startMs: Math.round(session.recordingStartMs) };
        await tx.practiceRecording.upsert({
          where: { sessionId: session.sessionId },
          create: { organizationId, sessionId: session.sessionId, ...fields },
          update: fields,
        });
      }
      if (ended.count === 1 || audio.length > 0) {
        await queueAfterEnd(tx, { organizationId, sessionId: session.sessionId });
      }
    });
  }

  return {
    handleUpgrade(request, socket, head) {
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
    },
    liveSessions: () => sessions.size,
    async close() {
      await Promise.allSettled(
        [...sessions.values()].map((session) => endSession(session, "DISCONNECT")),
      );
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function shift(word: TranscriptWord, offsetMs: number): TranscriptWord {
  return { ...word, startMs: word.startMs + offsetMs, endMs: word.endMs + offsetMs };
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
