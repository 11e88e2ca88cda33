/**
 * Which XMPP server a stack runs on: Prosody (default) or ejabberd, chosen by XMPP_SERVER.
 * Both launchers take the same options and give the same handle, so `npm start`, the tests and
 * the bench start either with one call.
 */
import { startEjabberd, type EjabberdOptions } from '../../ejabberd/launcher.js';
import { startProsody } from '../../prosody/launcher.js';
import type { Managed } from '../../prosody/process.js';

export type XmppServerKind = 'prosody' | 'ejabberd';

export interface XmppServer {
  kind: XmppServerKind;
  process: Managed;
  register(user: string, password: string): Promise<void>;
  stop(): Promise<void>;
}

/** XMPP_SERVER: `prosody` (default) or `ejabberd`; anything else is an error naming the variable. */
export function xmppServerKind(env: NodeJS.ProcessEnv = process.env): XmppServerKind {
  const v = (env.XMPP_SERVER ?? '').trim() || 'prosody';
  if (v === 'prosody' || v === 'ejabberd') return v;
  throw new Error(`XMPP_SERVER must be prosody or ejabberd, not ${JSON.stringify(v)}`);
}

/** `o`: Prosody's options; ejabberd also takes its node name and distribution port. */
export async function startXmppServer(kind: XmppServerKind, o: EjabberdOptions): Promise<XmppServer> {
  const server = kind === 'ejabberd' ? await startEjabberd(o) : await startProsody(o);
  return { kind, process: server.process, register: server.register, stop: server.stop };
}
