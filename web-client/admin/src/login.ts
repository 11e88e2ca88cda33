/**
 * Signing in to the console over XMPP (issue 16): the person's own account over Prosody's
 * WebSocket (StanzaJS), then the XEP-0050 command `console-session` at the component's domain
 * JID, whose result form carries `token` and `expires`. The password goes to the XMPP server
 * only; the portal sees the short-lived token. The connection is kept (without presence, so it
 * never counts for routing): the console renews the token over it before it expires, and closing
 * the tab or logging out ends both.
 */
import { createClient, type Agent, type Stanzas } from 'stanza';

export interface ConsoleSession {
  token: string;
  expires: string;
  role: string;
  jid: string;
}

export interface LoginOptions {
  jid: string;
  password: string;
  websocketUrl: string;
  componentDomain: string;
}

export type LoginFailure = 'auth' | 'connect' | 'refused';

export class LoginError extends Error {
  constructor(readonly reason: LoginFailure, message: string) {
    super(message);
  }
}

async function openSession(client: Agent, componentDomain: string): Promise<ConsoleSession> {
  let iq: Stanzas.IQ & { command?: Stanzas.AdHocCommand };
  try {
    iq = (await client.sendIQ({ to: componentDomain, type: 'set', command: { node: 'console-session', action: 'execute' } } as Stanzas.IQ)) as typeof iq;
  } catch (err) {
    const e = err as { error?: { condition?: string; text?: string } };
    throw new LoginError('refused', e.error?.text ?? e.error?.condition ?? 'refused');
  }
  const fields = iq.command?.form?.fields ?? [];
  const value = (name: string) => String(fields.find((f) => f.name === name)?.value ?? '');
  if (!value('token')) throw new LoginError('refused', 'no token in the answer');
  return { token: value('token'), expires: value('expires'), role: value('role'), jid: client.jid.split('/')[0] ?? '' };
}

export interface XmppLogin {
  session: ConsoleSession;
  /** A new session over the same XMPP connection (before the old one expires). */
  renew(): Promise<ConsoleSession>;
  close(): void;
}

export function login(opts: LoginOptions): Promise<XmppLogin> {
  const client = createClient({
    jid: opts.jid,
    password: opts.password,
    transports: { websocket: opts.websocketUrl, bosh: false },
    autoReconnect: false,
    useStreamManagement: false,
    timeout: 10,
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err: LoginError) => {
      if (settled) return;
      settled = true;
      void client.disconnect();
      reject(err);
    };
    client.on('auth:failed', () => fail(new LoginError('auth', 'wrong JID or password')));
    client.on('disconnected', () => fail(new LoginError('connect', 'could not connect')));
    client.on('session:started', () => {
      openSession(client, opts.componentDomain).then(
        (session) => {
          settled = true;
          resolve({
            session,
            renew: () => openSession(client, opts.componentDomain),
            close: () => void client.disconnect(),
          });
        },
        (err: LoginError) => fail(err),
      );
    });
    client.connect();
  });
}
