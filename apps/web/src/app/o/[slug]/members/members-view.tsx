"use client";
// Members and invitations (docs/teams.md). The server enforces every rule; this view only
// hides controls the viewer's role cannot use and shows refusals (plan ones as an upgrade).
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { RouterOutputs } from "@plinth/product/trpc";
import { Banner, Button, Input, UpgradePrompt } from "@plinth/ui";
import { trpc, type ClientError } from "~/trpc/react.tsx";
import { describeRefusal, fieldErrorsOf, upgradeRefusalOf } from "~/trpc/errors.ts";

type Member = RouterOutputs["organization"]["members"][number];
type Invitation = RouterOutputs["invitation"]["list"][number];
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

export function MembersView(props: Props) {
  const { organizationId, slug, planName, viewerId, viewerRole } = props;
  const router = useRouter();
  const utils = trpc.useUtils();
  const isAdmin = viewerRole === "OWNER" || viewerRole === "ADMIN";
  const isOwner = viewerRole === "OWNER";
  const members = trpc.organization.members.useQuery(
    { organizationId },
    { initialData: props.initialMembers },
  );
  const invitations = trpc.invitation.list.useQuery(
    { organizationId },
    { initialData: props.initialInvitations, enabled: isAdmin },
  );

  const [refusalError, setRefusalError] = useState<ClientError | null>(null);
  const [message, setMessage] = useState<{ tone: "success" | "danger"; text: string } | null>(null);
  const onError = (error: ClientError) => {
    if (upgradeRefusalOf(error)) setRefusalError(error);
    else setMessage({ tone: "danger", text: error.message });
  };
  const refresh = async (text?: string) => {
    setRefusalError(null);
    setMessage(text ? { tone: "success", text } : null);
    await Promise.all([
      utils.organization.members.invalidate({ organizationId }),
      utils.invitation.list.invalidate({ organizationId }),
    ]);
    router.refresh();
  };

  const updateRole = trpc.member.updateRole.useMutation({
    onSuccess: () => refresh("Role updated."),
    onError,
  });
  const remove = trpc.member.remove.useMutation({
    onSuccess: () => refresh("Member removed."),
    onError,
  });
  const transfer = trpc.member.transferOwnership.useMutation({
    onSuccess: () => refresh("Ownership transferred."),
    onError,
  });
  const leave = trpc.member.leave.useMutation({ onSuccess: () => router.push("/"), onError });
  const resend = trpc.invitation.resend.useMutation({
    onSuccess: (i) => refresh(`Invitation sent again to ${i.email}.`),
    onError,
  });
  const revoke = trpc.invitation.revoke.useMutation({
    onSuccess: (i) => refresh(`Invitation to ${i.email} revoked.`),
    onError,
  });
  const busy =
    updateRole.isPending ||
    remove.isPending ||
    transfer.isPending ||
    leave.isPending ||
    resend.isPending ||
    revoke.isPending;

  const memberRows = members.data ?? [];
  const invitationRows = isAdmin ? (invitations.data ?? []) : [];
  const usedSeats = memberRows.length + invitationRows.filter((i) => i.status === "pending").length;
  const refusal = upgradeRefusalOf(refusalError);

  return (
    <div className="stack-lg">
      <div className="page-head">
        <h1>Members</h1>
        <p className="muted" data-testid="seats">
          {props.seats === null
            ? `${usedSeats} seats used`
            : `${usedSeats} of ${props.seats} seats used`}{" "}
          (members and pending invitations)
        </p>
      </div>

      {refusal ? (
        <UpgradePrompt
          reason={describeRefusal(refusal, planName)}
          planName={refusal.upgrade?.planName ?? null}
          upgradeHref={`/o/${slug}/settings#plan`}
          onDismiss={() => setRefusalError(null)}
        />
      ) : null}
      {message ? <Banner tone={message.tone}>{message.text}</Banner> : null}

      {isAdmin ? (
        <InviteForm
          organizationId={organizationId}
          canInviteOwners={isOwner}
          onInvited={refresh}
          onRefused={setRefusalError}
        />
      ) : null}

      <section className="stack">
        <h2>Members</h2>
        <table className="table" aria-label="Members">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              <th>Joined</th>
              <th className="actions-col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {memberRows.map((member) => {
              const self = member.user.id === viewerId;
              // Only owners touch owners; admins manage admins and members.
              const manageable = isAdmin && !self && (isOwner || member.role !== "OWNER");
              return (
                <tr key={member.id} data-testid={`member-${member.user.email}`}>
                  <td>
                    {member.user.name ?? "—"}
                    {self ? <span className="muted"> (you)</span> : null}
                  </td>
                  <td>{member.user.email}</td>
                  <td>
                    {manageable ? (
                      <select
                        className="ui-input"
                        aria-label={`Role of ${member.user.email}`}
                        value={member.role}
                        disabled={busy}
                        onChange={(event) =>
                          updateRole.mutate({
                            organizationId,
                            membershipId: member.id,
                            role: event.target.value as Role,
                          })
                        }
                      >
                        {ROLES.filter((role) => isOwner || role !== "OWNER").map((role) => (
                          <option key={role} value={role}>
                            {label(role)}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <span className="badge">{member.role.toLowerCase()}</span>
                    )}
                  </td>
                  <td>{member.createdAt.toISOString().slice(0, 10)}</td>
                  <td className="row-actions">
                    {self ? (
                      <Button
                        size="sm"
                        variant="secondary"
                        disabled={busy}
                        onClick={() => {
                          if (
                            window.confirm("Leave this organization? You will lose access to it.")
                          )
                            leave.mutate({ organizationId });
                        }}
                      >
                        Leave
                      </Button>
                    ) : null}
                    {isOwner && !self && member.role !== "OWNER" ? (
                      <Button
                        size="sm"
                        variant="secondary"
                        disabled={busy}
                        onClick={() => {
                          if (
                            window.confirm(
                              `Make ${member.user.email} the owner? You will become an admin.`,
                            )
                          ) {
                            transfer.mutate({ organizationId, membershipId: member.id });
                          }
                        }}
                      >
                        Transfer ownership
                      </Button>
                    ) : null}
                    {manageable ? (
                      <Button
                        size="sm"
                        variant="danger"
                        disabled={busy}
                        onClick={() => {
                          if (
                            window.confirm(`Remove ${member.user.email} from the organization?`)
                          ) {
                            remove.mutate({ organizationId, membershipId: member.id });
                          }
                        }}
                      >
                        Remove
                      </Button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      {isAdmin ? (
        <section className="stack">
          <h2>Pending invitations</h2>
          {invitationRows.length === 0 ? (
            <p className="empty">No pending invitations.</p>
          ) : (
            <table className="table" aria-label="Pending invitations">
              <thead>
                <tr>
                  <th>Email</th>
                  <th>Role</th>
                  <th>Status</th>
                  <th>Expires</th>
                  <th>Invited by</th>
                  <th className="actions-col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {invitationRows.map((invitation) => {
                  const allowed = isOwner || invitation.role !== "OWNER";
                  return (
                    <tr
                      key={invitation.id}
                      className={invitation.status === "expired" ? "row--muted" : undefined}
                      data-testid={`invitation-${invitation.email}`}
                    >
                      <td>{invitation.email}</td>
                      <td>
                        <span className="badge">{invitation.role.toLowerCase()}</span>
                      </td>
                      <td>{invitation.status}</td>
                      <td>{invitation.expiresAt.toISOString().slice(0, 10)}</td>
                      <td>{invitation.invitedBy ?? "—"}</td>
                      <td className="row-actions">
                        {allowed ? (
                          <Button
                            size="sm"
                            variant="secondary"
                            disabled={busy}
                            onClick={() =>
                              resend.mutate({ organizationId, invitationId: invitation.id })
                            }
                          >
                            Resend
                          </Button>
                        ) : null}
                        <Button
                          size="sm"
                          variant="danger"
                          disabled={busy}
                          onClick={() =>
                            revoke.mutate({ organizationId, invitationId: invitation.id })
                          }
                        >
                          Revoke
                        </Button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
    </div>
  );
}

function InviteForm(props: {
  organizationId: string;
  canInviteOwners: boolean;
  onInvited: (message: string) => Promise<void>;
  onRefused: (error: ClientError) => void;
}) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("MEMBER");
  const create = trpc.invitation.create.useMutation({
    onSuccess: async (invitation) => {
      setEmail("");
      await props.onInvited(
        invitation.refreshed
          ? `A new invitation link was sent to ${invitation.email}.`
          : `Invitation sent to ${invitation.email}.`,
      );
    },
    onError: (error) => {
      if (upgradeRefusalOf(error)) props.onRefused(error);
    },
  });
  const fieldErrors = fieldErrorsOf(create.error);
  const otherError =
    create.error && !upgradeRefusalOf(create.error) && !fieldErrors.email
      ? create.error.message
      : null;
  return (
    <section className="stack">
      <h2>Invite a teammate</h2>
      <form
        className="inline-form"
        aria-label="Invite a teammate"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate({ organizationId: props.organizationId, email, role });
        }}
      >
        <Input
          label="Email"
          name="invite-email"
          type="email"
          autoComplete="off"
          placeholder="teammate@example.com"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          errors={fieldErrors.email}
        />
        <div className="ui-field">
          <label htmlFor="field-invite-role" className="ui-label">
            Role
          </label>
          <select
            id="field-invite-role"
            className="ui-input"
            value={role}
            onChange={(event) => setRole(event.target.value as Role)}
          >
            {ROLES.filter((r) => props.canInviteOwners || r !== "OWNER").map((r) => (
              <option key={r} value={r}>
                {label(r)}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" loading={create.isPending}>
          Send invitation
        </Button>
      </form>
      {otherError ? <Banner tone="danger">{otherError}</Banner> : null}
    </section>
  );
}
