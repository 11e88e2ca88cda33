/**
 * Several active instances over one Redis (issue 19 §3; docs/architecture.md "Several
 * instances"): the instance holding the leader lease (store/leader-lease.ts) runs the
 * time-driven work and sends the desks' presence and position updates; the others tell it what
 * they noticed (store/desk-signals.ts). Without a lease (in-process tests, one instance) this
 * instance leads.
 */
import type { DeskSignalKind } from '../store/desk-signals.js';

export interface LeaderGate {
  /** True while this instance may send what only one instance sends. */
  leads(): boolean;
  /** Tells the other instances (the leader among them) what this one noticed. */
  announce(kind: DeskSignalKind, desk: string): void;
}

export function createLeaderGate(
  lease?: { leads(): boolean },
  signals?: { announce(kind: DeskSignalKind, desk: string): void },
): LeaderGate {
  return {
    leads: () => lease?.leads() ?? true,
    announce: (kind, desk) => signals?.announce(kind, desk),
  };
}
