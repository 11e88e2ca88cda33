/** Evidence records back into report facts (src/report-rebuild.ts): the times the records carry win over their ts. */
import { describe, expect, it } from 'vitest';
import { createFactReader, type FactRecord, presenceFactOf } from '../../src/report-rebuild.js';

const rec = (r: Partial<FactRecord>): FactRecord => ({
  ts: 0,
  kind: 'x',
  ticket: 1,
  desk: 'support',
  direction: null,
  parties: {},
  content: {},
  ...r,
});

describe('report facts from evidence records', () => {
  it("files a chat at its ticket's createdAt, not at the join record's later ts", () => {
    const factsOf = createFactReader();
    expect(factsOf(rec({ kind: 'join', ts: 1300, content: { data: { position: 1, createdAt: 1000 } } }))).toEqual([
      { kind: 'requested', ticket: 1, desk: 'support', createdAt: 1000 },
    ]);
    expect(factsOf(rec({ kind: 'assign', ts: 5000, parties: { operator: 'alice@localhost' } }))).toEqual([
      { kind: 'served', ticket: 1, desk: 'support', operator: 'alice@localhost', createdAt: 1000, waitMs: 4000 },
    ]);
    // Records written before createdAt was recorded: their ts.
    expect(factsOf(rec({ kind: 'offline', ticket: 2, ts: 7000, content: { data: { form: {} } } }))).toEqual([
      { kind: 'offline', ticket: 2, desk: 'support', createdAt: 7000 },
    ]);
  });

  it("reads an operator's presence change as the time in the previous status", () => {
    const data = { operator: 'bob@localhost', desks: ['support'], previous: 'away', status: 'offline', since: 100, at: 900 };
    expect(presenceFactOf(rec({ kind: 'presence', ticket: null, desk: null, content: { data } }))).toEqual({
      operator: 'bob@localhost',
      desks: ['support'],
      status: 'away',
      since: 100,
      at: 900,
    });
    expect(presenceFactOf(rec({ kind: 'presence', ticket: null, content: { data: { ...data, since: null } } }))).toBeUndefined();
    expect(presenceFactOf(rec({ kind: 'join', content: { data } }))).toBeUndefined();
  });
});
