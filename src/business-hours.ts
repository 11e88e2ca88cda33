/**
 * A desk's business hours (issue 17): weekly periods in an IANA time zone, dated exceptions
 * and a manual "closed now" switch. Pure: the instant is always passed in, and wall-clock time
 * comes from the platform's Intl (ICU's zone data), so daylight-saving changes are the zone's.
 * Periods are wall-clock times: on a spring-forward day a period opening inside the gap opens
 * when the clocks jump; on a fall-back day a repeated wall time opens at its first occurrence.
 */
import { wallParts } from './wall-clock.js';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `HH:MM`–`HH:MM`, start before end, end up to `24:00`; no period crosses midnight. */
export interface Period {
  start: string;
  end: string;
}

export interface Schedule {
  timeZone: string;
  /** What to call the zone in status lines ("JST"); default: Intl's short name (e.g. "GMT+9"). */
  zoneLabel?: string;
  weekly: Partial<Record<Weekday, readonly Period[]>>;
  /** Dated exceptions (`YYYY-MM-DD` in the desk's zone): `periods: []` is a closed day. */
  exceptions?: readonly { date: string; periods: readonly Period[] }[];
  /** The manual switch: closed until switched off, whatever the schedule says. */
  closedNow?: boolean;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How far ahead the next opening is looked for (a long closure of exceptions still finds it). */
const HORIZON_DAYS = 400;

/** `HH:MM` → minutes since midnight; `24:00` is 1440. */
export function parseClock(text: string): number | null {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 1440 ? minutes : null;
}

/** Whether the zone is one Intl knows (an IANA name such as `Europe/Berlin`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

interface Wall {
  /** The local calendar date as a day number (UTC days since the epoch of that date). */
  day: number;
  minute: number;
}

function wallTime(zone: string, at: number): Wall {
  const p = wallParts(at, zone);
  return {
    day: Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day)) / DAY,
    minute: Number(p.hour) * 60 + Number(p.minute),
  };
}

const wallValue = (w: Wall) => w.day * 1440 + w.minute;
const dateText = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/** The zone's offset from UTC at `at`, in ms (wall time minus UTC, to the minute). */
const offsetAt = (zone: string, at: number) => wallValue(wallTime(zone, at)) * MINUTE - Math.floor(at / MINUTE) * MINUTE;

/**
 * The instant (ms) of local `day` + `minute` in `zone`: its first occurrence when the wall time
 * repeats (fall back), the end of the gap when it is skipped (spring forward).
 */
function instantOf(zone: string, day: number, minute: number): number {
  const target = day * 1440 + minute;
  const naive = target * MINUTE; // the wall time read as if it were UTC
  const candidates = [offsetAt(zone, naive - DAY), offsetAt(zone, naive + DAY)]
    .map((offset) => naive - offset)
    .filter((t) => wallValue(wallTime(zone, t)) === target);
  if (candidates.length > 0) return Math.min(...candidates);
  // Skipped: the wall clock is monotonic across a gap, so bisect for the first minute past it.
  let lo = naive - 18 * 3_600_000;
  let hi = naive + 18 * 3_600_000;
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (wallValue(wallTime(zone, mid)) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

function periodsOn(schedule: Schedule, day: number): readonly Period[] {
  const date = dateText(day);
  const exception = schedule.exceptions?.find((e) => e.date === date);
  if (exception) return exception.periods;
  return schedule.weekly[WEEKDAYS[new Date(day * DAY).getUTCDay()] as Weekday] ?? [];
}

function openByCalendar(schedule: Schedule, at: number): boolean {
  const wall = wallTime(schedule.timeZone, at);
  return periodsOn(schedule, wall.day).some((p) => {
    const start = parseClock(p.start) ?? 0;
    const end = parseClock(p.end) ?? 0;
    return wall.minute >= start && wall.minute < end;
  });
}

export function isOpen(schedule: Schedule, at: Date): boolean {
  return !schedule.closedNow && openByCalendar(schedule, at.getTime());
}

/** Every boundary (period start or end) after `at`, in order, day by day. */
function* boundariesAfter(schedule: Schedule, at: number): Generator<number> {
  const first = wallTime(schedule.timeZone, at).day - 1;
  for (let day = first; day <= first + HORIZON_DAYS; day++) {
    const minutes = periodsOn(schedule, day)
      .flatMap((p) => [parseClock(p.start), parseClock(p.end)])
      .filter((m): m is number => m !== null);
    for (const instant of [...new Set(minutes)].map((m) => instantOf(schedule.timeZone, day, m)).sort((a, b) => a - b)) {
      if (instant > at) yield instant;
    }
  }
}

/** When the schedule next changes the desk from closed to open after `at`; null if not within the horizon or switched closed. */
export function nextOpening(schedule: Schedule, at: Date): Date | null {
  if (schedule.closedNow) return null;
  for (const b of boundariesAfter(schedule, at.getTime())) {
    if (openByCalendar(schedule, b) && !openByCalendar(schedule, b - 1)) return new Date(b);
  }
  return null;
}

/** When the schedule next opens or closes the desk after `at` (the time to re-publish its presence). */
export function nextChange(schedule: Schedule, at: Date): Date | null {
  const now = openByCalendar(schedule, at.getTime());
  for (const b of boundariesAfter(schedule, at.getTime())) {
    if (openByCalendar(schedule, b) !== now) return new Date(b);
  }
  return null;
}

/** Intl formatters are costly to build (about 0.2 ms each): one per zone, locale and shape. */
const displayFormatters = new Map<string, Intl.DateTimeFormat>();
function displayFormatter(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = displayFormatters.get(key);
  if (!f) displayFormatters.set(key, (f = make()));
  return f;
}

/** "Monday 09:00 (JST)": the opening as a reader in `zone` sees it; the date is added beyond a week. */
export function formatOpening(opening: Date, zone: string, now: Date, zoneLabel?: string, locale = 'en-GB'): string {
  const far = opening.getTime() - now.getTime() > 6 * DAY;
  const text = displayFormatter(
    `${locale}|${zone}|${far}`,
    () =>
      new Intl.DateTimeFormat(locale, {
        timeZone: zone,
        weekday: 'long',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        ...(far ? { day: 'numeric', month: 'short' } : {}),
      }),
  )
    .format(opening)
    .replace(' at ', ' ');
  const label =
    zoneLabel ??
    displayFormatter(`zone|${zone}`, () => new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'short' }))
      .formatToParts(opening)
      .find((p) => p.type === 'timeZoneName')?.value;
  return `${text} (${label})`;
}

/** Why a desk is closed regardless of its operators: by its schedule or the switch; null while open. */
export interface Closure {
  /** The next opening (ISO 8601), when the schedule knows it. */
  opensAt: string | null;
  /** For the status line: "Closed — opens Monday 09:00 (JST)". */
  status: string;
}

/**
 * The last closed stretch found per schedule: closed from `from` until `opening` without a break
 * (the opening is the first after `from`), so any instant in between has the same next opening.
 * A memo of a pure result (the desk's snapshot asks on every presence and join while closed).
 */
const closedStretch = new WeakMap<object, { from: number; opening: number }>();

function cachedOpening(schedule: Omit<Schedule, 'closedNow'>, at: Date): Date | null {
  const t = at.getTime();
  const known = closedStretch.get(schedule);
  if (known && known.from <= t && t < known.opening) return new Date(known.opening);
  const opening = nextOpening(schedule, at);
  if (opening) closedStretch.set(schedule, { from: t, opening: opening.getTime() });
  return opening;
}

/** A desk without hours is always open unless switched closed now. */
export function deskClosure(schedule: Omit<Schedule, 'closedNow'> | undefined, closedNow: boolean, at: Date): Closure | null {
  if (closedNow) return { opensAt: null, status: 'Closed' };
  if (!schedule || isOpen(schedule, at)) return null;
  const opening = cachedOpening(schedule, at);
  if (!opening) return { opensAt: null, status: 'Closed' };
  return { opensAt: opening.toISOString(), status: `Closed — opens ${formatOpening(opening, schedule.timeZone, at, schedule.zoneLabel)}` };
}
