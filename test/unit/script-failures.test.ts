import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_TABLE } from '../../component/protocol/error-table.js';
import { FAILURE_PRELUDE, SCRIPT_FAILURES, failureError, failureOf, type ScriptFailure } from '../../component/store/script-failures.js';

const LUA_DIR = new URL('../../component/store/lua/', import.meta.url);

describe('script failures', () => {
  it('are one distinct negative number each, known back from the reply', () => {
    const codes = Object.values(SCRIPT_FAILURES);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [name, code] of Object.entries(SCRIPT_FAILURES)) {
      expect(code).toBeLessThan(0);
      expect(failureOf(code)).toBe(name);
    }
    expect(failureOf(['a ticket'])).toBeUndefined();
    expect(failureOf(-99)).toBeUndefined();
  });

  it('reach the Lua as FAIL.<name>, and every FAIL.<name> a script uses exists', () => {
    for (const [name, code] of Object.entries(SCRIPT_FAILURES)) expect(FAILURE_PRELUDE).toContain(`${name} = ${code}`);
    const used = new Set<string>();
    for (const file of readdirSync(LUA_DIR).filter((f) => f.endsWith('.lua'))) {
      const lua = readFileSync(new URL(file, LUA_DIR), 'utf8');
      for (const m of lua.matchAll(/FAIL\.(\w+)/g)) used.add(m[1] as string);
      expect(lua, `${file} returns a bare negative number`).not.toMatch(/return -\d/);
    }
    for (const name of used) expect(Object.keys(SCRIPT_FAILURES)).toContain(name);
  });

  it('map to stanza errors by meaning: not your chat is forbidden, never resource-constraint', () => {
    const condition = (f: ScriptFailure) => ERROR_TABLE[failureError(f, 'x').code];
    expect(condition('notYours')).toEqual({ type: 'auth', condition: 'forbidden' });
    expect(condition('operatorFull')).toEqual({ type: 'wait', condition: 'resource-constraint' });
    expect(condition('ticketMissing')).toEqual({ type: 'cancel', condition: 'item-not-found' });
    expect(condition('sameOperator')).toEqual({ type: 'modify', condition: 'bad-request' });
    expect(failureError('operatorFull', 'Cannot pick #4: you are at your capacity').message).toBe(
      'Cannot pick #4: you are at your capacity',
    );
  });
});
