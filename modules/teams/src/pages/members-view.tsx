"use client";
// Members and invitations (docs/teams.md). The server enforces every rule; this view only
// hides controls the viewer's role cannot use and shows refusals (plan ones as an upgrade).
import dynamic from "next/dynamic";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ActionsMenu } from "@plinth/ui/actions-menu";
import { Badge } from "@plinth/ui/badge";
import { Button } from "@plinth/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@plinth/ui/card";
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
import { useSortedRows } from "@plinth/ui/lib/sorting";
import { PageHeader } from "@plinth/ui/page-header";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@plinth/ui/select";
import {
  SortableHead,
  Table,
  TableBody,
  TableCell,
  TableEmpty,
  TableHead,
  TableHeader,
  TableRow,
} from "@plinth/ui/table";
import { toast } from "@plinth/ui/toaster";
import { upgradeOfferOf, type ErrorLike, type UpgradeRefusal } from "@plinth/web-kit/errors";
import { reportError } from "@plinth/web-kit/feedback";
import { usePreloadWhenIdle } from "@plinth/web-kit/preload";
import type { TeamsOutputs } from "../trpc.ts";
import { api, useContractForm } from "./api.ts";

// Dialogs open on interaction only: split off, fetched when the page is idle.
const loadConfirm = () => import("@plinth/ui/confirm-dialog");
const loadUpgrade = () => import("@plinth/ui/upgrade-dialog");
const ConfirmDialog = dynamic(() => loadConfirm().then((m) => m.ConfirmDialog), { ssr: false });
const UpgradeDialog = dynamic(() => loadUpgrade().then((m) => m.UpgradeDialog), { ssr: false });

type Member = TeamsOutputs["organization"]["members"][number];
type Invitation = TeamsOutputs["invitation"]["list"][number];
type Role = Member["role"];

interface Props {
  organizationId: string;
  slug: string;
  planName: string;
  viewerId: string;
  viewerRole: Role;
  seats: number | null;
  initialMembers: Member[];
  initialInvitations: Invitation[];
}

const ROLES: Role[] = ["OWNER", "ADMIN", "MEMBER"];
const label = (role: Role) => role.charAt(0) + role.slice(1).toLowerCase();

/** A confirmation waiting to be answered: what it says and what it runs. */
interface Pending {
  title: string;
  description: string;
  confirmLabel: string;
  destructive: boolean;
  run: () => Promise<unknown>;
}

export function MembersView(props: Props) {
  const { organizationId, slug, planName, viewerId, viewerRole } = props;
  const router = useRouter();
  const utils = api.useUtils();
  const isAdmin = viewerRole === "OWNER" || viewerRole === "ADMIN";
  const isOwner = viewerRole === "OWNER";
  const members = api.organization.members.useQuery(
    { organizationId },
    { initialData: props.initialMembers },
  );
  const invitations = api.invitation.list.useQuery(
    { organizationId },
    { initialData: props.initialInvitations, enabled: isAdmin },
  );
  const [refusal, setRefusal] = useState<UpgradeRefusal | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  usePreloadWhenIdle(loadConfirm, loadUpgrade);

  const onError = (error: ErrorLike) => reportError(error, { onRefusal: setRefusal });
  const refresh = async (message?: string) => {
    if (message) toast.success(message);
    await Promise.all([
      utils.organization.members.invalidate({ organizationId }),
      utils.invitation.list.invalidate({ organizationId }),
    ]);
    router.refresh();
  };

  const updateRole = api.member.updateRole.useMutation({
    onSuccess: () => refresh("Role updated."),
    onError,
  });
  const remove = api.member.remove.useMutation({ onError });
  const transfer = api.member.transferOwnership.useMutation({ onError });
  const leave = api.member.leave.useMutation({ onError });
  const resend = api.invitation.resend.useMutation({
    onSuccess: (i) => refresh(`Invitation sent again to ${i.email}.`),
    onError,
  });
  const revoke = api.invitation.revoke.useMutation({ onError });

  const memberRows = members.data ?? [];
  const invitationRows = isAdmin ? (invitations.data ?? []) : [];
  const usedSeats = memberRows.length + invitationRows.filter((i) => i.status === "pending").length;
  const sorted = useSortedRows(
    memberRows,
    {
      name: (m) => m.user.name ?? m.user.email,
      email: (m) => m.user.email,
      role: (m) => ROLES.indexOf(m.role),
      joined: (m) => m.createdAt,
    },
    { key: "joined", direction: "asc" },
  );

  return (
    <div className="grid gap-6">
      <PageHeader
        title="Members"
        description={
          <span data-testid="seats">
            {props.seats === null
              ? `${usedSeats} seats used`
              : `${usedSeats} of ${props.seats} seats used`}{" "}
            (members and pending invitations)
          </span>
        }
      />

      {isAdmin ? (
        <InviteForm
          organizationId={organizationId}
          canInviteOwners={isOwner}
          onInvited={refresh}
          onRefused={setRefusal}
        />
      ) : null}

      <Card className="gap-0 pb-0">
        <CardHeader className="pb-4">
          <CardTitle>Members</CardTitle>
        </CardHeader>
        <Table aria-label="Members">
          <TableHeader>
            <TableRow>
              <SortableHead {...sorted.headProps("name")}>Name</SortableHead>
              <SortableHead {...sorted.headProps("email")}>Email</SortableHead>
              <SortableHead {...sorted.headProps("role")}>Role</SortableHead>
              <SortableHead {...sorted.headProps("joined")}>Joined</SortableHead>
              <TableHead className="w-12">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {sorted.rows.map((member) => {
              const self = member.user.id === viewerId;
              // Only owners touch owners; admins manage admins and members.
              const manageable = isAdmin && !self && (isOwner || member.role !== "OWNER");
              const canTransfer = isOwner && !self && member.role !== "OWNER";
              const email = member.user.email;
              return (
                <TableRow key={member.id} data-testid={`member-${email}`}>
                  <TableCell className="font-medium">
                    {member.user.name ?? "—"}
                    {self ? <span className="text-muted-foreground"> (you)</span> : null}
                  </TableCell>
                  <TableCell>{email}</TableCell>
                  <TableCell>
                    {manageable ? (
                      <Select
                        value={member.role}
                        disabled={updateRole.isPending}
                        onValueChange={(role) =>
                          updateRole.mutate({
                            organizationId,
                            membershipId: member.id,
                            role: role as Role,
                          })
                        }
                      >
                        <SelectTrigger size="sm" aria-label={`Role of ${email}`}>
                          <SelectValue />
                        </SelectTrigger>
                        <SelectContent>
                          {ROLES.filter((role) => isOwner || role !== "OWNER").map((role) => (
                            <SelectItem key={role} value={role}>
                              {label(role)}
                            </SelectItem>
                          ))}
                        </SelectContent>
                      </Select>
                    ) : (
                      <Badge variant="outline">{member.role.toLowerCase()}</Badge>
                    )}
                  </TableCell>
                  <TableCell className="whitespace-nowrap text-muted-foreground">
                    {formatDay(member.createdAt)}
                  </TableCell>
                  <TableCell className="text-right">
                    {self || manageable || canTransfer ? (
                      <ActionsMenu
                        label={`Actions for ${email}`}
                        actions={[
                          ...(canTransfer
                            ? [
                                {
                                  label: "Transfer ownership…",
                                  onSelect: () =>
                                    setPending({
                                      title: `Make ${email} the owner?`,
                                      description:
                                        "They get full control of the organization and its billing; you become an admin.",
                                      confirmLabel: "Transfer ownership",
                                      destructive: false,
                                      run: async () => {
                                        await transfer.mutateAsync({
                                          organizationId,
                                          membershipId: member.id,
                                        });
                                        await refresh("Ownership transferred.");
                                      },
                                    }),
                                },
                              ]
                            : []),
                          ...(manageable
                            ? [
                                {
                                  label: "Remove…",
                                  destructive: true,
                                  separated: canTransfer,
                                  onSelect: () =>
                                    setPending({
                                      title: `Remove ${email}?`,
                                      description:
                                        "They lose access to this organization at once. You can invite them again later.",
                                      confirmLabel: "Remove member",
                                      destructive: true,
                                      run: async () => {
                                        await remove.mutateAsync({
                                          organizationId,
                                          membershipId: member.id,
                                        });
                                        await refresh("Member removed.");
                                      },
                                    }),
                                },
                              ]
                            : []),
                          ...(self
                            ? [
                                {
                                  label: "Leave organization…",
                                  destructive: true,
                                  onSelect: () =>
                                    setPending({
                                      title: "Leave this organization?",
                                      description:
                                        "You lose access to it. Someone has to invite you to come back.",
                                      confirmLabel: "Leave organization",
                                      destructive: true,
                                      run: async () => {
                                        await leave.mutateAsync({ organizationId });
                                        router.push("/");
                                      },
                                    }),
                                },
                              ]
                            : []),
                        ]}
                      />
                    ) : null}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </Card>

      {isAdmin ? (
        <Card className="gap-0 pb-0">
          <CardHeader className="pb-4">
            <CardTitle>Pending invitations</CardTitle>
          </CardHeader>
          <Table aria-label="Pending invitations">
            <TableHeader>
              <TableRow>
                <TableHead>Email</TableHead>
                <TableHead>Role</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Expires</TableHead>
                <TableHead>Invited by</TableHead>
                <TableHead className="text-right">Actions</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {invitationRows.length === 0 ? (
                <TableEmpty colSpan={6}>No pending invitations.</TableEmpty>
              ) : (
                invitationRows.map((invitation) => {
                  const allowed = isOwner || invitation.role !== "OWNER";
                  const expired = invitation.status === "expired";
                  return (
                    <TableRow key={invitation.id} data-testid={`invitation-${invitation.email}`}>
                      <TableCell className="font-medium">{invitation.email}</TableCell>
                      <TableCell>
                        <Badge variant="outline">{invitation.role.toLowerCase()}</Badge>
                      </TableCell>
                      <TableCell>
                        <Badge variant={expired ? "secondary" : "info"}>{invitation.status}</Badge>
                      </TableCell>
                      <TableCell className="whitespace-nowrap text-muted-foreground">
                        {formatDay(invitation.expiresAt)}
                      </TableCell>
                      <TableCell>{invitation.invitedBy ?? "—"}</TableCell>
                      <TableCell>
                        <div className="flex justify-end gap-2">
                          {allowed ? (
                            <Button
                              size="sm"
                              variant="outline"
                              loading={
                                resend.isPending && resend.variables.invitationId === invitation.id
                              }
                              onClick={() =>
                                resend.mutate({ organizationId, invitationId: invitation.id })
                              }
                            >
                              Resend
                            </Button>
                          ) : null}
                          <Button
                            size="sm"
                            variant="outline"
                            className="text-destructive"
                            onClick={() =>
                              setPending({
                                title: `Revoke the invitation to ${invitation.email}?`,
                                description: "The link in their email stops working at once.",
                                confirmLabel: "Revoke invitation",
                                destructive: true,
                                run: async () => {
                                  const revoked = await revoke.mutateAsync({
                                    organizationId,
                                    invitationId: invitation.id,
                                  });
                                  await refresh(`Invitation to ${revoked.email} revoked.`);
                                },
                              })
                            }
                          >
                            Revoke
                          </Button>
                        </div>
                      </TableCell>
                    </TableRow>
                  );
                })
              )}
            </TableBody>
          </Table>
        </Card>
      ) : null}

      {pending ? (
        <ConfirmDialog
          open
          onOpenChange={(open) => {
            if (!open) setPending(null);
          }}
          title={pending.title}
          description={pending.description}
          confirmLabel={pending.confirmLabel}
          destructive={pending.destructive}
          onConfirm={async () => {
            await pending.run();
            setPending(null);
          }}
        />
      ) : null}
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

function InviteForm(props: {
  organizationId: string;
  canInviteOwners: boolean;
  onInvited: (message: string) => Promise<void>;
  onRefused: (refusal: UpgradeRefusal) => void;
}) {
  const form = useContractForm("createInvitationInput", {
    defaultValues: { email: "", role: "MEMBER" as Role },
  });
  const create = api.invitation.create.useMutation({
    onSuccess: async (invitation) => {
      form.reset({ email: "", role: form.getValues("role") });
      await props.onInvited(
        invitation.refreshed
          ? `A new invitation link was sent to ${invitation.email}.`
          : `Invitation sent to ${invitation.email}.`,
      );
    },
    onError: (error) => reportError(error, { form, onRefusal: props.onRefused }),
  });
  return (
    <Card>
      <CardHeader>
        <CardTitle>Invite a teammate</CardTitle>
        <CardDescription>
          They get an email with a link that works once, for 7 days.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <Form {...form}>
          <form
            aria-label="Invite a teammate"
            className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-start"
            noValidate
            onSubmit={(event) =>
              void form.handleSubmit((values) =>
                create.mutate({ organizationId: props.organizationId, ...values }),
              )(event)
            }
          >
            <InputField
              control={form.control}
              name="email"
              label="Email"
              type="email"
              autoComplete="off"
              placeholder="teammate@example.com"
            />
            <FormField
              control={form.control}
              name="role"
              render={({ field }) => (
                <FormItem>
                  <FormLabel>Role</FormLabel>
                  <Select value={field.value} onValueChange={field.onChange}>
                    <FormControl>
                      <SelectTrigger className="w-full">
                        <SelectValue />
                      </SelectTrigger>
                    </FormControl>
                    <SelectContent>
                      {ROLES.filter((r) => props.canInviteOwners || r !== "OWNER").map((r) => (
                        <SelectItem key={r} value={r}>
                          {label(r)}
                        </SelectItem>
                      ))}
                    </SelectContent>
                  </Select>
                  <FormMessage />
                </FormItem>
              )}
            />
            <Button type="submit" loading={create.isPending} className="sm:mt-[1.375rem]">
              Send invitation
            </Button>
          </form>
        </Form>
      </CardContent>
    </Card>
  );
}
