"use client";
// One practice session. While it is open: a fresh single-use ticket (practice.ticket, never in
// the URL) opens the practice socket on the gateway, the microphone streams 16 kHz PCM
// (getUserMedia → AudioContext at 16 kHz → ScriptProcessor), the transcript grows live and
// the prospect's replies play. When it
// ends (by the button, silence, or the minutes running out) the worker finishes the transcript
// and writes the feedback: the page polls practice.get ("Transcribing…", "Analysing…") until
// both are READY (or FAILED: the analysis can be run again), then shows them.
import { Mic, Square } from "lucide-react";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { Badge } from "@plinth/ui/badge";
import { Banner } from "@plinth/ui/banner";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { PageHeader } from "@plinth/ui/page-header";
import { Stat } from "@plinth/ui/stat";
import { reportError } from "@plinth/web-kit/feedback";
import type { VoiceTrainingOutputs } from "../trpc.ts";
import { api } from "./api.ts";

type Session = VoiceTrainingOutputs["practice"]["get"];

/** How often the page asks again while the worker finishes the transcript or the feedback. */
const AFTER_END_POLL_MS = 1_500;

/** The worker still has the session's transcript or feedback. */
function afterEndPending(session: Session | undefined): boolean {
  return (
    session?.status === "ENDED" &&
    (session.transcriptStatus === "PENDING" || session.feedbackStatus === "PENDING")
  );
}
type Line = { seq: number; speaker: "TRAINEE" | "PROSPECT"; text: string };
type Providers = Record<"stt" | "llm" | "tts", { name: string; offline: boolean } | null>;

type Frame =
  | { type: "ready"; providers: Providers; resumed: boolean }
  | { type: "segment"; seq: number; speaker: "TRAINEE" | "PROSPECT"; text: string }
  | { type: "audio"; bytes: number }
  | { type: "minutes"; minutesCharged: number; minutesLeft: number | null }
  | { type: "ended"; reason: string; message: string }
  | { type: "error"; code: string; message: string }
  | { type: "reply" | "pong" };

function isFrame(value: unknown): value is Frame {
  return typeof value === "object" && value !== null && "type" in value;
}

interface Capture {
  stop(): void;
}

/** The microphone as 16 kHz mono PCM16 chunks. */
async function captureMicrophone(
  context: AudioContext,
  onChunk: (pcm: ArrayBuffer) => void,
): Promise<Capture> {
  const stream = await navigator.mediaDevices.getUserMedia({
    // Raw audio: speech-to-text does better without the browser's voice processing.
    audio: {
      channelCount: 1,
      echoCancellation: false,
      noiseSuppression: false,
      autoGainControl: false,
    },
  });
  await context.resume();
  const source = context.createMediaStreamSource(stream);
  // A ScriptProcessor, not an AudioWorklet: a worklet module is a script fetched by URL, which
  // the app's CSP ('strict-dynamic' with a nonce) refuses. The context runs at the device's
  // rate (browsers refuse a microphone into a context of another rate): each chunk is averaged
  // down to 16 kHz here (a box filter over each output sample's span, then PCM16).
  const node = context.createScriptProcessor(4096, 1, 1);
  const ratio = context.sampleRate / 16_000;
  let carry = 0;
  node.onaudioprocess = (event) => {
    const input = event.inputBuffer.getChannelData(0);
    const count = Math.floor((input.length - carry) / ratio);
    const pcm = new Int16Array(Math.max(0, count));
    for (let i = 0; i < count; i++) {
      const from = Math.floor(carry + i * ratio);
      const to = Math.max(from + 1, Math.floor(carry + (i + 1) * ratio));
      let sum = 0;
      for (let j = from; j < to; j++) sum += input[j] ?? 0;
      const sample = Math.max(-1, Math.min(1, sum / (to - from)));
      pcm[i] = sample < 0 ? sample * 32768 : sample * 32767;
    }
    carry = carry + count * ratio - input.length;
    if (carry < 0) carry = 0;
    if (pcm.length > 0) onChunk(pcm.buffer);
  };
  source.connect(node);
  node.connect(context.destination);
  return {
    stop() {
      source.disconnect();
      node.disconnect();
      for (const track of stream.getTracks()) track.stop();
      void context.close();
    },
  };
}

function play(context: AudioContext, pcm: ArrayBuffer) {
  const samples = new Int16Array(pcm);
  const buffer = context.createBuffer(1, samples.length, 16_000);
  const channel = buffer.getChannelData(0);
  for (let i = 0; i < samples.length; i++) channel[i] = (samples[i] ?? 0) / 32768;
  const source = context.createBufferSource();
  source.buffer = buffer;
  source.connect(context.destination);
  source.start();
}

export function SessionView(props: {
  organizationId: string;
  slug: string;
  initialSession: Session;
}) {
  const { organizationId, slug } = props;
  const input = { organizationId, sessionId: props.initialSession.id };
  const session = api.practice.get.useQuery(input, {
    initialData: props.initialSession,
    refetchInterval: (query) => (afterEndPending(query.state.data) ? AFTER_END_POLL_MS : false),
  });
  const reanalyze = api.practice.reanalyze.useMutation({
    onSuccess: () => void session.refetch(),
    onError: (error) => reportError(error),
  });
  const ticket = api.practice.ticket.useMutation();
  const end = api.practice.end.useMutation({ onError: (error) => reportError(error) });
  const [state, setState] = useState<"idle" | "connecting" | "live" | "ended">(
    props.initialSession.status === "ENDED" ? "ended" : "idle",
  );
  const [lines, setLines] = useState<Line[]>([]);
  const [providers, setProviders] = useState<Providers | null>(null);
  const [notice, setNotice] = useState<{
    tone: "info" | "warning" | "danger";
    text: string;
  } | null>(null);
  const [minutesCharged, setMinutesCharged] = useState(props.initialSession.minutesCharged);
  const socket = useRef<WebSocket | null>(null);
  const capture = useRef<Capture | null>(null);
  const speaker = useRef<AudioContext | null>(null);

  const stopAll = () => {
    capture.current?.stop();
    capture.current = null;
  };
  useEffect(
    () => () => {
      stopAll();
      socket.current?.close();
    },
    [],
  );

  async function begin() {
    setState("connecting");
    setNotice(null);
    // Both audio contexts are made in the click's task: browsers let them run then.
    speaker.current ??= new AudioContext({ sampleRate: 16_000 });
    const microphone = new AudioContext();
    let issued: { ticket: string; socketUrl: string };
    try {
      issued = await ticket.mutateAsync(input);
    } catch (error) {
      void microphone.close();
      setState("idle");
      reportError(error as Parameters<typeof reportError>[0]);
      return;
    }
    const ws = new WebSocket(issued.socketUrl);
    ws.binaryType = "arraybuffer";
    socket.current = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: "auth", ticket: issued.ticket }));
    ws.onmessage = (event: MessageEvent<string | ArrayBuffer>) => {
      if (typeof event.data !== "string") {
        if (speaker.current) play(speaker.current, event.data);
        return;
      }
      const frame: unknown = JSON.parse(event.data);
      if (!isFrame(frame)) return;
      switch (frame.type) {
        case "ready":
          setProviders(frame.providers);
          setState("live");
          captureMicrophone(microphone, (pcm) => {
            if (ws.readyState === WebSocket.OPEN) ws.send(pcm);
          }).then(
            (started) => {
              capture.current = started;
            },
            (error: unknown) => {
              setNotice({
                tone: "danger",
                text: `The microphone is not available (${error instanceof Error ? error.message : String(error)}).`,
              });
              ws.send(JSON.stringify({ type: "end" }));
            },
          );
          break;
        case "segment":
          setLines((previous) => [
            ...previous,
            { seq: frame.seq, speaker: frame.speaker, text: frame.text },
          ]);
          break;
        case "minutes":
          setMinutesCharged(frame.minutesCharged);
          break;
        case "ended":
          stopAll();
          setState("ended");
          setNotice({ tone: frame.reason === "QUOTA" ? "warning" : "info", text: frame.message });
          // Stored before this frame: the statuses are PENDING now, and the polling starts.
          void session.refetch();
          break;
        case "error":
          if (frame.code === "unauthenticated") setNotice({ tone: "danger", text: frame.message });
          break;
        default:
          break;
      }
    };
    ws.onclose = () => {
      stopAll();
      socket.current = null;
      setState((current) => (current === "ended" ? current : "idle"));
      void session.refetch();
    };
  }

  function finish() {
    const ws = socket.current;
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "end" }));
    else end.mutate(input, { onSuccess: () => void session.refetch() });
  }

  const data = session.data;
  const transcript: Line[] =
    state === "ended" || lines.length === 0
      ? data.segments.map(({ seq, speaker, text }) => ({ seq, speaker, text }))
      : lines;
  const feedback = data.latestFeedback;
  const ended = state === "ended" || data.status === "ENDED";
  const transcribing = ended && data.transcriptStatus === "PENDING";
  const analysing = ended && !transcribing && data.feedbackStatus === "PENDING";

  return (
    <div className="grid gap-6">
      <PageHeader
        title={data.scenario.name}
        description={
          <Link className="underline-offset-4 hover:underline" href={`/o/${slug}/practice`}>
            Back to practice
          </Link>
        }
      />
      {notice ? <Banner tone={notice.tone}>{notice.text}</Banner> : null}

      {state !== "ended" ? (
        <Card>
          <CardHeader>
            <CardTitle>Live call</CardTitle>
            <CardDescription>
              Speak as you would on the phone; the prospect answers after each pause.
            </CardDescription>
          </CardHeader>
          <CardContent className="flex flex-wrap items-center gap-3">
            {state === "live" ? (
              <Button variant="destructive" onClick={finish}>
                <Square aria-hidden="true" /> End session
              </Button>
            ) : (
              <Button onClick={() => void begin()} loading={state === "connecting"}>
                <Mic aria-hidden="true" /> {data.status === "LIVE" ? "Resume" : "Start speaking"}
              </Button>
            )}
            <span className="text-sm text-muted-foreground" aria-live="polite">
              {state === "live" ? `Listening · ${minutesCharged} min charged` : null}
            </span>
            {providers
              ? Object.values(providers).map((provider) =>
                  provider ? (
                    <Badge key={provider.name} variant={provider.offline ? "warning" : "outline"}>
                      {provider.name}
                    </Badge>
                  ) : null,
                )
              : null}
          </CardContent>
        </Card>
      ) : null}

      <Card>
        <CardHeader>
          <CardTitle>Transcript</CardTitle>
          {transcribing ? (
            <CardDescription role="status">Transcribing…</CardDescription>
          ) : ended && data.transcriptStatus === "FAILED" ? (
            <CardDescription role="status">
              The end of the call could not be transcribed; this is what was heard live.
            </CardDescription>
          ) : null}
        </CardHeader>
        <CardContent>
          {transcript.length === 0 ? (
            <p className="text-sm text-muted-foreground">Nothing said yet.</p>
          ) : (
            <ol className="grid gap-2" aria-label="Transcript" aria-live="polite">
              {transcript.map((line) => (
                <li key={line.seq} className="grid gap-0.5">
                  <span className="text-xs font-medium text-muted-foreground">
                    {line.speaker === "TRAINEE" ? "You" : "Prospect"}
                  </span>
                  <span>{line.text}</span>
                </li>
              ))}
            </ol>
          )}
        </CardContent>
      </Card>

      {analysing || transcribing ? (
        <p className="text-sm text-muted-foreground" role="status">
          {transcribing ? "Transcribing…" : "Analysing…"} The feedback appears here when it is
          ready.
        </p>
      ) : null}
      {ended && !transcribing && !analysing && data.feedbackStatus === "FAILED" ? (
        <Banner tone="warning">
          The feedback could not be prepared.{" "}
          <Button
            size="sm"
            variant="outline"
            loading={reanalyze.isPending}
            onClick={() => reanalyze.mutate(input)}
          >
            Analyse again
          </Button>
        </Banner>
      ) : null}
      {feedback && !analysing && !transcribing ? (
        <Card aria-label="Feedback">
          <CardHeader>
            <CardTitle>
              Feedback{" "}
              {feedback.offline ? (
                <Badge variant="warning">Offline demo provider: no model was called</Badge>
              ) : null}
            </CardTitle>
            <CardDescription>
              Revision {feedback.revision} · analysis v{feedback.analysisVersion}
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            <dl className="grid gap-3 sm:grid-cols-4">
              <Stat label="Score" value={feedback.overallScore ?? "—"} />
              <Stat label="Words per minute" value={feedback.wordsPerMinute} />
              <Stat label="Fillers per minute" value={feedback.fillersPerMinute} />
              <Stat label="Talk time" value={`${Math.round(feedback.talkTimeMs / 1000)} s`} />
            </dl>
            <ul className="grid gap-1 text-sm" aria-label="Skills">
              {feedback.skills.map((skill) => (
                <li key={skill.id}>
                  {skill.name}: <strong>{skill.score}</strong>
                </li>
              ))}
            </ul>
            <p className="text-sm whitespace-pre-line">{feedback.summary}</p>
          </CardContent>
        </Card>
      ) : null}
    </div>
  );
}
