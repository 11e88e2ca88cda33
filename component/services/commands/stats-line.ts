/** One `!stats` line: a scope's figures over the period (docs/reports.md defines each). */
import type { Figures } from '../../../src/report-figures.js';
import { formatDuration } from '../../../src/texts.js';

const d = (ms: number | undefined) => (ms === undefined ? '—' : formatDuration(ms));

export function statsLine(label: string, f: Figures, desk: boolean): string {
  const demand = desk
    ? `${f.requested} requested, ${f.served} served, ${f.abandoned} abandoned, ${f.offline} offline messages, ${f.stillWaiting} waiting`
    : `${f.served} chats`;
  const sla = f.withinSla === undefined ? '' : `, ${Math.round(f.withinSla * 100)}% within SLA`;
  const rating = f.ratings ? `rating ${(f.ratingAvg ?? 0).toFixed(1)} (${f.ratings})` : 'no ratings';
  return (
    `${label}: ${demand}, wait ${d(f.waitP50Ms)} p50 / ${d(f.waitP90Ms)} p90 / ${d(f.waitMaxMs)} max, ` +
    `first response ${d(f.firstResponseP50Ms)} p50 / ${d(f.firstResponseP90Ms)} p90${sla}, ` +
    `average handle ${d(f.handleAvgMs)}, ${f.transfers} transfers, ${f.missed} missed, ${rating}`
  );
}
