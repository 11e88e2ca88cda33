/**
 * Phase "sse": what idle pages on the widget's status stream cost the portal (issue 20). Opens
 * `streams` connections to GET /api/status/stream (each as a separate browser would: its own TCP
 * connection), waits for each one's first event, then holds them idle and reads the component's
 * resident memory and CPU from /proc; reported per 1,000 streams. The component also serves the
 * desk, so the same reading without streams is the baseline.
 */
import { request, Agent } from 'node:http';
import { cpuSeconds, rssBytes } from './proc-stats.js';
import type { SseResult } from './results.js';
import type { BenchStack } from './stack.js';

const BATCH = 100;

function openStream(agent: Agent, port: number): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/status/stream?desk=support', agent }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`status stream: HTTP ${res.statusCode}`));
      res.once('data', () => resolve(() => req.destroy()));
    });
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function measureStatusStreams(stack: BenchStack, streams: number, holdMs: number): Promise<SseResult> {
  const pid = stack.pids().component;
  const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const closers: (() => void)[] = [];
  try {
    await sleep(1000); // let the component settle after the stack's start
    const rss0 = rssBytes(pid);
    const base0 = cpuSeconds(pid);
    await sleep(holdMs);
    const baseCpu = cpuSeconds(pid) - base0;
    const t0 = performance.now();
    for (let done = 0; done < streams; done += BATCH) {
      closers.push(
        ...(await Promise.all(Array.from({ length: Math.min(BATCH, streams - done) }, () => openStream(agent, stack.portalPort)))),
      );
    }
    const connectSeconds = (performance.now() - t0) / 1000;
    await sleep(1000);
    const rss1 = rssBytes(pid);
    const idle0 = cpuSeconds(pid);
    await sleep(holdMs);
    const idleCpu = cpuSeconds(pid) - idle0;
    const per1000 = 1000 / streams;
    return {
      streams,
      connectSeconds,
      holdSeconds: holdMs / 1000,
      rssBeforeBytes: rss0,
      rssAfterBytes: rss1,
      rssPer1000Bytes: (rss1 - rss0) * per1000,
      cpuPercentBaseline: (baseCpu / (holdMs / 1000)) * 100,
      cpuPercentIdle: (idleCpu / (holdMs / 1000)) * 100,
      cpuPercentPer1000: ((idleCpu - baseCpu) / (holdMs / 1000)) * 100 * per1000,
    };
  } finally {
    for (const close of closers) close();
    agent.destroy();
  }
}
