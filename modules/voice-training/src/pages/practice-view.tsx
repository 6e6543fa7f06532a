"use client";
// Practice: the organization's scenarios (admins add them), start a session (refused without
// minutes → the upgrade prompt), minutes left, and the session history with scores. Before
// the first session: the recording consent step (the server refuses a start without it,
// CONSENT_REQUIRED, and the step comes back if the text's version changed).
import { Mic } from "lucide-react";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useState } from "react";
import { RECORDING_CONSENT_VERSION } from "@plinth/platform/contracts";
import { Badge } from "@plinth/ui/badge";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { Checkbox } from "@plinth/ui/checkbox";
import { EmptyState } from "@plinth/ui/empty-state";
import {
  Form,
  FormControl,
  FormField,
  FormItem,
  FormLabel,
  FormMessage,
  InputField,
} from "@plinth/ui/form";
import { formatDay } from "@plinth/ui/lib/format";
import { PageHeader } from "@plinth/ui/page-header";
import { Stat } from "@plinth/ui/stat";
import {
  Table,
  TableBody,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from "@plinth/ui/table";
import { Textarea } from "@plinth/ui/textarea";
import { toast } from "@plinth/ui/toaster";
import { reportError } from "@plinth/web-kit/feedback";
import { appErrorOf, upgradeOfferOf, type UpgradeRefusal } from "@plinth/web-kit/errors";
import { defaultRubric } from "../contract.ts";
import type { VoiceTrainingOutputs } from "../trpc.ts";
import { api, useContractForm } from "./api.ts";

const UpgradeDialog = dynamic(
  () => import("@plinth/ui/upgrade-dialog").then((m) => m.UpgradeDialog),
  { ssr: false },
);

type Scenario = VoiceTrainingOutputs["practiceScenario"]["list"][number];
type Session = VoiceTrainingOutputs["practice"]["list"][number];
type Minutes = VoiceTrainingOutputs["practice"]["minutes"];

interface Props {
  organizationId: string;
  slug: string;
  isAdmin: boolean;
  planName: string;
  initialScenarios: Scenario[];
  initialSessions: Session[];
  initialMinutes: Minutes;
  /** Whether the user agreed to the current recording text. */
  recordingConsented: boolean;
  /** How long the company keeps recordings (days). */
  retentionDays: number;
}

export function PracticeView(props: Props) {
  const { organizationId, slug, isAdmin, planName } = props;
  const [refusal, setRefusal] = useState<UpgradeRefusal | null>(null);
  const [consented, setConsented] = useState(props.recordingConsented);
  const scenarios = api.practiceScenario.list.useQuery(
    { organizationId },
    { initialData: props.initialScenarios },
  );
  const sessions = api.practice.list.useQuery(
    { organizationId, who: isAdmin ? "all" : "mine" },
    { initialData: props.initialSessions },
  );
  const minutes = api.practice.minutes.useQuery(
    { organizationId },
    { initialData: props.initialMinutes },
  );
  const start = api.practice.start.useMutation({
    // A full page load, not a client-side navigation: the microphone is allowed per document
    // (Permissions-Policy of the session page), and this page's document forbids it.
    onSuccess: (started) =>
      window.location.assign(`/o/${slug}/practice/session/${started.sessionId}`),
    onError: (error) => {
      if (appErrorOf(error)?.code === "CONSENT_REQUIRED") setConsented(false);
      else reportError(error, { onRefusal: setRefusal });
    },
  });
  const left = minutes.data.allocationLeft ?? minutes.data.poolLeft;

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Practice"
        description="Practise sales calls by voice against an AI prospect, then read the feedback."
        actions={
          <>
            <Button asChild variant="outline">
              <Link href={`/o/${slug}/practice/progress`}>
                {isAdmin ? "Progress and team" : "Your progress"}
              </Link>
            </Button>
            <Button asChild variant="outline">
              <Link href={`/o/${slug}/practice/settings`}>
                {isAdmin ? "Recording retention" : `Recordings kept ${props.retentionDays} days`}
              </Link>
            </Button>
          </>
        }
      />
      <dl className="grid gap-3 sm:grid-cols-3">
        <Stat
          label="Minutes left"
          value={left === null ? (minutes.data.metered ? "Metered" : "Unlimited") : left}
          detail={
            minutes.data.allocationLeft !== null ? "Your allocation" : "Your organization's pool"
          }
        />
        <Stat label="Your minutes this period" value={minutes.data.usedByMe} />
        <Stat
          label="Organization this period"
          value={minutes.data.organizationUsed}
          detail={minutes.data.included === null ? "Unlimited" : `of ${minutes.data.included}`}
        />
      </dl>

      {consented ? null : (
        <RecordingConsent retentionDays={props.retentionDays} onAgreed={() => setConsented(true)} />
      )}

      <Card>
        <CardHeader>
          <CardTitle>Scenarios</CardTitle>
          <CardDescription>
            Pick a prospect to call. Your microphone is used on the next page.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-3">
          {scenarios.data.length === 0 ? (
            <EmptyState icon={<Mic aria-hidden="true" />} title="No scenarios yet">
              {isAdmin ? "Add the first one below." : "Ask an admin to add one."}
            </EmptyState>
          ) : (
            <ul className="grid gap-3" aria-label="Scenarios">
              {scenarios.data.map((scenario) => (
                <li
                  key={scenario.id}
                  className="flex flex-col gap-2 rounded-lg border p-4 sm:flex-row sm:items-center sm:justify-between"
                >
                  <div className="grid gap-1">
                    <div className="flex items-center gap-2 font-medium">
                      {scenario.name}
                      <Badge variant="outline">{scenario.difficulty.toLowerCase()}</Badge>
                    </div>
                    <p className="text-sm text-muted-foreground">{scenario.persona}</p>
                  </div>
                  <Button
                    onClick={() => start.mutate({ organizationId, scenarioId: scenario.id })}
                    disabled={!consented}
                    loading={start.isPending && start.variables.scenarioId === scenario.id}
                    aria-label={`Start practice: ${scenario.name}`}
                  >
                    <Mic aria-hidden="true" /> Start
                  </Button>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>

      {isAdmin ? (
        <NewScenario organizationId={organizationId} onCreated={() => void scenarios.refetch()} />
      ) : null}

      <Card className="py-0">
        <Table aria-label="Practice sessions">
          <TableHeader>
            <TableRow>
              <TableHead>Scenario</TableHead>
              <TableHead>When</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Minutes</TableHead>
              <TableHead>Score</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {sessions.data.length === 0 ? (
              <TableEmpty colSpan={5}>No sessions yet.</TableEmpty>
            ) : (
              sessions.data.map((session) => (
                <TableRow key={session.id}>
                  <TableCell>
                    {/* A document load (not <Link>): the session page's own Permissions-Policy. */}
                    <a
                      className="font-medium underline-offset-4 hover:underline"
                      href={`/o/${slug}/practice/session/${session.id}`}
                    >
                      {session.scenario.name}
                    </a>
                  </TableCell>
                  <TableCell>{formatDay(session.createdAt)}</TableCell>
                  <TableCell>
                    <Badge variant={session.status === "ENDED" ? "secondary" : "info"}>
                      {session.status === "ENDED"
                        ? `ended${session.endReason ? ` (${session.endReason.toLowerCase()})` : ""}`
                        : session.status.toLowerCase()}
                    </Badge>
                  </TableCell>
                  <TableCell>{session.minutesCharged}</TableCell>
                  <TableCell>
                    {session.feedbackStatus === "PENDING" ? (
                      <span className="text-xs text-muted-foreground">Analysing…</span>
                    ) : (
                      (session.latestFeedback?.overallScore ?? "—")
                    )}
                    {session.latestFeedback?.offline ? (
                      <span className="ml-1 text-xs text-muted-foreground">(offline)</span>
                    ) : null}
                  </TableCell>
                </TableRow>
              ))
            )}
          </TableBody>
        </Table>
      </Card>

      {refusal ? (
        <UpgradeDialog
          open
          onOpenChange={(open) => {
            if (!open) setRefusal(null);
          }}
          {...upgradeOfferOf(refusal, planName)}
          upgradeLink={<Link href={`/o/${slug}/billing`}>See plans and upgrade</Link>}
        />
      ) : null}
    </div>
  );
}

/** The consent step: nothing is recorded until the user ticks the box and agrees. */
function RecordingConsent({
  retentionDays,
  onAgreed,
}: {
  retentionDays: number;
  onAgreed: () => void;
}) {
  const [checked, setChecked] = useState(false);
  const record = api.account.recordConsent.useMutation({
    onSuccess: () => {
      toast.success("Thanks: you can start practising");
      onAgreed();
    },
    onError: (error) => reportError(error),
  });
  return (
    <Card aria-labelledby="recording-consent-title">
      <CardHeader>
        <CardTitle id="recording-consent-title">Before your first session</CardTitle>
        <CardDescription>
          Practice sessions record your microphone. The audio is transcribed and analysed for
          feedback; your company keeps recordings for {retentionDays} days, transcripts and feedback
          until you delete your account.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <div className="flex items-start gap-3">
          <Checkbox
            id="recording-consent"
            checked={checked}
            onCheckedChange={(value) => setChecked(value === true)}
          />
          <label htmlFor="recording-consent" className="text-sm leading-snug">
            I agree that my practice sessions are recorded, transcribed and analysed.
          </label>
        </div>
        <div>
          <Button
            disabled={!checked}
            loading={record.isPending}
            onClick={() =>
              record.mutate({
                kind: "RECORDING",
                version: RECORDING_CONSENT_VERSION,
                granted: true,
              })
            }
          >
            Agree and continue
          </Button>
        </div>
      </CardContent>
    </Card>
  );
}

function NewScenario({
  organizationId,
  onCreated,
}: {
  organizationId: string;
  onCreated: () => void;
}) {
  const form = useContractForm("createScenarioInput", {
    defaultValues: {
      name: "",
      persona: "",
      product: "",
      objections: [],
      goals: [],
      difficulty: "MEDIUM",
      rubric: defaultRubric,
    },
  });
  const create = api.practiceScenario.create.useMutation({
    onSuccess: (scenario) => {
      form.reset();
      toast.success(`Scenario “${scenario.name}” added`);
      onCreated();
    },
    onError: (error) => reportError(error, { form }),
  });
  return (
    <Card>
      <CardHeader>
        <CardTitle>New scenario</CardTitle>
        <CardDescription>
          Scored with the default rubric: discovery questions, clarity (pace, fillers) and a next
          step.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <Form {...form}>
          <form
            aria-label="New scenario"
            className="grid gap-3"
            noValidate
            onSubmit={(event) =>
              void form.handleSubmit((values) => create.mutate({ organizationId, ...values }))(
                event,
              )
            }
          >
            <InputField control={form.control} name="name" label="Name" maxLength={80} />
            <InputField
              control={form.control}
              name="product"
              label="What the trainee sells"
              maxLength={500}
            />
            <FormField
              control={form.control}
              name="persona"
              render={({ field }) => (
                <FormItem>
                  <FormLabel>The prospect</FormLabel>
                  <FormControl>
                    <Textarea
                      {...field}
                      maxLength={2000}
                      placeholder="Dana, head of finance. Busy, sceptical, cares about cost."
                    />
                  </FormControl>
                  <FormMessage />
                </FormItem>
              )}
            />
            <div>
              <Button type="submit" loading={create.isPending}>
                Add scenario
              </Button>
            </div>
          </form>
        </Form>
      </CardContent>
    </Card>
  );
}
