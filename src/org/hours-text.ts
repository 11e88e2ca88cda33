/**
 * A desk's business hours as lines of text (issue 16, contract 4): what an admin edits in an
 * XEP-0050 text-multi field, after `!hours set`, or in the console. One line per weekday or date:
 *
 *   mon 09:00-12:00 13:00-18:00
 *   sat closed
 *   2026-12-24 closed
 *   2026-12-31 10:00-15:00
 *   at-closing offline
 *
 * A weekday without a line is closed. `at-closing offline` turns customers still waiting at
 * closing time into offline messages (issue 17); without it, or with `at-closing serve`, the
 * queue is served to the end. Blank lines and lines starting with `#` are ignored.
 * Periods are `HH:MM-HH:MM` in the desk's time zone, start before end, end up to 24:00, not
 * overlapping (the same rules as config/schema.ts). Pure: the shapes match admin-types.ts.
 */
import { isTimeZone, parseClock } from '../business-hours.js';

export const HOURS_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type HoursDay = (typeof HOURS_DAYS)[number];

export interface HoursPeriod {
  start: string;
  end: string;
}

/** Structurally the DeskHours of component/services/admin/admin-types.ts. */
export interface DeskHours {
  timeZone: string;
  zoneLabel?: string;
  weekly: Partial<Record<HoursDay, HoursPeriod[]>>;
  exceptions: { date: string; periods: HoursPeriod[] }[];
  atClosing: 'serve' | 'offline';
}

export type HoursParse = { ok: true; hours: DeskHours } | { ok: false; error: string };

const periodsText = (periods: readonly HoursPeriod[]) => (periods.length ? periods.map((p) => `${p.start}-${p.end}`).join(' ') : 'closed');

export function formatHours(h: DeskHours): string {
  const lines: string[] = [];
  for (const day of HOURS_DAYS) {
    const periods = h.weekly[day];
    if (periods?.length) lines.push(`${day} ${periodsText(periods)}`);
  }
  for (const e of [...h.exceptions].sort((a, b) => a.date.localeCompare(b.date))) lines.push(`${e.date} ${periodsText(e.periods)}`);
  if (h.atClosing === 'offline') lines.push('at-closing offline');
  return lines.join('\n');
}

/** A real calendar date `YYYY-MM-DD` (no 2026-02-30). */
function isDate(text: string): boolean {
  if (!/^\d{4}-\d\d-\d\d$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** The periods of one line after its day or date, or why not. */
function parsePeriods(words: string[]): HoursPeriod[] | string {
  if (words.length === 1 && words[0]?.toLowerCase() === 'closed') return [];
  if (words.length === 0) return 'expected periods like 09:00-18:00, or "closed"';
  const periods: HoursPeriod[] = [];
  for (const word of words) {
    const m = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(word);
    const start = m ? parseClock(m[1] as string) : null;
    const end = m ? parseClock(m[2] as string) : null;
    if (!m || start === null || end === null) return `"${word}" is not a period like 09:00-18:00 (00:00 to 24:00)`;
    if (start >= end) return `"${word}": the start must be before the end (no period crosses midnight)`;
    periods.push({ start: m[1] as string, end: m[2] as string });
  }
  periods.sort((a, b) => (parseClock(a.start) ?? 0) - (parseClock(b.start) ?? 0));
  for (let i = 1; i < periods.length; i++) {
    const prev = periods[i - 1] as HoursPeriod;
    const cur = periods[i] as HoursPeriod;
    if ((parseClock(cur.start) ?? 0) < (parseClock(prev.end) ?? 0)) return `${prev.start}-${prev.end} and ${cur.start}-${cur.end} overlap`;
  }
  return periods;
}

export function parseHours(text: string, timeZone: string): HoursParse {
  if (!isTimeZone(timeZone)) return { ok: false, error: `time zone "${timeZone}" is not an IANA time zone such as Europe/Berlin` };
  const hours: DeskHours = { timeZone, weekly: {}, exceptions: [], atClosing: 'serve' };
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fail = (why: string): HoursParse => ({ ok: false, error: `line ${i + 1} ("${line}"): ${why}` });
    const [head = '', ...rest] = line.split(/\s+/);
    const key = head.toLowerCase();
    if (key === 'at-closing') {
      const mode = rest.join(' ').toLowerCase();
      if (mode !== 'serve' && mode !== 'offline') return fail('expected "at-closing serve" or "at-closing offline"');
      hours.atClosing = mode;
      continue;
    }
    const isDay = (HOURS_DAYS as readonly string[]).includes(key);
    if (!isDay && !isDate(key)) return fail('expected a weekday (mon … sun) or a date (YYYY-MM-DD) first');
    if (seen.has(key)) return fail(`${key} is given twice`);
    seen.add(key);
    const periods = parsePeriods(rest);
    if (typeof periods === 'string') return fail(periods);
    if (isDay) {
      if (periods.length) hours.weekly[key as HoursDay] = periods;
    } else hours.exceptions.push({ date: key, periods });
  }
  hours.exceptions.sort((a, b) => a.date.localeCompare(b.date));
  return { ok: true, hours };
}
