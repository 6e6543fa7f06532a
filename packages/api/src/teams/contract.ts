// Invitation and member procedure inputs, shared with the web app's forms (client-safe).
import * as z from "zod/mini";
import "../zod-mini.ts";

export const membershipRole = z.enum(["OWNER", "ADMIN", "MEMBER"]);
export const teamId = z.string().check(z.minLength(1), z.maxLength(64));
export const inviteeEmail = z.pipe(
  z.string().check(z.trim(), z.toLowerCase()),
  z.email("Enter a valid email address").check(z.maxLength(254)),
);
/** Any string: a malformed token gets the same typed answer as an unknown one. */
export const invitationToken = z.string().check(z.maxLength(512));

export const createInvitationInput = z.object({
  email: inviteeEmail,
  role: z._default(membershipRole, "MEMBER"),
});
export const invitationInput = z.object({ invitationId: teamId });
export const invitationTokenInput = z.object({ token: invitationToken });
export const updateMemberRoleInput = z.object({ membershipId: teamId, role: membershipRole });
export const membershipInput = z.object({ membershipId: teamId });
