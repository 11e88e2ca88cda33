/**
 * Operators' online and available time for the reports (docs/reports.md), pure. Each change of an
 * operator's aggregated presence closes the interval spent in the previous status; the interval is
 * cut at the hours of a time zone, so it lands in the day and hour rollups where it was spent.
 * "Online" is any status but offline; "available" is available or chat (takes new customers).
 */
import { wallParts } from './wall-clock.js';

/** An operator's time in one status, closed by a presence change (or up to now, for one still in it). */
export interface PresenceFact {
  operator: string;
  /** The operator's desks when it changed (each desk's rollup gets the time too). */
  desks: readonly string[];
  /** The status the time was spent in. */
  status: string;
  since: number;
  at: number;
}

/** One piece of an interval inside one hour of a time zone. */
export interface PresencePiece {
  day: string;
  /** '00'–'23' */
  hour: string;
  onlineMs: number;
  availableMs: number;
}

/** A longer interval (a status left standing for weeks) counts its last 31 days only. */
export const MAX_INTERVAL_MS = 31 * 86_400_000;

export const isOnline = (status: string): boolean => status !== '' && status !== 'offline';
export const isAvailable = (status: string): boolean => status === 'available' || status === 'chat';

/** The interval [since, at) in `status`, cut at the hours of `zone`; [] when it counts nothing. */
export function presencePieces(status: string, since: number, at: number, zone: string): PresencePiece[] {
  if (!isOnline(status) || !(at > since)) return [];
  const available = isAvailable(status);
  const out: PresencePiece[] = [];
  let t = Math.max(since, at - MAX_INTERVAL_MS);
  while (t < at) {
    const p = wallParts(t, zone);
    // Zones are whole minutes off UTC, so the next local hour starts (60 − minute) minutes after t's minute.
    const next = Math.min(at, t - (((t % 60_000) + 60_000) % 60_000) + (60 - Number(p.minute)) * 60_000);
    const ms = next - t;
    const day = `${p.year}-${p.month}-${p.day}`;
    const last = out[out.length - 1];
    if (last && last.day === day && last.hour === p.hour) {
      last.onlineMs += ms; // a fall-back hour seen twice
      if (available) last.availableMs += ms;
    } else out.push({ day, hour: p.hour, onlineMs: ms, availableMs: available ? ms : 0 });
    t = next;
  }
  return out;
}
