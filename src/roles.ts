/** Operator roles from config (DESIGN §2): each role can do what the ones below it can. */
export type Role = 'operator' | 'supervisor' | 'admin';

const RANK: Record<Role, number> = { operator: 1, supervisor: 2, admin: 3 };

export const hasRole = (role: Role, needed: Role): boolean => RANK[role] >= RANK[needed];
