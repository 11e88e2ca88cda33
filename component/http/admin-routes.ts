/**
 * The console's JSON API (issue 16, docs/admin.md), over the AdminService and the LiveView:
 *   GET    /api/admin/me                     who the session is (jid, role)
 *   GET    /api/admin/live                   the Live desk page (admins: all desks, supervisors theirs)
 *   PUT    /api/admin/live/:desk/closed      { closed }: the desk's "closed now" switch (as `!closed on|off`)
 *   GET    /api/admin/org/:kind              the entities of a kind (desk, operator, canned, form, widget, routing)
 *   GET    /api/admin/org/:kind/:id          one entity (404 when absent)
 *   PUT    /api/admin/org/:kind/:id          { rev, value }: create (rev 0) or replace (rev = the one read)
 *   DELETE /api/admin/org/:kind/:id          { rev }
 *   GET    /api/admin/bans,  POST /api/admin/unban { customerKey }
 *   GET    /api/admin/audit?limit=&before=
 *   DELETE /api/admin/session                log out: the token stops working
 * Auth is a bearer token only (a console session, issued over XMPP): 401 without one or with an
 * unknown or expired one, 403 for a role that may not. No cookies, so a cross-site page cannot
 * borrow a session (CSRF); writes also need `Content-Type: application/json` (415), which a plain
 * HTML form cannot send, and a same-origin `Origin` when the browser sends one (403).
 * DomainErrors map to HTTP: bad-request 400 (with the field), conflict 409, forbidden 403.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { isDomainError } from '../../src/errors.js';
import type { Actor, AdminService, ConsoleSessions, LiveView, OrgKind } from '../services/admin/admin-types.js';

export interface AdminRouteDeps {
  admin: AdminService;
  liveView: LiveView;
  sessions: ConsoleSessions & { close?(token: string): Promise<void> };
}

const KINDS: readonly OrgKind[] = ['desk', 'operator', 'canned', 'form', 'widget', 'routing'];
const FORBIDDEN = new Set(['forbidden', 'not-an-operator', 'not-your-session']);
const BAD = new Set(['bad-request', 'invalid-form', 'bad-command']);
const MISSING = new Set(['unknown-desk', 'unknown-session', 'unknown-ticket', 'not-found']);
const bearerOf = (req: Request) => /^Bearer ([!-~]+)$/.exec(req.get('authorization') ?? '')?.[1];

/** `operator/carol@localhost: desks.0: unknown desk "x"` → the field `desks.0` (the entity's own path is dropped). */
export function fieldOf(message: string): string | undefined {
  const parts = message.split(': ');
  if (parts.length < 2) return undefined;
  const first = parts[0] as string;
  const field = /^(desk|operator|canned|form|widget|routing)\//.test(first) ? (parts.length > 2 ? parts[1] : undefined) : first;
  return field && /^[\w.[\]-]+$/.test(field) ? field : undefined;
}

/** A DomainError (or anything else) as an HTTP answer. */
function fail(res: Response, err: unknown): void {
  if (isDomainError(err)) {
    const code = err.code as string;
    if (FORBIDDEN.has(code)) return void res.status(403).json({ error: err.message });
    if (code === 'conflict') return void res.status(409).json({ error: err.message, conflict: true });
    if (BAD.has(code)) return void res.status(400).json({ error: err.message, field: fieldOf(err.message) });
    if (MISSING.has(code)) return void res.status(404).json({ error: err.message });
    if (code === 'storage-unavailable') return void res.status(503).json({ error: err.message });
    return void res.status(400).json({ error: err.message });
  }
  res.status(503).json({ error: 'administration unavailable: storage is down' });
}

/** Same origin as the request's own host (the console is served by this portal). */
function sameOrigin(req: Request): boolean {
  const origin = req.get('origin');
  if (origin === undefined) return true; // not a browser's cross-origin request (curl, scripts)
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false;
  }
}

export function createAdminRoutes(deps: AdminRouteDeps): Router {
  const { admin } = deps;
  const router = express.Router();
  const actorOf = (res: Response) => res.locals.actor as Actor;

  router.use('/api/admin', async (req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'no-store');
    const token = bearerOf(req);
    let actor: Actor | undefined;
    try {
      actor = token ? await deps.sessions.actorOf(token) : undefined;
    } catch (err) {
      return fail(res, err);
    }
    if (!actor) {
      res.set('WWW-Authenticate', 'Bearer realm="madoguchi-console"').status(401).json({ error: 'a valid console session is required' });
      return;
    }
    res.locals.actor = actor;
    res.locals.token = token;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      if (!sameOrigin(req)) return void res.status(403).json({ error: 'cross-site request refused' });
      if (!req.is('application/json')) return void res.status(415).json({ error: 'writes need Content-Type: application/json' });
    }
    // Logging out is for everyone with a session; the rest is for admins and supervisors only.
    if (req.method === 'DELETE' && req.path === '/session') return next();
    const role = admin.roleOf(actor);
    if (role !== 'admin' && role !== 'supervisor') return void res.status(403).json({ error: 'the console is for admins and supervisors' });
    res.locals.role = role;
    next();
  });
  router.use('/api/admin', express.json({ limit: '256kb' }));

  const handle = (fn: (req: Request, res: Response) => Promise<unknown>) => async (req: Request, res: Response) => {
    try {
      const out = await fn(req, res);
      if (!res.headersSent) res.json(out ?? { ok: true });
    } catch (err) {
      fail(res, err);
    }
  };
  // Checked by router.param and needRev below before these run.
  const kindOf = (req: Request) => req.params.kind as OrgKind;
  const revOf = (req: Request) => (req.body as { rev: number }).rev;
  // Unknown kinds and a missing rev are answered before the service is asked.
  router.param('kind', (_req, res, next, kind: string) => {
    if (!KINDS.includes(kind as OrgKind)) return void res.status(404).json({ error: `no such kind: ${kind}` });
    next();
  });
  const needRev = (req: Request, res: Response, next: NextFunction) => {
    const rev = (req.body as { rev?: unknown } | undefined)?.rev;
    if (typeof rev !== 'number' || !Number.isSafeInteger(rev) || rev < 0)
      return void res.status(400).json({ error: 'rev: the revision read (0 to create)', field: 'rev' });
    next();
  };

  router.get(
    '/api/admin/me',
    handle(async (_req, res) => ({ jid: actorOf(res).jid, role: res.locals.role })),
  );
  router.get(
    '/api/admin/live',
    handle(async (_req, res) => ({ desks: await deps.liveView.live(actorOf(res)), at: new Date().toISOString() })),
  );
  router.put(
    '/api/admin/live/:desk/closed',
    handle(async (req, res) => {
      const closed = (req.body as { closed?: unknown }).closed;
      if (typeof closed !== 'boolean') return void res.status(400).json({ error: 'closed: true or false', field: 'closed' });
      return { text: await deps.liveView.setClosedNow(actorOf(res), String(req.params.desk), closed) };
    }),
  );
  router.get(
    '/api/admin/org/:kind',
    handle(async (req, res) => ({ items: await admin.list(actorOf(res), kindOf(req)) })),
  );
  router.get(
    '/api/admin/org/:kind/:id',
    handle(async (req, res) => {
      const found = await admin.get(actorOf(res), kindOf(req), String(req.params.id));
      if (!found) return void res.status(404).json({ error: `no ${req.params.kind} ${req.params.id}` });
      return found;
    }),
  );
  router.put(
    '/api/admin/org/:kind/:id',
    needRev,
    handle(async (req, res) =>
      admin.put(actorOf(res), kindOf(req), String(req.params.id), (req.body as { value?: unknown }).value, revOf(req)),
    ),
  );
  router.delete(
    '/api/admin/org/:kind/:id',
    needRev,
    handle(async (req, res) => {
      await admin.remove(actorOf(res), kindOf(req), String(req.params.id), revOf(req));
    }),
  );
  router.get(
    '/api/admin/bans',
    handle(async (_req, res) => ({ items: await admin.bans(actorOf(res)) })),
  );
  router.post(
    '/api/admin/unban',
    handle(async (req, res) => {
      const key = (req.body as { customerKey?: unknown }).customerKey;
      if (typeof key !== 'string' || !key) return void res.status(400).json({ error: 'customerKey: required', field: 'customerKey' });
      await admin.unban(actorOf(res), key);
    }),
  );
  router.get(
    '/api/admin/audit',
    handle(async (req, res) => {
      const limit = Math.min(200, Math.max(1, Number(req.query.limit ?? 50) || 50));
      const before = Number(req.query.before);
      return {
        items: await admin.audit(actorOf(res), { limit, beforeSeq: Number.isSafeInteger(before) && before > 0 ? before : undefined }),
      };
    }),
  );
  router.delete(
    '/api/admin/session',
    handle(async (_req, res) => {
      await deps.sessions.close?.(String(res.locals.token));
    }),
  );
  router.use('/api/admin', (_req, res) => void res.status(404).json({ error: 'not found' }));
  // A body that is not JSON: 400, not the portal's generic error page.
  router.use('/api/admin', (err: { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    res
      .status(err.status && err.status < 500 ? err.status : 400)
      .json({ error: err.type === 'entity.too.large' ? 'body too large' : 'body: invalid JSON' });
  });
  return router;
}
