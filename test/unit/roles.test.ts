import { describe, expect, it } from 'vitest';
import { actsAtDesk, hasRole } from '../../src/roles.js';

describe('roles and desk scope', () => {
  it('ranks operator < supervisor < admin', () => {
    expect(hasRole('supervisor', 'operator')).toBe(true);
    expect(hasRole('supervisor', 'admin')).toBe(false);
    expect(hasRole('admin', 'supervisor')).toBe(true);
  });
  it('operators and supervisors act at their own desks only; admins at every desk', () => {
    expect(actsAtDesk({ role: 'operator', desks: ['support'] }, 'support')).toBe(true);
    expect(actsAtDesk({ role: 'operator', desks: ['support'] }, 'sales')).toBe(false);
    expect(actsAtDesk({ role: 'supervisor', desks: ['support'] }, 'sales')).toBe(false);
    expect(actsAtDesk({ role: 'admin', desks: ['support'] }, 'sales')).toBe(true);
    expect(actsAtDesk({ role: 'admin', desks: [] }, 'support')).toBe(true);
  });
});
