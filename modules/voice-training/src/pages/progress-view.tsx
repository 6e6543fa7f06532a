"use client";
// Progress: the viewer's (or, for admins, a chosen member's) scores, pace, fillers and talk
// ratio over the last 90 days, and for admins the team's figures (sortable) with a member
// picker. The charts load on their own (recharts stays out of the first load).
import dynamic from "next/dynamic";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { formatDay } from "@plinth/ui/lib/format";
import { useSortedRows } from "@plinth/ui/lib/sorting";
import { PageHeader } from "@plinth/ui/page-header";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@plinth/ui/select";
import { Stat } from "@plinth/ui/stat";
import {
  SortableHead,
  Table,
  TableBody,
  TableCell,
  TableEmpty,
  TableHeader,
  TableRow,
} from "@plinth/ui/table";
import type { VoiceTrainingOutputs } from "../trpc.ts";
import { api } from "./api.ts";
import { pageLoaded } from "@plinth/ui/lib/after-load";

const ProgressCharts = dynamic(() => pageLoaded().then(() => import("./progress-charts.tsx")), {
  ssr: false,
});

type Progress = VoiceTrainingOutputs["practice"]["progress"];
type Team = VoiceTrainingOutputs["practice"]["teamProgress"];
type Member = Team["members"][number];

interface Props {
  organizationId: string;
  slug: string;
  viewerId: string;
  initialProgress: Progress;
  /** The team's figures (admins only; null for members). */
  initialTeam: Team | null;
}

const oneDecimal = (value: number | null) => (value === null ? "—" : value.toFixed(1));
const mean = (values: number[]) =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
const memberLabel = (member: Member) => member.name ?? member.email;

export function ProgressView(props: Props) {
  const { organizationId, slug, viewerId, initialTeam } = props;
  const [userId, setUserId] = useState(viewerId);
  const progress = api.practice.progress.useQuery(
    { organizationId, ...(userId === viewerId ? {} : { userId }) },
    userId === viewerId ? { initialData: props.initialProgress } : {},
  );
  const team = api.practice.teamProgress.useQuery(
    { organizationId },
    { initialData: initialTeam ?? undefined, enabled: initialTeam !== null },
  );
  const members = team.data?.members ?? [];
  const chosen = members.find((member) => member.userId === userId);
  const points = progress.data?.points ?? [];
  const scores = points.flatMap((p) => (p.overallScore === null ? [] : [p.overallScore]));

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Practice progress"
        description="Scores, pace and filler words of finished sessions over the last 90 days."
        actions={
          <Button asChild variant="outline">
            <Link href={`/o/${slug}/practice`}>Back to practice</Link>
          </Button>
        }
      />
      {initialTeam ? (
        <label className="grid max-w-sm gap-1.5 text-sm font-medium">
          Member
          <Select value={userId} onValueChange={setUserId}>
            <SelectTrigger aria-label="Member">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {members.map((member) => (
                <SelectItem key={member.userId} value={member.userId}>
                  {member.userId === viewerId
                    ? `${memberLabel(member)} (you)`
                    : memberLabel(member)}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </label>
      ) : null}
      <section aria-labelledby="progress-title" className="grid gap-4">
        <h2 id="progress-title" className="text-lg font-semibold">
          {userId === viewerId || !chosen ? "Your progress" : `${memberLabel(chosen)}'s progress`}
        </h2>
        <dl className="grid gap-3 sm:grid-cols-4">
          <Stat label="Sessions" value={points.length} />
          <Stat label="Average score" value={oneDecimal(mean(scores))} />
          <Stat
            label="Average pace"
            value={oneDecimal(mean(points.map((p) => p.wordsPerMinute)))}
            detail="Words per minute"
          />
          <Stat
            label="Filler words"
            value={oneDecimal(mean(points.map((p) => p.fillersPerMinute)))}
            detail="Per minute"
          />
        </dl>
        {progress.data?.truncated ? (
          <p className="text-sm text-muted-foreground">
            Showing the newest {points.length} sessions of the period.
          </p>
        ) : null}
        {progress.isError ? (
          <p role="alert" className="text-sm text-destructive">
            Could not load these figures. Try again in a moment.
          </p>
        ) : progress.isPending ? (
          <p className="text-sm text-muted-foreground" aria-live="polite">
            Loading…
          </p>
        ) : (
          <ProgressCharts points={points} />
        )}
      </section>
      {initialTeam ? <TeamTable members={members} viewerId={viewerId} onPick={setUserId} /> : null}
    </div>
  );
}

function TeamTable({
  members,
  viewerId,
  onPick,
}: {
  members: Member[];
  viewerId: string;
  onPick: (userId: string) => void;
}) {
  const sorted = useSortedRows(
    members,
    {
      member: (row) => memberLabel(row),
      sessions: (row) => row.sessions,
      minutes: (row) => row.minutesUsed,
      score: (row) => row.averageScore,
      pace: (row) => row.averageWordsPerMinute,
      fillers: (row) => row.averageFillersPerMinute,
      last: (row) => row.lastSessionAt,
    },
    { key: "member", direction: "asc" },
  );
  return (
    <Card className="py-0">
      <CardHeader className="pt-6">
        <CardTitle>Team</CardTitle>
        <CardDescription>
          Each member&apos;s finished sessions of the last 90 days: minutes, averages of their
          latest feedback, and their last session.
        </CardDescription>
      </CardHeader>
      <CardContent className="px-0">
        <Table aria-label="Team progress">
          <TableHeader>
            <TableRow>
              <SortableHead {...sorted.headProps("member")}>Member</SortableHead>
              <SortableHead {...sorted.headProps("sessions")}>Sessions</SortableHead>
              <SortableHead {...sorted.headProps("minutes")}>Minutes</SortableHead>
              <SortableHead {...sorted.headProps("score")}>Avg score</SortableHead>
              <SortableHead {...sorted.headProps("pace")}>Words/min</SortableHead>
              <SortableHead {...sorted.headProps("fillers")}>Fillers/min</SortableHead>
              <SortableHead {...sorted.headProps("last")}>Last session</SortableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {sorted.rows.length === 0 ? (
              <TableEmpty colSpan={7}>No members.</TableEmpty>
            ) : (
              sorted.rows.map((row) => (
                <TableRow key={row.userId}>
                  <TableCell>
                    <button
                      type="button"
                      className="font-medium underline-offset-4 hover:underline"
                      onClick={() => onPick(row.userId)}
                      aria-label={`Show ${memberLabel(row)}'s progress`}
                    >
                      {memberLabel(row)}
                      {row.userId === viewerId ? " (you)" : ""}
                    </button>
                  </TableCell>
                  <TableCell>{row.sessions}</TableCell>
                  <TableCell>{row.minutesUsed}</TableCell>
                  <TableCell>{oneDecimal(row.averageScore)}</TableCell>
                  <TableCell>{oneDecimal(row.averageWordsPerMinute)}</TableCell>
                  <TableCell>{oneDecimal(row.averageFillersPerMinute)}</TableCell>
                  <TableCell>{row.lastSessionAt ? formatDay(row.lastSessionAt) : "—"}</TableCell>
                </TableRow>
              ))
            )}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
