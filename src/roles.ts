/** Operator roles from config (DESIGN §2): each role can do what the ones below it can. */
export type Role = 'operator' | 'supervisor' | 'admin';

const RANK: Record<Role, number> = { operator: 1, supervisor: 2, admin: 3 };

export const hasRole = (role: Role, needed: Role): boolean => RANK[role] >= RANK[needed];

/**
 * Desk scope (README "Who may do what"): operators and supervisors act at the desks they are
 * configured for; admins at every desk.
 */
export const actsAtDesk = (op: { role: Role; desks: readonly string[] }, desk: string): boolean =>
  op.role === 'admin' || op.desks.includes(desk);
