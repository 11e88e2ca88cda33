/**
 * What the fuzzer holds the component to, stanza by stanza (RFC 6120 §8):
 * - an IQ get/set gets exactly one result or error (§8.2.3), never none, never two;
 * - an error carries a valid type and exactly one defined condition (§8.3.2, §8.3.3), and never
 *   internal-server-error (the component's sign of an unexpected failure: a bug);
 * - a stanza of type error, or an IQ result, is never answered (§8.3.1: no loops);
 * - a message the desk cannot take (to the bare domain, an unknown or dead address) draws an error.
 */
import type { Element } from '@xmpp/xml';
import type { FuzzClient } from './clients.js';
import type { Expectation } from './stanzas.js';

const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
const ERROR_TYPES = new Set(['auth', 'cancel', 'continue', 'modify', 'wait']);
/** RFC 6120 §8.3.3. */
const CONDITIONS = new Set([
  'bad-request',
  'conflict',
  'feature-not-implemented',
  'forbidden',
  'gone',
  'internal-server-error',
  'item-not-found',
  'jid-malformed',
  'not-acceptable',
  'not-allowed',
  'not-authorized',
  'policy-violation',
  'recipient-unavailable',
  'redirect',
  'registration-required',
  'remote-server-not-found',
  'remote-server-timeout',
  'resource-constraint',
  'service-unavailable',
  'subscription-required',
  'undefined-condition',
  'unexpected-request',
]);

/** Why an error stanza is not a valid RFC 6120 one; undefined when it is. */
export function invalidError(el: Element): string | undefined {
  const error = el.getChild('error');
  if (!error) return 'type="error" without <error/>';
  if (!ERROR_TYPES.has(String(error.attrs.type))) return `error type "${String(error.attrs.type)}"`;
  const defined = error.getChildElements().filter((c) => c.attrs.xmlns === NS_STANZAS && c.name !== 'text');
  if (defined.length !== 1) return `${defined.length} defined conditions`;
  const condition = (defined[0] as Element).name;
  if (!CONDITIONS.has(condition)) return `unknown condition ${condition}`;
  if (condition === 'internal-server-error') return 'internal-server-error (an unexpected failure in the component)';
  return undefined;
}

interface Pending {
  client: FuzzClient;
  generation: number;
  expect: Expectation;
  what: string;
  answers: number;
  batch: number;
}

export function createOracle(componentDomain: string) {
  // Only the component's answers are judged; the server's own (to its users' accounts, to other
  // hosts) are not ours to fix: Prosody 0.12.3's mod_private answers an empty query with
  // `bad-format`, a stream error condition (RFC 6120 §4.9.3), not a stanza one.
  const fromComponent = (from: string) =>
    from === componentDomain || from.startsWith(`${componentDomain}/`) || from.split('/')[0]?.endsWith(`@${componentDomain}`) === true;
  const pending = new Map<string, Pending>();
  const anomalies: string[] = [];
  let batch = 0;
  /** What was checked: IQs answered, errors validated, must-fail messages refused, error/result stanzas left unanswered. */
  const checked = { iqAnswered: 0, errorsValid: 0, refusedAsExpected: 0, silent: 0 };
  const key = (c: FuzzClient, id: string) => `${c.name}\u0000${id}`;
  const anomaly = (line: string) => anomalies.push(line);

  return {
    anomalies,
    checked,
    expect(client: FuzzClient, stanza: Element, expect: Expectation, what: string): void {
      const id = stanza.attrs.id;
      if (!id) return;
      pending.set(key(client, String(id)), { client, generation: client.generation, expect, what, answers: 0, batch });
    },

    /** Every stanza a fuzz client receives. */
    observe(client: FuzzClient, el: Element): void {
      const id = el.attrs.id;
      if (!id) return;
      const p = pending.get(key(client, String(id)));
      const isReply = el.attrs.type === 'error' || (el.name === 'iq' && el.attrs.type === 'result');
      if (!p || !isReply) return;
      p.answers++;
      const where = `${p.what} → ${el.toString().slice(0, 300)}`;
      if (el.attrs.type === 'error' && fromComponent(String(el.attrs.from ?? ''))) {
        const bad = invalidError(el);
        if (bad) anomaly(`invalid error (${bad}): ${where}`);
        else checked.errorsValid++;
      }
      if (p.answers === 1 && p.expect === 'reply') checked.iqAnswered++;
      if (p.answers === 1 && p.expect === 'error' && el.attrs.type === 'error') checked.refusedAsExpected++;
      if (p.expect === 'silent') anomaly(`a stanza of type error or result was answered: ${where}`);
      else if (p.answers > 1 && (p.expect === 'reply' || el.attrs.type === 'error')) anomaly(`answered ${p.answers} times: ${where}`);
      else if (p.expect === 'error' && el.attrs.type !== 'error') anomaly(`no error for a message nobody can take: ${where}`);
    },

    /** Waits until every IQ and every must-fail message of this batch has its answer, or reports it. */
    async settle(timeoutMs: number): Promise<void> {
      const open = () =>
        [...pending.values()].filter(
          (p) => (p.expect === 'reply' || p.expect === 'error') && p.answers === 0 && p.generation === p.client.generation,
        );
      const deadline = Date.now() + timeoutMs;
      while (open().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const p of open())
        anomaly(`no ${p.expect === 'reply' ? 'reply to an IQ' : 'error for a message nobody can take'} within ${timeoutMs} ms: ${p.what}`);
      // Answers are kept one more batch (late duplicates, answers to errors), then forgotten.
      for (const p of pending.values())
        if (p.batch < batch && p.expect === 'silent' && p.answers === 0 && p.generation === p.client.generation) checked.silent++;
      for (const [k, p] of pending) if (p.batch < batch || (p.answers === 0 && p.generation !== p.client.generation)) pending.delete(k);
      for (const p of pending.values()) if (p.answers === 0 && (p.expect === 'reply' || p.expect === 'error')) p.answers = -1e9; // reported once
      batch++;
    },
  };
}
export type Oracle = ReturnType<typeof createOracle>;
