// Invitation and member procedure inputs, shared with the web app's forms (client-safe).
import * as z from "zod/mini";
import { cuid, email, invitationToken } from "@plinth/core/inputs";

export const membershipRole = z.enum(["OWNER", "ADMIN", "MEMBER"]);

export const createInvitationInput = z.object({
  email,
  role: z._default(membershipRole, "MEMBER"),
});
export const invitationInput = z.object({ invitationId: cuid });
/** Any text: a malformed token gets the same typed answer as an unknown one. */
export const invitationTokenInput = z.object({ token: invitationToken });
export const updateMemberRoleInput = z.object({ membershipId: cuid, role: membershipRole });
export const membershipInput = z.object({ membershipId: cuid });
