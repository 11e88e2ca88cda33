/**
 * A join and an assignment racing (the flake of desk-protocol.test.ts's transcript): an operator's
 * presence that frees a slot while a customer's join is still between its enqueue and its welcome.
 * What the customer is told, and what the evidence log (so the transcript) holds, must be in the
 * order it happened: the question, the welcome with the ticket, then the operator joining — never
 * "Alice has joined" before "you are number 1 in line".
 */
import { describe, expect, it } from 'vitest';
import { xml, type Element } from '../../component/protocol/xml.js';
import { createEvidenceLog, type EvidenceLog } from '../../component/evidence/evidence-log.js';
import { generateEvidenceKeyPair } from '../../component/evidence/key-pair.js';
import { createTranscripts } from '../../component/evidence/transcripts.js';
import { DOMAIN, SUPPORT, bodyOf, isTo, presence, useDesk } from './desk-harness.js';
import { joinForm as form } from '../support/join-form.js';

const NS = 'urn:madoguchi:desk:0';
const ALICE = 'alice@localhost';
const W1 = 'w1@guest.localhost/web';
const desks = useDesk();
const keyPair = generateEvidenceKeyPair();
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a join racing an assignment', () => {
  it('tells the customer, and records, the welcome before the operator joins', async () => {
    let log: EvidenceLog | undefined;
    const d = desks.open({}, { evidence: (redis, prefix) => (log = createEvidenceLog({ redis, prefix, keyPair, checkpointMs: 60_000 })) });
    let n = 0;
    const iq = async (child: Element) => {
      const id = `iq${++n}`;
      d.receive(xml('iq', { from: W1, to: SUPPORT, type: 'set', id }, child));
      return d.next((el) => el.name === 'iq' && el.attrs.id === id, `the answer to ${child.name}`);
    };
    await iq(xml('session', { xmlns: NS, token: 'tokenW1-0123456789abcdefghij' }));

    // Alice comes online just as the join has put the ticket in the queue (its next step is the
    // join details): under load her presence is handled in that window, as in the full suite.
    const saveJoinDetails = d.store.customers.saveJoinDetails.bind(d.store.customers);
    d.store.customers.saveJoinDetails = async (...args) => {
      d.receive(presence(`${ALICE}/desk`, SUPPORT));
      for (let i = 0; i < 40 && !d.sent.some(isTo(ALICE, /New chat/)); i++) await pause(5); // her dispatch, if it may run now
      return saveJoinDetails(...args);
    };
    const joined = await iq(xml('join', { xmlns: NS, id: 'q-first' }, form({ name: 'Yuki', question: 'My printer is on fire' })));
    expect(joined.attrs.type).toBe('result');
    await d.next(isTo(ALICE, /New chat — ticket #1/), 'the intro');
    await pause(50);

    const toCustomer = d.sent.filter(isTo(W1)).map(bodyOf);
    expect(toCustomer).toEqual([expect.stringMatching(/^Welcome to Support\. Your ticket is #1\./), 'Alice has joined']);

    await log?.flush();
    const transcripts = createTranscripts({ log: log as EvidenceLog, componentDomain: DOMAIN, operators: [{ jid: ALICE, name: 'Alice' }] });
    const lines = await transcripts.forTicket(1);
    expect(lines.map((l) => `${l.from}: ${l.body}`)).toEqual([
      'customer: My printer is on fire',
      expect.stringMatching(/^desk: Welcome to Support\. Your ticket is #1\./),
      'desk: Alice has joined',
    ]);
    expect(lines[0]?.id).toBe('q-first');
  });
});
