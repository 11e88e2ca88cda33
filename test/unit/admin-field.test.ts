/** The console puts a refusal beside its field: the field path comes from the AdminService's message (http/admin-routes.ts). */
import { describe, expect, it } from 'vitest';
import { fieldOf } from '../../component/http/admin-routes.js';

describe('fieldOf', () => {
  it('takes the field path after the entity', () => {
    expect(fieldOf('operator/carol@localhost: desks.0: unknown desk "x"')).toBe('desks.0');
    expect(fieldOf('routing/default: defaultMaxChats: Too big: expected number to be <=9')).toBe('defaultMaxChats');
    expect(fieldOf('form/default: 1.label: Too small')).toBe('1.label');
  });
  it('names no field for a whole-value problem or a message without one', () => {
    expect(fieldOf('canned/x: (value): unknown desk "x"')).toBeUndefined();
    expect(fieldOf('desk/x: something odd')).toBeUndefined();
    expect(fieldOf('Only admins may change settings')).toBeUndefined();
  });
});
