/**
 * GET /api/status/stream's HTTP side (component/http/status-stream.ts) over a real socket, with a
 * small feed of our own: the first event at once, every change after it, a comment now and then
 * for proxies, the watcher dropped when the browser goes, bad and unknown desks, and the bound.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createStatusStream } from '../../component/http/status-stream.js';

type View = { desk: string; mode: string };

function feed() {
  const listeners = new Set<(v: View) => void>();
  return {
    listeners,
    has: (desk: string) => desk === 'support',
    current: async (desk: string): Promise<View> => ({ desk, mode: 'closed' }),
    watch(_desk: string, l: (v: View) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    push: (v: View) => {
      for (const l of listeners) l(v);
    },
  };
}

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

async function serve(f: ReturnType<typeof feed>, heartbeatMs = 60_000, max = 10): Promise<string> {
  const app = express();
  app.use(createStatusStream(f, heartbeatMs, max).router);
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server?.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function open(url: string) {
  const ctl = new AbortController();
  const res = await fetch(`${url}/api/status/stream?desk=support`, { signal: ctl.signal });
  const reader = res.body?.getReader();
  let text = '';
  return {
    res,
    async until(part: string): Promise<string> {
      while (!text.includes(part)) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) break;
        text += new TextDecoder().decode(chunk.value);
      }
      return text;
    },
    close: () => ctl.abort(),
  };
}

describe('status stream route', () => {
  it('sends the state at once, then each change, and comments to keep proxies open', async () => {
    const f = feed();
    const url = await serve(f, 50);
    const s = await open(url);
    expect(s.res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(await s.until('"closed"')).toBe('retry: 3000\n\ndata: {"desk":"support","mode":"closed"}\n\n');
    f.push({ desk: 'support', mode: 'open' });
    expect(await s.until('"open"')).toContain('data: {"desk":"support","mode":"open"}\n\n');
    expect(await s.until(':\n\n')).toContain(':\n\n');
    s.close();
    await expect.poll(() => f.listeners.size).toBe(0); // the watcher goes with the browser
  });

  it('refuses a bad desk (400), an unknown one (404), and streams past the bound (503)', async () => {
    const f = feed();
    const url = await serve(f, 60_000, 1);
    expect((await fetch(`${url}/api/status/stream?desk=%3Cx%3E`)).status).toBe(400);
    expect((await fetch(`${url}/api/status/stream?desk=sales`)).status).toBe(404);
    const first = await open(url);
    await first.until('data:');
    const second = await fetch(`${url}/api/status/stream?desk=support`);
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('60');
    first.close();
  });
});
