// Roles inside an organization, and the one comparison of them.
export type Role = "OWNER" | "ADMIN" | "MEMBER";

const ROLE_RANK: Record<Role, number> = { MEMBER: 0, ADMIN: 1, OWNER: 2 };

export function hasRole(role: Role, atLeast: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[atLeast];
}
