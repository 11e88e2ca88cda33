/**
 * A minimal Chrome DevTools Protocol client for the component's inspector port (loopback):
 * the CPU profiler, and read-only probes of the running process (memory, socket backlogs).
 */
import WebSocket from 'ws';

export interface Inspector {
  call(method: string, params?: Record<string, unknown>): Promise<unknown>;
  /** Evaluates a JSON-returning expression in the component's main context. */
  evaluate<T>(expression: string): Promise<T>;
  close(): void;
}

export async function connectInspector(port: number): Promise<Inspector> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error('component inspector has no target');
  const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1 << 30 });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let seq = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  ws.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
    const p = msg.id === undefined ? undefined : pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id as number);
    if (msg.error) p.reject(new Error(msg.error.message));
    else p.resolve(msg.result);
  });
  ws.on('close', () => {
    for (const p of pending.values()) p.reject(new Error('inspector closed'));
    pending.clear();
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
      setTimeout(() => {
        if (pending.delete(id)) reject(new Error(`inspector ${method} timed out`));
      }, 60_000).unref();
    });
  return {
    call,
    async evaluate<T>(expression: string) {
      const r = (await call('Runtime.evaluate', { expression, returnByValue: true })) as {
        result?: { value?: string };
        exceptionDetails?: unknown;
      };
      if (r.exceptionDetails || typeof r.result?.value !== 'string') throw new Error('inspector evaluation failed');
      return JSON.parse(r.result.value) as T;
    },
    close: () => ws.terminate(),
  };
}

export interface ComponentProbe {
  heapUsed: number;
  xmppBacklog: number;
  redisBacklog: number;
}

/** Heap in use and bytes waiting in the component's socket write buffers (to Prosody, to Redis). */
export function probeComponent(inspector: Inspector, xmppPort: number, redisPort: number): Promise<ComponentProbe> {
  return inspector.evaluate<ComponentProbe>(`(() => {
    let xmppBacklog = 0, redisBacklog = 0;
    for (const h of process._getActiveHandles()) {
      if (!h || typeof h.writableLength !== 'number') continue;
      if (h.remotePort === ${xmppPort}) xmppBacklog += h.writableLength;
      if (h.remotePort === ${redisPort}) redisBacklog += h.writableLength;
    }
    return JSON.stringify({ heapUsed: process.memoryUsage().heapUsed, xmppBacklog, redisBacklog });
  })()`);
}
