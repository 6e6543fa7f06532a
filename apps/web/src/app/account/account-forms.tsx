"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ConfiguredProvider } from "@plinth/auth/providers";
import { Badge } from "@plinth/ui/badge";
import { Button } from "@plinth/ui/button";
import { ConfirmDialog } from "@plinth/ui/confirm-dialog";
import { Field } from "@plinth/ui/field";
import {
  Form,
  FormControl,
  FormDescription,
  FormField,
  FormItem,
  FormLabel,
  FormMessage,
  InputField,
} from "@plinth/ui/form";
import { Input } from "@plinth/ui/input";
import { setTheme, type Theme } from "@plinth/ui/lib/theme";
import { Switch } from "@plinth/ui/switch";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@plinth/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@plinth/ui/table";
import { toast } from "@plinth/ui/toaster";
import { oauthSignInAction } from "~/app/(auth)/auth-actions.ts";
import { reportError } from "@plinth/web-kit/feedback";
import { useContractForm } from "~/trpc/forms.ts";
import { trpc } from "~/trpc/react.tsx";

export function ResendVerification() {
  const resend = trpc.account.resendVerification.useMutation({
    onSuccess: () => toast.success("Sent — check your inbox."),
    onError: (error) => reportError(error),
  });
  if (resend.isSuccess) return <span className="text-sm">Sent — check your inbox.</span>;
  return (
    <Button size="sm" variant="outline" loading={resend.isPending} onClick={() => resend.mutate()}>
      Resend verification email
    </Button>
  );
}

export function ProfileForm({
  initial,
}: {
  initial: { name: string; image: string; theme: Theme; timezone: string };
}) {
  const router = useRouter();
  // The server's own schema; an empty avatar or time zone field means "none" (null / unset).
  const form = useContractForm("updateProfileInput", {
    defaultValues: {
      name: initial.name,
      image: initial.image === "" ? null : initial.image,
      preferences: {
        theme: initial.theme,
        ...(initial.timezone ? { timezone: initial.timezone } : {}),
      },
    },
  });
  const update = trpc.account.updateProfile.useMutation({
    onSuccess: (_profile, input) => {
      // This device follows the saved theme at once (the cookie the layout reads).
      if (input.preferences?.theme) setTheme(input.preferences.theme);
      toast.success("Profile saved");
      router.refresh();
    },
    onError: (error) => reportError(error, { form }),
  });
  return (
    <Form {...form}>
      <form
        className="grid gap-4 sm:max-w-lg"
        noValidate
        onSubmit={(event) => void form.handleSubmit((values) => update.mutate(values))(event)}
      >
        <InputField control={form.control} name="name" label="Name" autoComplete="name" />
        <FormField
          control={form.control}
          name="image"
          render={({ field }) => (
            <FormItem>
              <FormLabel>Avatar URL</FormLabel>
              <FormControl>
                <Input
                  type="url"
                  placeholder="https://…"
                  {...field}
                  value={field.value ?? ""}
                  onChange={(e) =>
                    field.onChange(e.target.value.trim() === "" ? null : e.target.value)
                  }
                />
              </FormControl>
              <FormMessage />
            </FormItem>
          )}
        />
        <FormField
          control={form.control}
          name="preferences.theme"
          render={({ field }) => (
            <FormItem>
              <FormLabel>Theme</FormLabel>
              <Select value={field.value} onValueChange={field.onChange}>
                <FormControl>
                  <SelectTrigger className="w-full sm:w-48">
                    <SelectValue />
                  </SelectTrigger>
                </FormControl>
                <SelectContent>
                  <SelectItem value="system">System</SelectItem>
                  <SelectItem value="light">Light</SelectItem>
                  <SelectItem value="dark">Dark</SelectItem>
                </SelectContent>
              </Select>
              <FormMessage />
            </FormItem>
          )}
        />
        <FormField
          control={form.control}
          name="preferences.timezone"
          render={({ field }) => (
            <FormItem>
              <FormLabel>Time zone</FormLabel>
              <FormControl>
                <Input
                  placeholder="Europe/Paris"
                  {...field}
                  value={field.value ?? ""}
                  onChange={(e) =>
                    field.onChange(e.target.value.trim() === "" ? undefined : e.target.value)
                  }
                />
              </FormControl>
              <FormDescription>Empty: your browser&apos;s.</FormDescription>
              <FormMessage />
            </FormItem>
          )}
        />
        <div>
          <Button type="submit" loading={update.isPending}>
            Save profile
          </Button>
        </div>
      </form>
    </Form>
  );
}

export function PasswordForm({ hasPassword }: { hasPassword: boolean }) {
  const router = useRouter();
  const form = useContractForm("changePasswordInput", {
    defaultValues: { currentPassword: "", newPassword: "" },
  });
  const change = trpc.account.changePassword.useMutation({
    onSuccess: (result) => {
      form.reset();
      toast.success(
        `Password saved. ${result.otherSessionsRevoked} other session(s) were signed out.`,
      );
      router.refresh();
    },
    onError: (error) => reportError(error, { form }),
  });
  return (
    <Form {...form}>
      <form
        className="grid gap-4 sm:max-w-lg"
        noValidate
        onSubmit={(event) =>
          void form.handleSubmit((values) =>
            change.mutate(hasPassword ? values : { newPassword: values.newPassword }),
          )(event)
        }
      >
        {hasPassword ? (
          <InputField
            control={form.control}
            name="currentPassword"
            label="Current password"
            type="password"
            autoComplete="current-password"
          />
        ) : null}
        <InputField
          control={form.control}
          name="newPassword"
          label="New password"
          type="password"
          autoComplete="new-password"
          description="At least 10 characters. Your other devices will be signed out."
        />
        <div>
          <Button type="submit" loading={change.isPending}>
            {hasPassword ? "Change password" : "Set password"}
          </Button>
        </div>
      </form>
    </Form>
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
  const unlink = trpc.account.unlinkSignInMethod.useMutation({
    onError: (error) => reportError(error),
  });
  const linked = new Set(methods.flatMap((m) => (m.kind === "oauth" ? [m.provider] : [])));
  const label = (m: Method) =>
    m.kind === "password"
      ? "Email and password"
      : (providers.find((p) => p.id === m.provider)?.name ?? m.provider);
  const only = methods.length <= 1;
  return (
    <div className="grid gap-4">
      <Table aria-label="Sign-in methods">
        <TableBody>
          {methods.map((m) => (
            <TableRow key={m.kind === "password" ? "password" : m.provider}>
              <TableCell className="font-medium">{label(m)}</TableCell>
              <TableCell className="text-muted-foreground">
                {m.kind === "oauth" ? `linked ${m.linkedAt.slice(0, 10)}` : ""}
              </TableCell>
              <TableCell className="text-right">
                <ConfirmDialog
                  trigger={
                    <Button
                      size="sm"
                      variant="outline"
                      disabled={only}
                      title={only ? "Your only sign-in method cannot be removed" : undefined}
                    >
                      Remove
                    </Button>
                  }
                  title={`Remove ${label(m)}?`}
                  description="You will no longer be able to sign in this way."
                  confirmLabel="Remove sign-in method"
                  onConfirm={async () => {
                    await unlink.mutateAsync(
                      m.kind === "password"
                        ? { kind: "password" }
                        : { kind: "oauth", provider: m.provider },
                    );
                    toast.success(`${label(m)} removed`);
                    router.refresh();
                  }}
                />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <div className="flex flex-wrap gap-2">
        {providers
          .filter((p) => !linked.has(p.id))
          .map((p) => (
            <form key={p.id} action={oauthSignInAction}>
              <input type="hidden" name="provider" value={p.id} />
              <input type="hidden" name="callbackUrl" value="/account" />
              <Button type="submit" variant="outline" size="sm">
                Link {p.name}
              </Button>
            </form>
          ))}
      </div>
      <p className="text-sm text-muted-foreground">
        You can always also sign in with a link emailed to your address.
      </p>
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
    onError: (error) => reportError(error),
  });
  const all = trpc.account.signOutEverywhere.useMutation({
    onError: (error) => reportError(error),
  });
  return (
    <div className="grid gap-4">
      <Table aria-label="Sessions">
        <TableHeader>
          <TableRow>
            <TableHead>Device</TableHead>
            <TableHead>IP</TableHead>
            <TableHead>Signed in</TableHead>
            <TableHead className="text-right">Actions</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {sessions.map((s) => (
            <TableRow key={s.id}>
              <TableCell>
                {device(s.userAgent)}{" "}
                {s.current ? <Badge variant="success">this device</Badge> : null}
              </TableCell>
              <TableCell>{s.ipAddress ?? "—"}</TableCell>
              <TableCell className="whitespace-nowrap">
                {s.createdAt.replace("T", " ").slice(0, 16)}
              </TableCell>
              <TableCell className="text-right">
                <ConfirmDialog
                  trigger={
                    <Button size="sm" variant="outline">
                      {s.current ? "Sign out" : "Revoke"}
                    </Button>
                  }
                  title={s.current ? "Sign out of this device?" : "Revoke this session?"}
                  description={
                    s.current
                      ? "You go back to the sign-in page."
                      : `${device(s.userAgent)} is signed out at its next request.`
                  }
                  confirmLabel={s.current ? "Sign out" : "Revoke session"}
                  onConfirm={async () => {
                    const result = await revoke.mutateAsync({ sessionId: s.id });
                    if (result.current) router.push("/sign-in");
                    else router.refresh();
                  }}
                />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <div>
        <ConfirmDialog
          trigger={<Button variant="outline">Sign out of all devices</Button>}
          title="Sign out of all devices?"
          description="Every session ends, this one included."
          confirmLabel="Sign out everywhere"
          onConfirm={async () => {
            await all.mutateAsync();
            router.push("/sign-in");
          }}
        />
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
    onError: (error) => reportError(error),
  });
  if (plan.blockers.length > 0) {
    return (
      <div className="grid gap-2 text-sm">
        <p>Before you can delete your account:</p>
        <ul className="list-disc pl-5">
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
    <div className="grid gap-4">
      <p className="text-sm text-muted-foreground">
        This signs you out everywhere and cannot be undone.
        {plan.deleted.length > 0
          ? ` These organizations, where you are the only member, are deleted with it: ${plan.deleted.map((o) => o.name).join(", ")}.`
          : ""}
        {plan.left.length > 0 ? ` You leave: ${plan.left.map((o) => o.name).join(", ")}.` : ""}
      </p>
      <div>
        <ConfirmDialog
          trigger={<Button variant="destructive">Delete my account…</Button>}
          title="Delete your account?"
          description="Your account, and the organizations where you are the only member, are deleted for good."
          confirmLabel="Delete my account"
          confirmDisabled={confirm.trim().toLowerCase() !== email.toLowerCase()}
          onOpenChange={(open) => {
            if (!open) setConfirm("");
          }}
          onConfirm={async () => {
            await remove.mutateAsync({ confirmEmail: confirm });
            router.push("/sign-in?deleted=1");
          }}
        >
          <Field id="delete-confirm" label={`Type ${email} to confirm`}>
            <Input
              name="confirmEmail"
              autoComplete="off"
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
            />
          </Field>
        </ConfirmDialog>
      </div>
    </div>
  );
}

/** Product news by email: optional, off until granted; each change is a consent record. */
export function MarketingConsent({ granted, version }: { granted: boolean; version: string }) {
  const router = useRouter();
  const record = trpc.account.recordConsent.useMutation({
    onSuccess: (state) => {
      toast.success(state.valid ? "You will get product news" : "No more product news");
      router.refresh();
    },
    onError: (error) => reportError(error),
  });
  return (
    <label className="flex items-center justify-between gap-4 text-sm">
      <span>
        Product news by email
        <span className="block text-muted-foreground">
          A few emails a year about new features. Account and billing emails always come.
        </span>
      </span>
      <Switch
        checked={granted}
        disabled={record.isPending}
        onCheckedChange={(checked) =>
          record.mutate({ kind: "MARKETING", version, granted: checked })
        }
        aria-label="Product news by email"
      />
    </label>
  );
}
