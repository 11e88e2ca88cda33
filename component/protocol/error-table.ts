/**
 * The one error boundary's table: domain errors → RFC 6120 §8.3.3 stanza errors.
 * Anything not in here becomes internal-server-error plus a log line.
 */
import type { DomainErrorCode } from '../../src/errors.js';
import type { StanzaError } from './stanzas.js';

export const ERROR_TABLE: Record<DomainErrorCode, Omit<StanzaError, 'text'>> = {
  'unknown-desk': { type: 'cancel', condition: 'item-not-found' },
  'unknown-session': { type: 'cancel', condition: 'item-not-found' },
  'not-your-session': { type: 'auth', condition: 'forbidden' },
  'not-an-operator': { type: 'auth', condition: 'forbidden' },
  'body-too-long': { type: 'modify', condition: 'policy-violation' },
  'bad-command': { type: 'modify', condition: 'bad-request' },
  'invalid-transition': { type: 'cancel', condition: 'not-acceptable' },
  'operator-full': { type: 'wait', condition: 'resource-constraint' },
  'storage-unavailable': { type: 'wait', condition: 'service-unavailable' },
  'not-supported': { type: 'cancel', condition: 'service-unavailable' },
  'bad-request': { type: 'modify', condition: 'bad-request' },
  'invalid-form': { type: 'modify', condition: 'not-acceptable' },
  'no-customer-session': { type: 'auth', condition: 'not-authorized' },
  'desk-closed': { type: 'cancel', condition: 'service-unavailable' },
  // Never 'forbidden' for someone else's ticket: that would confirm it exists.
  'unknown-ticket': { type: 'cancel', condition: 'item-not-found' },
  'not-implemented': { type: 'cancel', condition: 'feature-not-implemented' },
  'limit-reached': { type: 'wait', condition: 'policy-violation' },
  forbidden: { type: 'auth', condition: 'forbidden' },
  conflict: { type: 'cancel', condition: 'conflict' },
};
