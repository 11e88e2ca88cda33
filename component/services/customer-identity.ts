/**
 * Who a customer JID is: its bare JID, or — once the widget sent `<session token/>` — the
 * token's key (docs/widget-protocol.md §1), so a new anonymous JID after a page load is the
 * same customer; or, when the session carried an identity the site signed, the verified user
 * id's key (issue 20), so the person is the same on every device. Cached in memory (bounded),
 * because every customer message needs it.
 */
import { bareJid } from '../../src/jid.js';
import { customerKeyOfToken, isTokenKey } from '../../src/customer/token.js';
import { checkIdentity, cleanClaim, type IdentityCheck, type IdentitySecret } from '../../src/customer/identity.js';
import type { DeskStore } from '../store/desk-store.js';

/** config `identity`: one secret for every desk, and desks with their own. */
export interface IdentitySettings {
  secret?: string;
  desks: Readonly<Record<string, string>>;
}

/** An <identity/> as received (docs/widget-protocol.md §1). */
export interface RawIdentity {
  userId?: string;
  name?: string;
  email?: string;
  signature?: string;
}

const MAX_CACHED = 50_000;

export function createCustomerIdentity(store: DeskStore, settings: IdentitySettings = { desks: {} }) {
  /** A desk's own secret scopes its user ids to it; the shared one to every desk sharing it. */
  const secretFor = (desk: string): IdentitySecret | undefined => {
    const own = settings.desks[desk];
    if (own) return { scope: desk, secret: own };
    return settings.secret ? { scope: '*', secret: settings.secret } : undefined;
  };
  const cache = new Map<string, string>();
  const remember = (bare: string, key: string) => {
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string); // oldest first
    cache.set(bare, key);
  };
  /** Messages waiting for their JID's <session/> (full JID → callbacks with the bound key). */
  const awaiting = new Map<string, Set<(key: string) => void>>();

  return {
    /** The customer key of this JID: the bound token's key, or the bare JID. */
    async keyOf(jid: string): Promise<string> {
      const bare = bareJid(jid);
      const hit = cache.get(bare);
      if (hit !== undefined) return hit;
      const key = (await store.customers.bindingOf(bare)) ?? bare;
      remember(bare, key);
      return key;
    },
    /** Checks a claimed identity against the desk's secret (bad-request for a malformed one). */
    check(desk: string, raw: RawIdentity): IdentityCheck {
      return checkIdentity(cleanClaim(raw), secretFor(desk));
    },
    /** Binds the JID to the token's key, or to `verifiedKey` (a checked identity's) when given. */
    async bind(jid: string, token: string, verifiedKey?: string): Promise<string> {
      const tokenKey = customerKeyOfToken(token); // the token is checked either way
      return this.bindKey(jid, verifiedKey ?? tokenKey);
    },
    /** Binds the JID to a customer key (a verified identity's, given with a <join/>). */
    async bindKey(jid: string, key: string): Promise<string> {
      await store.customers.bind(bareJid(jid), jid, key);
      remember(bareJid(jid), key);
      for (const resume of awaiting.get(jid) ?? []) resume(key);
      return key;
    },
    /**
     * docs/widget-protocol.md §1: after a reconnect the widget's message may reach the desk before
     * its <session/>. Resolves to the key `jid` is bound to within `ms`, or undefined.
     */
    async boundWithin(jid: string, ms: number): Promise<string | undefined> {
      const known = cache.get(bareJid(jid));
      if (known !== undefined && isTokenKey(known)) return known; // bound since the caller looked
      return new Promise((resolve) => {
        const waiters = awaiting.get(jid) ?? new Set<(key: string) => void>();
        const done = (key: string | undefined) => {
          clearTimeout(timer);
          waiters.delete(resume);
          if (waiters.size === 0 && awaiting.get(jid) === waiters) awaiting.delete(jid);
          resolve(key);
        };
        const resume = (key: string) => done(key);
        const timer = setTimeout(() => done(undefined), ms);
        waiters.add(resume);
        awaiting.set(jid, waiters);
      });
    },
    /** The JID went offline; its next appearance is looked up again. */
    forget(jid: string): void {
      cache.delete(bareJid(jid));
    },
  };
}
export type CustomerIdentity = ReturnType<typeof createCustomerIdentity>;
