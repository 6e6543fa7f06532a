"use client";
import { useRouter } from "next/navigation";
import { useState, type ChangeEvent } from "react";
import { Banner, Button, Input } from "@plinth/ui";
import type { ConfiguredProvider } from "@plinth/auth/providers";
import { oauthSignInAction } from "~/app/(auth)/auth-actions.ts";
import { trpc } from "~/trpc/react.tsx";
import { fieldErrorsOf } from "~/trpc/errors.ts";

export function ResendVerification() {
  const resend = trpc.account.resendVerification.useMutation();
  if (resend.isSuccess) return <span>Sent — check your inbox.</span>;
  return (
    <span>
      {resend.error ? <span className="danger-text">{resend.error.message} </span> : null}
      <Button
        type="button"
        size="sm"
        variant="secondary"
        loading={resend.isPending}
        onClick={() => resend.mutate()}
      >
        Resend verification email
      </Button>
    </span>
  );
}

export function ProfileForm({
  initial,
}: {
  initial: { name: string; image: string; theme: "system" | "light" | "dark"; timezone: string };
}) {
  const router = useRouter();
  const [form, setForm] = useState(initial);
  const update = trpc.account.updateProfile.useMutation({ onSuccess: () => router.refresh() });
  const fieldErrors = fieldErrorsOf(update.error);
  const set =
    (key: keyof typeof form) => (event: ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
      setForm((f) => ({ ...f, [key]: event.target.value }));
  return (
    <form
      className="stack"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        update.mutate({
          name: form.name,
          image: form.image.trim() === "" ? null : form.image.trim(),
          preferences: {
            theme: form.theme,
            ...(form.timezone.trim() ? { timezone: form.timezone.trim() } : {}),
          },
        });
      }}
    >
      {update.isSuccess ? <Banner tone="success">Profile saved.</Banner> : null}
      {update.error && Object.keys(fieldErrors).length === 0 ? (
        <Banner tone="danger">{update.error.message}</Banner>
      ) : null}
      <Input
        label="Name"
        id="profile-name"
        name="name"
        value={form.name}
        onChange={set("name")}
        errors={fieldErrors.name}
      />
      <Input
        label="Avatar URL"
        id="profile-image"
        name="image"
        type="url"
        value={form.image}
        onChange={set("image")}
        errors={fieldErrors.image}
        placeholder="https://…"
      />
      <div className="ui-field">
        <label htmlFor="profile-theme" className="ui-label">
          Theme
        </label>
        <select id="profile-theme" className="ui-input" value={form.theme} onChange={set("theme")}>
          <option value="system">System</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </div>
      <Input
        label="Time zone"
        id="profile-timezone"
        name="timezone"
        value={form.timezone}
        onChange={set("timezone")}
        errors={fieldErrors.preferences}
        placeholder="Europe/Paris"
      />
      <Button type="submit" loading={update.isPending}>
        Save profile
      </Button>
    </form>
  );
}

export function PasswordForm({ hasPassword }: { hasPassword: boolean }) {
  const router = useRouter();
  const [form, setForm] = useState({ currentPassword: "", newPassword: "" });
  const change = trpc.account.changePassword.useMutation({
    onSuccess: () => {
      setForm({ currentPassword: "", newPassword: "" });
      router.refresh();
    },
  });
  const fieldErrors = fieldErrorsOf(change.error);
  return (
    <form
      className="stack"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        change.mutate(hasPassword ? form : { newPassword: form.newPassword });
      }}
    >
      {change.isSuccess ? (
        <Banner tone="success">
          Password saved. {change.data.otherSessionsRevoked} other session(s) were signed out.
        </Banner>
      ) : null}
      {change.error && Object.keys(fieldErrors).length === 0 ? (
        <Banner tone="danger">{change.error.message}</Banner>
      ) : null}
      {hasPassword ? (
        <Input
          label="Current password"
          id="current-password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          value={form.currentPassword}
          onChange={(e) => setForm((f) => ({ ...f, currentPassword: e.target.value }))}
        />
      ) : null}
      <Input
        label="New password"
        id="new-password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        hint="At least 10 characters. Your other devices will be signed out."
        value={form.newPassword}
        onChange={(e) => setForm((f) => ({ ...f, newPassword: e.target.value }))}
        errors={fieldErrors.newPassword}
      />
      <Button type="submit" loading={change.isPending}>
        {hasPassword ? "Change password" : "Set password"}
      </Button>
    </form>
  );
}

type Method = { kind: "password" } | { kind: "oauth"; provider: string; linkedAt: string };

export function SignInMethods({
  methods,
  providers,
}: {
  methods: Method[];
  providers: ConfiguredProvider[];
}) {
  const router = useRouter();
  const unlink = trpc.account.unlinkSignInMethod.useMutation({ onSuccess: () => router.refresh() });
  const linked = new Set(methods.flatMap((m) => (m.kind === "oauth" ? [m.provider] : [])));
  const label = (m: Method) =>
    m.kind === "password"
      ? "Email and password"
      : (providers.find((p) => p.id === m.provider)?.name ?? m.provider);
  const only = methods.length <= 1;
  return (
    <div className="stack">
      {unlink.error ? <Banner tone="danger">{unlink.error.message}</Banner> : null}
      <table className="table" aria-label="Sign-in methods">
        <tbody>
          {methods.map((m) => (
            <tr key={m.kind === "password" ? "password" : m.provider}>
              <td>{label(m)}</td>
              <td className="muted">
                {m.kind === "oauth" ? `linked ${m.linkedAt.slice(0, 10)}` : ""}
              </td>
              <td className="actions-col">
                <Button
                  type="button"
                  size="sm"
                  variant="link"
                  disabled={only}
                  title={only ? "Your only sign-in method cannot be removed" : undefined}
                  loading={unlink.isPending}
                  onClick={() =>
                    unlink.mutate(
                      m.kind === "password"
                        ? { kind: "password" }
                        : { kind: "oauth", provider: m.provider },
                    )
                  }
                >
                  Remove
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {providers
        .filter((p) => !linked.has(p.id))
        .map((p) => (
          <form key={p.id} action={oauthSignInAction}>
            <input type="hidden" name="provider" value={p.id} />
            <input type="hidden" name="callbackUrl" value="/account" />
            <button type="submit" className="ui-button ui-button--secondary ui-button--sm">
              Link {p.name}
            </button>
          </form>
        ))}
      <p className="muted">You can always also sign in with a link emailed to your address.</p>
    </div>
  );
}

interface SessionRow {
  id: string;
  ipAddress: string | null;
  userAgent: string | null;
  createdAt: string;
  current: boolean;
}

function device(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /Chrome\//.test(userAgent)
      ? "Chrome"
      : /Firefox\//.test(userAgent)
        ? "Firefox"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : "Browser";
  const os = /Windows/.test(userAgent)
    ? "Windows"
    : /Mac OS X/.test(userAgent)
      ? "macOS"
      : /Android/.test(userAgent)
        ? "Android"
        : /iPhone|iPad/.test(userAgent)
          ? "iOS"
          : /Linux/.test(userAgent)
            ? "Linux"
            : "";
  return os ? `${browser} on ${os}` : browser;
}

export function SessionsList({ sessions }: { sessions: SessionRow[] }) {
  const router = useRouter();
  const revoke = trpc.account.revokeSession.useMutation({
    onSuccess: (result) => (result.current ? router.push("/sign-in") : router.refresh()),
  });
  const all = trpc.account.signOutEverywhere.useMutation({
    onSuccess: () => router.push("/sign-in"),
  });
  return (
    <div className="stack">
      {revoke.error ? <Banner tone="danger">{revoke.error.message}</Banner> : null}
      <table className="table" aria-label="Sessions">
        <thead>
          <tr>
            <th>Device</th>
            <th>IP</th>
            <th>Signed in</th>
            <th className="actions-col" />
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id}>
              <td>
                {device(s.userAgent)}{" "}
                {s.current ? <span className="badge badge--ok">this device</span> : null}
              </td>
              <td>{s.ipAddress ?? "—"}</td>
              <td className="nowrap">{s.createdAt.replace("T", " ").slice(0, 16)}</td>
              <td className="actions-col">
                <Button
                  type="button"
                  size="sm"
                  variant="link"
                  loading={revoke.isPending}
                  onClick={() => revoke.mutate({ sessionId: s.id })}
                >
                  {s.current ? "Sign out" : "Revoke"}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div>
        <Button
          type="button"
          variant="secondary"
          loading={all.isPending}
          onClick={() => all.mutate()}
        >
          Sign out of all devices
        </Button>
      </div>
    </div>
  );
}

interface DeletionPlan {
  deleted: { id: string; name: string }[];
  left: { id: string; name: string }[];
  blockers: { id: string; name: string; reason: string }[];
}

export function DeleteAccount({ email, plan }: { email: string; plan: DeletionPlan }) {
  const router = useRouter();
  const [confirm, setConfirm] = useState("");
  const remove = trpc.account.deleteAccount.useMutation({
    onSuccess: () => router.push("/sign-in?deleted=1"),
  });
  if (plan.blockers.length > 0) {
    return (
      <div className="stack">
        <p>Before you can delete your account:</p>
        <ul>
          {plan.blockers.map((b) => (
            <li key={b.id}>
              <strong>{b.name}</strong> {b.reason}.
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <form
      className="stack"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        remove.mutate({ confirmEmail: confirm });
      }}
    >
      <p className="muted">
        This signs you out everywhere and cannot be undone.
        {plan.deleted.length > 0
          ? ` These organizations, where you are the only member, are deleted with it: ${plan.deleted.map((o) => o.name).join(", ")}.`
          : ""}
        {plan.left.length > 0 ? ` You leave: ${plan.left.map((o) => o.name).join(", ")}.` : ""}
      </p>
      {remove.error ? <Banner tone="danger">{remove.error.message}</Banner> : null}
      <Input
        label={`Type ${email} to confirm`}
        id="delete-confirm"
        name="confirmEmail"
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
      />
      <div>
        <Button
          type="submit"
          variant="danger"
          loading={remove.isPending}
          disabled={confirm.trim().toLowerCase() !== email.toLowerCase()}
        >
          Delete my account
        </Button>
      </div>
    </form>
  );
}
