/**
 * A desk whose component is down is answered by its server, differently per server: Prosody with
 * wait/remote-server-timeout, ejabberd with cancel/remote-server-not-found. Both mean "try again".
 */
import { describe, expect, it } from 'vitest';
import { iqError, retryableType } from '../../../web-client/src/desk-link.js';

describe('a desk its server cannot reach counts as wait', () => {
  it("ejabberd's remote-server-not-found and Prosody's remote-server-timeout are retried", () => {
    expect(retryableType('cancel', 'remote-server-not-found')).toBe('wait');
    expect(retryableType('wait', 'remote-server-timeout')).toBe('wait');
    expect(iqError({ error: { type: 'cancel', condition: 'remote-server-not-found' } })).toEqual({
      condition: 'remote-server-not-found',
      type: 'wait',
    });
  });

  it("the desk's own refusals keep their type", () => {
    expect(retryableType('cancel', 'service-unavailable')).toBe('cancel');
    expect(retryableType('auth', 'forbidden')).toBe('auth');
    expect(iqError({ error: { type: 'modify', condition: 'not-acceptable', text: 'name is required' } })).toEqual({
      condition: 'not-acceptable',
      type: 'modify',
      text: 'name is required',
    });
  });
});
