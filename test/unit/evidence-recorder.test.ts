import { describe, expect, it } from 'vitest';
import type { EvidenceInput, EvidenceLog } from '../../component/evidence/evidence-log.js';
import { createEvidenceRecorder } from '../../component/evidence/recorder.js';

function fakeLog(fail = false) {
  const appended: EvidenceInput[] = [];
  const log = {
    append: (input: EvidenceInput) => {
      appended.push(input);
      return fail ? Promise.reject(new Error('redis down')) : Promise.resolve({ seq: appended.length });
    },
  } as unknown as EvidenceLog;
  return { log, appended };
}

const maskedJid = (local: string) => `${local}@support.localhost`;
const ticket = { id: 42, desk: 'support', customer: 'c@guest.localhost/web', masked: 't42-k7q3', operator: 'alice@localhost' };

describe('evidence recorder', () => {
  it('turns a tag and the sent stanza into a record, in call order', async () => {
    const { log, appended } = fakeLog();
    const recorder = createEvidenceRecorder(log, { maskedJid, onError: () => undefined });
    await recorder.record(
      { kind: 'message', direction: 'customer->operator', ticket },
      { toString: () => '<message><body>hi</body></message>' },
    );
    await recorder.record({ kind: 'end', ticket: { ...ticket, masked: 't42-k7q3@support.localhost' }, data: { reason: 'customer-left' } });
    expect(appended).toEqual([
      {
        kind: 'message',
        ticket: 42,
        desk: 'support',
        direction: 'customer->operator',
        parties: { customer: 'c@guest.localhost/web', masked: 't42-k7q3@support.localhost', operator: 'alice@localhost' },
        stanza: '<message><body>hi</body></message>',
        data: undefined,
      },
      expect.objectContaining({ kind: 'end', direction: null, stanza: undefined, data: { reason: 'customer-left' } }),
    ]);
  });

  it('records desk-wide notices without a ticket', async () => {
    const { log, appended } = fakeLog();
    await createEvidenceRecorder(log, { maskedJid, onError: () => undefined }).record(
      { kind: 'system', ticket: null, desk: 'sales' },
      '<m/>',
    );
    expect(appended[0]).toMatchObject({
      ticket: null,
      desk: 'sales',
      parties: { customer: undefined, masked: undefined, operator: undefined },
    });
  });

  it('reports a failed append instead of throwing into the relay path', async () => {
    const { log } = fakeLog(true);
    const errors: Error[] = [];
    const recorder = createEvidenceRecorder(log, { maskedJid, onError: (e) => errors.push(e) });
    await expect(recorder.record({ kind: 'system', ticket }, '<m/>')).rejects.toThrow('redis down');
    expect(errors).toHaveLength(1);
  });

  it('does nothing when the log is disabled', async () => {
    const recorder = createEvidenceRecorder(undefined, { maskedJid, onError: () => undefined });
    expect(recorder.enabled).toBe(false);
    expect(await recorder.record({ kind: 'system', ticket }, '<m/>')).toBeUndefined();
  });
});
