/**
 * The admin transcript API (issue #5), bearer-token protected (http.adminTokens / ADMIN_TOKEN):
 *   GET  /api/transcripts?customer=&operator=&desk=&text=&from=&to=&limit=   search: sessions with their lines
 *   GET  /api/transcripts/:ticket            one session (every line, stanzas included)
 *   GET  /api/transcripts/:ticket/bundle     the ticket's signed evidence bundle (JSONL; `npm run verify-log -- <file>`)
 *   POST /api/transcripts/:ticket/redact     {"reason": "…"}: erase the session's content (the redaction is logged)
 * 401 without a valid token, 400 on a bad query, 404 for a ticket without records, 503 when
 * the evidence log is disabled or Redis is down.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { parseSearchQuery } from '../../src/evidence/transcript-search.js';
import type { Transcripts } from '../evidence/transcripts.js';

export interface TranscriptRouteDeps {
  transcripts: Transcripts | undefined;
  adminTokens: readonly string[];
  /** Erasure also removes the customer's queued mail (issue 17): returns how many mails. */
  eraseMail?: (ticket: number) => Promise<number>;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time: every configured token is compared, by fixed-length digests. */
export function tokenAccepted(header: string | undefined, tokens: readonly string[]): boolean {
  const m = /^Bearer ([!-~]+)$/.exec(header ?? '');
  if (!m) return false;
  const given = digest(m[1] as string);
  let ok = false;
  for (const t of tokens) ok = timingSafeEqual(given, digest(t)) || ok;
  return ok;
}

const MAX_REASON = 500;

export function createTranscriptRoutes(deps: TranscriptRouteDeps): Router {
  const router = express.Router();
  router.use('/api/transcripts', (req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'no-store');
    if (!tokenAccepted(req.get('authorization'), deps.adminTokens)) {
      res.set('WWW-Authenticate', 'Bearer realm="madoguchi"').status(401).json({ error: 'a valid admin bearer token is required' });
      return;
    }
    if (!deps.transcripts) {
      res.status(503).json({ error: 'transcripts need the evidence log, which is disabled' });
      return;
    }
    next();
  });
  const transcripts = () => deps.transcripts as Transcripts;

  const ticketOf = (req: Request, res: Response): number | undefined => {
    const raw = String(req.params.ticket ?? '');
    if (/^[1-9]\d{0,14}$/.test(raw)) return Number(raw);
    res.status(400).json({ error: 'ticket: expected a ticket number' });
    return undefined;
  };
  const failed = (res: Response, err: unknown) => {
    const code = (err as { code?: string }).code;
    if (code === 'not-found') res.status(404).json({ error: (err as Error).message });
    else res.status(503).json({ error: 'transcripts unavailable: storage is down' });
  };

  router.get('/api/transcripts', async (req, res) => {
    const filter = parseSearchQuery(req.query as Record<string, unknown>);
    if (typeof filter === 'string') return void res.status(400).json({ error: filter });
    try {
      res.json({ sessions: await transcripts().search(filter) });
    } catch (err) {
      failed(res, err);
    }
  });

  /** A route on one ticket: the number checked, failures mapped to statuses. */
  const onTicket = (handler: (ticket: number, req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    const ticket = ticketOf(req, res);
    if (ticket === undefined) return;
    try {
      await handler(ticket, req, res);
    } catch (err) {
      failed(res, err);
    }
  };

  router.get(
    '/api/transcripts/:ticket',
    onTicket(async (ticket, _req, res) => {
      const session = await transcripts().session(ticket);
      if (!session) return void res.status(404).json({ error: `no transcript for ticket ${ticket}` });
      res.json(session);
    }),
  );

  router.get(
    '/api/transcripts/:ticket/bundle',
    onTicket(async (ticket, _req, res) => {
      const text = await transcripts().bundle(ticket);
      res.type('application/jsonl').set('Content-Disposition', `attachment; filename="ticket-${ticket}.bundle.jsonl"`).send(text);
    }),
  );

  router.post(
    '/api/transcripts/:ticket/redact',
    express.json({ limit: '16kb' }),
    onTicket(async (ticket, req, res) => {
      const reason = (req.body as { reason?: unknown } | undefined)?.reason;
      if (typeof reason !== 'string' || reason.trim() === '' || reason.length > MAX_REASON) {
        return void res.status(400).json({ error: `reason: expected a text of 1-${MAX_REASON} characters` });
      }
      const mailsRemoved = await deps.eraseMail?.(ticket); // first: unsent mail goes even if the log has nothing
      res.json({ ticket, ...(await transcripts().redactTicket(ticket, reason.trim())), ...(mailsRemoved ? { mailsRemoved } : {}) });
    }),
  );
  return router;
}
