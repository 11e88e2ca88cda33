/** Operators' online time cut at a zone's hours (src/report-presence.ts): days, DST, half-hour zones, the bound. */
import { describe, expect, it } from 'vitest';
import { MAX_INTERVAL_MS, presencePieces } from '../../src/report-presence.js';

const M = 60_000;
const H = 60 * M;

describe('presencePieces', () => {
  it('cuts an interval at the hours and the day of the zone; away is online but not available', () => {
    const since = Date.parse('2026-12-07T14:40:00Z'); // 23:40 in Tokyo
    expect(presencePieces('available', since, since + 90 * M, 'Asia/Tokyo')).toEqual([
      { day: '2026-12-07', hour: '23', onlineMs: 20 * M, availableMs: 20 * M },
      { day: '2026-12-08', hour: '00', onlineMs: 60 * M, availableMs: 60 * M },
      { day: '2026-12-08', hour: '01', onlineMs: 10 * M, availableMs: 10 * M },
    ]);
    expect(presencePieces('away', since, since + 10 * M, 'UTC')).toEqual([
      { day: '2026-12-07', hour: '14', onlineMs: 10 * M, availableMs: 0 },
    ]);
    expect(presencePieces('chat', since + 1234, since + 5678, 'UTC')).toEqual([
      { day: '2026-12-07', hour: '14', onlineMs: 4444, availableMs: 4444 },
    ]);
  });

  it('counts nothing offline, nor an empty or reversed interval', () => {
    expect(presencePieces('offline', 0, H, 'UTC')).toEqual([]);
    expect(presencePieces('available', H, H, 'UTC')).toEqual([]);
    expect(presencePieces('available', 2 * H, H, 'UTC')).toEqual([]);
  });

  it('follows daylight saving (Berlin): the skipped hour is absent, the repeated one counts twice', () => {
    // 2026-03-29: 02:00 CET jumps to 03:00 CEST. 01:30 → 03:30 local is one hour.
    const spring = presencePieces('available', Date.parse('2026-03-29T00:30:00Z'), Date.parse('2026-03-29T01:30:00Z'), 'Europe/Berlin');
    expect(spring.map((p) => [p.hour, p.onlineMs])).toEqual([
      ['01', 30 * M],
      ['03', 30 * M],
    ]);
    // 2026-10-25: 03:00 CEST falls back to 02:00 CET. 02:30 CEST → 02:30 CET is one hour, all in hour 02.
    const fall = presencePieces('available', Date.parse('2026-10-25T00:30:00Z'), Date.parse('2026-10-25T01:30:00Z'), 'Europe/Berlin');
    expect(fall.map((p) => [p.hour, p.onlineMs])).toEqual([['02', 60 * M]]);
  });

  it('cuts at half hours of UTC in a zone half an hour off (Kolkata)', () => {
    const pieces = presencePieces('dnd', Date.parse('2026-12-07T04:00:00Z'), Date.parse('2026-12-07T05:00:00Z'), 'Asia/Kolkata');
    expect(pieces.map((p) => [p.hour, p.onlineMs, p.availableMs])).toEqual([
      ['09', 30 * M, 0],
      ['10', 30 * M, 0],
    ]);
  });

  it('counts the last 31 days of a status left standing longer', () => {
    const at = Date.parse('2026-12-31T00:00:00Z');
    const pieces = presencePieces('available', 0, at, 'UTC');
    expect(pieces.reduce((s, p) => s + p.onlineMs, 0)).toBe(MAX_INTERVAL_MS);
    expect(pieces[0]?.day).toBe('2026-11-30');
  });
});
