// The account page: profile, password, linked sign-in methods, sessions, activity, deletion.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Banner } from "@plinth/ui";
import { configuredProviders } from "@plinth/auth";
import { getSessionUser } from "~/server/session.ts";
import { api } from "~/server/trpc.ts";
import {
  DeleteAccount,
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
  const [profile, methods, sessions, activity, deletion] = await Promise.all([
    caller.account.profile(),
    caller.account.signInMethods(),
    caller.account.sessions(),
    caller.account.activity(),
    caller.account.deletionPreview(),
  ]);
  const providers = configuredProviders();
  const error =
    typeof params.error === "string"
      ? (LINK_ERRORS[params.error] ?? "Linking that sign-in method did not work.")
      : null;

  return (
    <main className="app-main stack-lg">
      <header className="page-head">
        <p>
          <Link href="/">← Back to the app</Link>
        </p>
        <h1>Your account</h1>
        <p className="muted">{profile.email}</p>
      </header>
      {error ? <Banner tone="danger">{error}</Banner> : null}
      {profile.emailVerified ? null : (
        <Banner tone="warning" title="Email not verified" action={<ResendVerification />}>
          Until you verify {profile.email}, you cannot invite teammates or pay for a plan.
        </Banner>
      )}

      <section className="card card--flat account-section" aria-labelledby="profile-heading">
        <h2 id="profile-heading">Profile</h2>
        <ProfileForm
          initial={{
            name: profile.name ?? "",
            image: profile.image ?? "",
            theme: profile.preferences.theme,
            timezone: profile.preferences.timezone ?? "",
          }}
        />
      </section>

      <section className="card card--flat account-section" aria-labelledby="password-heading">
        <h2 id="password-heading">{profile.hasPassword ? "Change password" : "Set a password"}</h2>
        <PasswordForm hasPassword={profile.hasPassword} />
      </section>

      <section className="card card--flat account-section" aria-labelledby="methods-heading">
        <h2 id="methods-heading">Sign-in methods</h2>
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
      </section>

      <section className="card card--flat account-section" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Where you are signed in</h2>
        <SessionsList
          sessions={sessions.map((s) => ({
            ...s,
            createdAt: s.createdAt.toISOString(),
            expires: s.expires.toISOString(),
          }))}
        />
      </section>

      <section className="card card--flat account-section" aria-labelledby="activity-heading">
        <h2 id="activity-heading">Recent account activity</h2>
        {activity.length === 0 ? (
          <p className="empty">No activity yet.</p>
        ) : (
          <table className="table" aria-label="Account activity">
            <thead>
              <tr>
                <th>When</th>
                <th>What</th>
                <th>IP</th>
              </tr>
            </thead>
            <tbody>
              {activity.map((entry) => (
                <tr key={entry.id}>
                  <td className="nowrap">
                    {entry.createdAt.toISOString().replace("T", " ").slice(0, 19)}
                  </td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td>{entry.ipAddress ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="card card--flat account-section" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete account</h2>
        <DeleteAccount email={profile.email} plan={deletion} />
      </section>
    </main>
  );
}
