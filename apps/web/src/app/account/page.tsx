// The account page: profile, password, linked sign-in methods, sessions, activity, deletion.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ArrowLeft } from "lucide-react";
import type { ReactNode } from "react";
import { AppShell, Brand } from "@plinth/ui/app-shell";
import { Banner } from "@plinth/ui/banner";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
import { formatDateTime } from "@plinth/ui/lib/format";
import { PageHeader } from "@plinth/ui/page-header";
import {
  Table,
  TableBody,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from "@plinth/ui/table";
import { DATA_EXPORT_LIFETIME_DAYS } from "@plinth/platform/contracts";
import { RequestMyData } from "~/components/download-data.tsx";
import { Topbar } from "~/components/topbar.tsx";
import { configuredProviders } from "@plinth/auth";
import { getSessionUser } from "~/server/session.ts";
import { api } from "~/server/trpc.ts";
import {
  DeleteAccount,
  MarketingConsent,
  PasswordForm,
  ProfileForm,
  ResendVerification,
  SessionsList,
  SignInMethods,
} from "./account-forms.tsx";

export const metadata: Metadata = { title: "Your account" };
export const dynamic = "force-dynamic";

const LINK_ERRORS: Record<string, string> = {
  OAuthAccountNotLinked: "That account is already linked to another Plinth user.",
};

export default async function AccountPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in?callbackUrl=%2Faccount");
  const params = await searchParams;
  const caller = await api();
  const [profile, methods, sessions, activity, deletion, consents] = await Promise.all([
    caller.account.profile(),
    caller.account.signInMethods(),
    caller.account.sessions(),
    caller.account.activity(),
    caller.account.deletionPreview(),
    caller.account.consents(),
  ]);
  const marketing = consents.find((consent) => consent.kind === "MARKETING");
  const providers = configuredProviders();
  const error =
    typeof params.error === "string"
      ? (LINK_ERRORS[params.error] ?? "Linking that sign-in method did not work.")
      : null;

  const sections: { id: string; title: string; description?: string; body: ReactNode }[] = [
    {
      id: "profile",
      title: "Profile",
      description: "Your name and picture as teammates see them; your theme and time zone.",
      body: (
        <ProfileForm
          initial={{
            name: profile.name ?? "",
            image: profile.image ?? "",
            theme: profile.preferences.theme,
            timezone: profile.preferences.timezone ?? "",
          }}
        />
      ),
    },
    {
      id: "password",
      title: profile.hasPassword ? "Change password" : "Set a password",
      body: <PasswordForm hasPassword={profile.hasPassword} />,
    },
    {
      id: "methods",
      title: "Sign-in methods",
      body: (
        <SignInMethods
          methods={methods.map((m) =>
            m.kind === "password"
              ? { kind: "password" as const }
              : {
                  kind: "oauth" as const,
                  provider: m.provider,
                  linkedAt: m.linkedAt.toISOString(),
                },
          )}
          providers={providers}
        />
      ),
    },
    {
      id: "sessions",
      title: "Where you are signed in",
      body: (
        <SessionsList
          sessions={sessions.map((s) => ({
            ...s,
            createdAt: s.createdAt.toISOString(),
            expires: s.expires.toISOString(),
          }))}
        />
      ),
    },
    {
      id: "activity",
      title: "Recent account activity",
      body: (
        <Table aria-label="Account activity">
          <TableHeader>
            <TableRow>
              <TableHead>When</TableHead>
              <TableHead>What</TableHead>
              <TableHead>IP</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {activity.length === 0 ? (
              <TableEmpty colSpan={3}>No activity yet.</TableEmpty>
            ) : (
              activity.map((entry) => (
                <TableRow key={entry.id}>
                  <TableCell className="whitespace-nowrap text-muted-foreground">
                    {formatDateTime(entry.createdAt)}
                  </TableCell>
                  <TableCell>
                    <code>{entry.action}</code>
                  </TableCell>
                  <TableCell>{entry.ipAddress ?? "—"}</TableCell>
                </TableRow>
              ))
            )}
          </TableBody>
        </Table>
      ),
    },
    ...(marketing
      ? [
          {
            id: "email",
            title: "Email",
            body: <MarketingConsent granted={marketing.valid} version={marketing.currentVersion} />,
          },
        ]
      : []),
    {
      id: "data",
      title: "Your data",
      body: (
        <div className="grid gap-3">
          <p className="text-sm text-muted-foreground">
            Everything Plinth holds about you, in every organization, as one zip file: your profile,
            sign-in methods, sessions, consents and what you created (data.json), with your practice
            recordings and transcripts. We email you a link when it is ready; it works for{" "}
            {DATA_EXPORT_LIFETIME_DAYS} days, only while you are signed in.
          </p>
          <RequestMyData />
        </div>
      ),
    },
    {
      id: "delete",
      title: "Delete account",
      body: <DeleteAccount email={profile.email} plan={deletion} />,
    },
  ];

  return (
    <AppShell
      topbar={
        <Topbar
          breadcrumbs={
            <div className="flex items-center gap-3">
              <Link
                href="/"
                className="rounded-md outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
              >
                <Brand />
              </Link>
              <span className="hidden text-sm text-muted-foreground sm:inline">Your account</span>
            </div>
          }
          user={user}
        />
      }
    >
      <div className="mx-auto grid max-w-3xl gap-6">
        <PageHeader
          title="Your account"
          description={profile.email}
          actions={
            <Button asChild variant="outline">
              <Link href="/">
                <ArrowLeft aria-hidden="true" /> Back to the app
              </Link>
            </Button>
          }
        />
        {error ? <Banner tone="danger">{error}</Banner> : null}
        {profile.emailVerified ? null : (
          <Banner tone="warning" title="Email not verified" action={<ResendVerification />}>
            Until you verify {profile.email}, you cannot invite teammates or pay for a plan.
          </Banner>
        )}
        {sections.map((section) => (
          <Card key={section.id} aria-labelledby={`${section.id}-heading`}>
            <CardHeader>
              <CardTitle id={`${section.id}-heading`}>{section.title}</CardTitle>
              {section.description ? (
                <CardDescription>{section.description}</CardDescription>
              ) : null}
            </CardHeader>
            <CardContent>{section.body}</CardContent>
          </Card>
        ))}
      </div>
    </AppShell>
  );
}
