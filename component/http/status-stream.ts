/**
 * GET /api/status/stream?desk=<id>: the desk's state as Server-Sent Events (HTML Living Standard
 * §9.2), for the widget's loader: the button stays live without an XMPP connection. Each event's
 * data is the desk's object as GET /api/status lists it: once on connect, then on every change.
 * Any origin may read it (EventSource without credentials; no cookies are set). One shared timer
 * writes a comment to every stream now and then, so proxies keep idle streams open.
 */
import express, { type Response, type Router } from 'express';
import { deskQuery } from './desk-query.js';

interface DeskView {
  desk: string;
}

export interface StatusStreamDeps<V extends DeskView = DeskView> {
  has(desk: string): boolean;
  current(desk: string): Promise<V>;
  watch(desk: string, listener: (view: V) => void): () => void;
}

const HEARTBEAT_MS = 25_000;
/** EventSource's reconnection delay after the portal goes away (a restart, a deploy). */
const RETRY_MS = 3000;
/** About 23 KB each (BENCHMARKS.md F21, phase `sse`): a bound on what a flood of streams can take. */
const MAX_STREAMS = 20_000;

export function createStatusStream<V extends DeskView>(feed: StatusStreamDeps<V>, heartbeatMs = HEARTBEAT_MS, maxStreams = MAX_STREAMS) {
  const open = new Set<Response>();
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const router: Router = express.Router();

  router.get('/api/status/stream', async (req, res) => {
    res.set('Access-Control-Allow-Origin', '*');
    const desk = deskQuery(req, res);
    if (desk === undefined) return;
    if (!feed.has(desk)) return void res.status(404).json({ error: `desk: no desk ${desk}` });
    // Full: the loader falls back to polling /api/status (EventSource gives up on a 503).
    if (open.size >= maxStreams) return void res.status(503).set('Retry-After', '60').json({ error: 'too many status streams' });
    let first: V;
    try {
      first = await feed.current(desk);
    } catch {
      return void res.status(503).json({ error: 'status unavailable: storage is down' });
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no', // nginx: pass events on at once
    });
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);
    const send = (view: V) => void res.write(`data: ${JSON.stringify(view)}\n\n`);
    res.write(`retry: ${RETRY_MS}\n\n`);
    send(first);
    const unwatch = feed.watch(desk, send);
    open.add(res);
    if (!heartbeat) {
      heartbeat = setInterval(() => {
        for (const r of open) r.write(':\n\n');
      }, heartbeatMs);
      heartbeat.unref?.();
    }
    res.on('close', () => {
      unwatch();
      open.delete(res);
      if (open.size === 0 && heartbeat) {
        clearInterval(heartbeat);
        heartbeat = undefined;
      }
    });
  });

  return {
    router,
    /** Streams open now. */
    count: () => open.size,
  };
}
