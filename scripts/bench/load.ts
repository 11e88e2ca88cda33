/**
 * The load generator: flows (a sender connection and a destination JID), each with a bounded
 * number of messages in flight; deliveries are counted where they arrive (the body names its
 * flow and send time). Two drivers: closed loop (as fast as the path delivers, window per flow)
 * and fixed rate (a paced offered load, for latency). Both bounded in count and time.
 */
import type { BenchConn } from './conn.js';
import { markedMessage, nowUs } from './marks.js';
import { createRecorder, type Recorder } from './stats.js';

export interface FlowSpec {
  conn: BenchConn;
  to: string;
}

interface Flow extends FlowSpec {
  id: number;
  inflight: number;
  dirty: boolean;
}

export interface LoadResult {
  delivered: number;
  seconds: number;
  rate: number;
  sent: number;
  /** Fixed rate only: sends skipped because the flow's window was full (the path is saturated). */
  skipped: number;
  /** Still in flight after the drain timeout (lost or very late). */
  undelivered: number;
  latency: Recorder;
  worst: { us: number; atUs: number };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createLoad(specs: readonly FlowSpec[], receivers: readonly BenchConn[]) {
  const flows: Flow[] = specs.map((s, id) => ({ ...s, id, inflight: 0, dirty: false }));
  let mode: 'idle' | 'window' | 'rate' = 'idle';
  let window = 1;
  let delivered = 0;
  let sent = 0;
  let recording = false;
  let received = 0;
  /** The worst latency and when (µs since the window opened) it was seen, to locate stalls. */
  let worst = { us: 0, atUs: 0 };
  let windowStartUs = 0;
  let latency = createRecorder(1);
  const dirty: Flow[] = [];
  let pumpScheduled = false;

  function pump(): void {
    pumpScheduled = false;
    const t = nowUs();
    for (const f of dirty.splice(0)) {
      f.dirty = false;
      if (mode !== 'window' || f.conn.closed) continue;
      let batch = '';
      while (f.inflight < window) {
        batch += markedMessage(f.to, f.id, t);
        f.inflight++;
        sent++;
      }
      if (batch) f.conn.write(batch);
    }
  }

  function markDirty(f: Flow): void {
    if (f.dirty) return;
    f.dirty = true;
    dirty.push(f);
    if (!pumpScheduled) {
      pumpScheduled = true;
      setImmediate(pump);
    }
  }

  const onMark = (flowId: number, sentUs: number, recvUs: number) => {
    const f = flows[flowId];
    if (!f) return;
    if (f.inflight > 0) f.inflight--;
    received++;
    if (!recording) return mode === 'window' ? markDirty(f) : undefined;
    delivered++;
    const lat = recvUs - sentUs;
    latency.add(lat);
    if (lat > worst.us) worst = { us: lat, atUs: recvUs - windowStartUs };
    if (mode === 'window') markDirty(f);
  };
  // Several loads may share receivers (direct and bare relay use the same accounts): the
  // running one takes their deliveries.
  const claimReceivers = () => {
    for (const r of receivers) r.onMark = onMark;
  };
  claimReceivers();

  async function measure(
    warmupMs: number,
    measureMs: number,
    expected: number,
    onWindow?: { start(): void; stop(): void },
  ): Promise<Omit<LoadResult, 'skipped' | 'undelivered'>> {
    await sleep(warmupMs);
    latency = createRecorder(Math.min(4_000_000, Math.max(10_000, Math.ceil(expected * 1.5))));
    delivered = 0;
    sent = 0;
    worst = { us: 0, atUs: 0 };
    windowStartUs = nowUs();
    recording = true;
    onWindow?.start();
    const t0 = performance.now();
    await sleep(measureMs);
    const seconds = (performance.now() - t0) / 1000;
    recording = false;
    onWindow?.stop();
    return { delivered, seconds, rate: delivered / seconds, sent, latency, worst };
  }

  async function drain(timeoutMs: number): Promise<number> {
    mode = 'idle';
    const deadline = Date.now() + timeoutMs;
    const inflight = () => flows.reduce((s, f) => s + f.inflight, 0);
    while (inflight() > 0 && Date.now() < deadline) await sleep(20);
    const left = inflight();
    for (const f of flows) f.inflight = 0;
    return left;
  }

  return {
    flows: flows.length,
    /** Every bench message delivered so far (warm-ups and drains included). */
    received: () => received,
    /** As fast as the path delivers: each flow keeps `perFlowWindow` messages in flight. */
    async closedLoop(o: {
      perFlowWindow: number;
      warmupMs: number;
      measureMs: number;
      drainMs?: number;
      during?: { start(): void; stop(): void };
    }): Promise<LoadResult> {
      claimReceivers();
      mode = 'window';
      window = o.perFlowWindow;
      for (const f of flows) markDirty(f);
      const r = await measure(o.warmupMs, o.measureMs, (o.measureMs / 1000) * 50_000, o.during);
      return { ...r, skipped: 0, undelivered: await drain(o.drainMs ?? 5000) };
    },

    /** A paced offered load (msgs/s over all flows), round-robin across flows, ticked every ms. */
    async fixedRate(o: {
      rate: number;
      warmupMs: number;
      measureMs: number;
      maxInflightPerFlow: number;
      drainMs?: number;
      during?: { start(): void; stop(): void };
    }): Promise<LoadResult> {
      claimReceivers();
      mode = 'rate';
      let skipped = 0;
      let due = 0;
      let next = 0;
      const t0 = performance.now();
      const timer = setInterval(() => {
        const target = Math.floor(((performance.now() - t0) * o.rate) / 1000);
        const t = nowUs();
        for (; due < target; due++) {
          const f = flows[next++ % flows.length] as Flow;
          if (f.inflight >= o.maxInflightPerFlow || f.conn.closed) {
            if (recording) skipped++;
            continue;
          }
          f.inflight++;
          sent++;
          f.conn.write(markedMessage(f.to, f.id, t));
        }
      }, 1);
      let r: Awaited<ReturnType<typeof measure>>;
      try {
        r = await measure(o.warmupMs, o.measureMs, (o.rate * o.measureMs) / 1000, o.during);
      } finally {
        clearInterval(timer);
      }
      return { ...r, skipped, undelivered: await drain(o.drainMs ?? 5000) };
    },
  };
}
export type Load = ReturnType<typeof createLoad>;
