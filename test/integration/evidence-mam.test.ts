/** The MAM archive service against a real Redis log: who may read which chat, desk archives, filters. */
import { describe, expect, it } from 'vitest';
import { parseMamQuery } from '../../src/evidence/mam-query.js';
import { createEvidenceLog } from '../../component/evidence/evidence-log.js';
import { generateEvidenceKeyPair } from '../../component/evidence/key-pair.js';
import { createMamService } from '../../component/evidence/mam.js';
import { createTranscripts } from '../../component/evidence/transcripts.js';
import { freshPrefix } from '../support/redis.js';
import { DOMAIN, recordConversation } from './evidence-conversation.js';
import { useEvidenceRedis } from './evidence-fixture.js';

const ev = useEvidenceRedis();

const OPERATORS = {
  'alice@localhost': { role: 'operator' as const, desks: ['support', 'sales'], name: 'Alice' },
  'bob@localhost': { role: 'operator' as const, desks: ['support'], name: 'Bob' },
  'sue@localhost': { role: 'supervisor' as const, desks: ['sales'], name: 'Sue' },
  'ada@localhost': { role: 'admin' as const, desks: ['support'], name: 'Ada' },
};

async function setup() {
  const log = createEvidenceLog({ redis: ev.redis(), prefix: freshPrefix(), keyPair: generateEvidenceKeyPair(), checkpointMs: 60_000 });
  const transcripts = createTranscripts({
    log,
    componentDomain: DOMAIN,
    operators: Object.entries(OPERATORS).map(([jid, o]) => ({ jid, name: o.name })),
  });
  const mam = createMamService({
    transcripts,
    domain: DOMAIN,
    maskedJid: (l) => `${l}@${DOMAIN}`,
    operator: (bare) => OPERATORS[bare as keyof typeof OPERATORS],
  });
  const a = await recordConversation(log, { ticket: 1, words: 'one', operator: 'alice@localhost' });
  const b = await recordConversation(log, { ticket: 2, words: 'two', operator: 'bob@localhost' });
  const c = await recordConversation(log, { ticket: 3, words: 'three', operator: 'alice@localhost', desk: 'sales' });
  return { log, mam, a, b, c };
}
const q = (req: Parameters<typeof parseMamQuery>[0] = {}) => parseMamQuery(req);
const local = (masked: string) => masked.split('@')[0] as string;

describe('MAM archives', () => {
  it('serves a chat to its operator with masked and operator addresses only', async () => {
    const { mam, a, log } = await setup();
    const page = await mam.chat('alice@localhost/phone', local(a.masked), q());
    expect(page.items.map((i) => [i.from, i.to])).toEqual([
      [a.masked, 'alice@localhost'],
      [a.masked, 'alice@localhost'],
      [a.masked, 'alice@localhost'],
      ['alice@localhost', a.masked],
      [a.masked, 'alice@localhost'],
      [a.masked, 'alice@localhost'],
    ]);
    expect(JSON.stringify(page.items.map(({ from, to }) => [from, to]))).not.toContain('guest');
    await log.close();
  });

  it("refuses other operators and strangers; lets the desk's supervisors and admins read its chats", async () => {
    const { mam, a, c, log } = await setup();
    await expect(mam.chat('bob@localhost/x', local(a.masked), q())).rejects.toMatchObject({ code: 'not-your-session' });
    await expect(mam.chat('eve@localhost/x', local(a.masked), q())).rejects.toMatchObject({ code: 'not-an-operator' });
    await expect(mam.chat('alice@localhost/x', 't1-zzzz', q())).rejects.toMatchObject({ code: 'unknown-session' });
    await expect(mam.chat('sue@localhost/x', local(a.masked), q())).rejects.toMatchObject({ code: 'not-your-session' }); // supervises sales only
    expect((await mam.chat('sue@localhost/x', local(c.masked), q())).count).toBe(6);
    expect((await mam.chat('ada@localhost/x', local(a.masked), q())).count).toBe(6);
    await log.close();
  });

  it("gives a desk archive of the operator's own chats there, of all chats to the desk's supervisors and admins", async () => {
    const { mam, a, b, c, log } = await setup();
    const withOf = async (who: string, desk: string) => [...new Set((await mam.desk(who, desk, q())).items.map((i) => i.masked))];
    expect(await withOf('alice@localhost/x', 'support')).toEqual([a.masked]);
    expect(await withOf('alice@localhost/x', 'sales')).toEqual([c.masked]);
    expect(await withOf('bob@localhost/x', 'sales')).toEqual([]);
    expect(await withOf('sue@localhost/x', 'sales')).toEqual([c.masked]);
    expect(await withOf('sue@localhost/x', 'support')).toEqual([]);
    expect(await withOf('ada@localhost/x', 'support')).toEqual([a.masked, b.masked]);
    const filtered = await mam.desk('ada@localhost/x', 'support', q({ fields: [{ var: 'with', values: [b.masked] }], rsm: { max: '2' } }));
    expect(filtered).toMatchObject({ count: 6, complete: false, firstIndex: 0 });
    expect(filtered.items.every((i) => i.masked === b.masked)).toBe(true);
    const none = await mam.desk(
      'ada@localhost/x',
      'support',
      q({ fields: [{ var: 'start', values: [new Date(Date.now() + 60_000).toISOString()] }] }),
    );
    expect(none.items).toEqual([]);
    await log.close();
  });
});
