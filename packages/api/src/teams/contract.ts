// Invitation and member procedure inputs, shared with the web app's forms (client-safe).
import { z } from "zod";

export const membershipRole = z.enum(["OWNER", "ADMIN", "MEMBER"]);
export const teamId = z.string().min(1).max(64);
export const inviteeEmail = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email("Enter a valid email address").max(254));
/** Any string: a malformed token gets the same typed answer as an unknown one. */
export const invitationToken = z.string().max(512);

export const createInvitationInput = z.object({
  email: inviteeEmail,
  role: membershipRole.default("MEMBER"),
});
export const invitationInput = z.object({ invitationId: teamId });
export const invitationTokenInput = z.object({ token: invitationToken });
export const updateMemberRoleInput = z.object({ membershipId: teamId, role: membershipRole });
export const membershipInput = z.object({ membershipId: teamId });
