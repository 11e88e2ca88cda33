/**
 * Right after a component is killed, the server may still route a stanza to the dead connection,
 * where it vanishes without a bounce (seen on Prosody and ejabberd under load): send again until one
 * bounces. Returns the bounce, or undefined after `tries` seconds.
 */
import type { Element } from '@xmpp/xml';
import type { TestClient } from './clients.js';

export async function sendUntilBounced(client: TestClient, stanza: (i: number) => Element, tries = 10): Promise<Element | undefined> {
  for (let i = 0; i < tries; i++) {
    const sent = stanza(i);
    await client.send(sent);
    const bounce = await client
      .next((el) => el.attrs.type === 'error' && el.attrs.id === sent.attrs.id, 'the bounce', 1000)
      .catch(() => undefined);
    if (bounce) return bounce;
  }
  return undefined;
}
