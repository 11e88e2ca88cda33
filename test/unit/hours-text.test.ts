import { describe, expect, it } from 'vitest';
import { formatHours, parseHours, type DeskHours } from '../../src/org/hours-text.js';

const TOKYO: DeskHours = {
  timeZone: 'Asia/Tokyo',
  weekly: {
    mon: [
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '18:00' },
    ],
    fri: [{ start: '09:00', end: '24:00' }],
  },
  exceptions: [
    { date: '2026-12-31', periods: [{ start: '10:00', end: '15:00' }] },
    { date: '2026-12-24', periods: [] },
  ],
  atClosing: 'serve',
};

describe('hours as text (contract 4)', () => {
  it('keeps the closing-time choice (issue 17): at-closing offline round-trips, serve is the default', () => {
    const offline: DeskHours = { ...TOKYO, exceptions: [], atClosing: 'offline' };
    expect(formatHours(offline).split('\n').at(-1)).toBe('at-closing offline');
    expect(parseHours(formatHours(offline), 'Asia/Tokyo')).toEqual({ ok: true, hours: offline });
    expect(parseHours('mon 09:00-10:00', 'UTC')).toMatchObject({ ok: true, hours: { atClosing: 'serve' } });
    expect(parseHours('at-closing never', 'UTC')).toEqual({
      ok: false,
      error: 'line 1 ("at-closing never"): expected "at-closing serve" or "at-closing offline"',
    });
  });

  it('formats weekdays in order, then dated exceptions by date; a closed date says so', () => {
    expect(formatHours(TOKYO)).toBe(
      ['mon 09:00-12:00 13:00-18:00', 'fri 09:00-24:00', '2026-12-24 closed', '2026-12-31 10:00-15:00'].join('\n'),
    );
  });

  it('parses what it formats (round trip), in the zone given', () => {
    const parsed = parseHours(formatHours(TOKYO), 'Asia/Tokyo');
    expect(parsed).toEqual({
      ok: true,
      hours: { ...TOKYO, exceptions: [...TOKYO.exceptions].sort((a, b) => a.date.localeCompare(b.date)) },
    });
  });

  it('takes blank lines, comments, upper case, "closed" weekdays and unordered periods', () => {
    const parsed = parseHours('# office\n\nMON 13:00-18:00   09:00-12:00\nsat closed\n', 'Europe/Berlin');
    expect(parsed.ok && parsed.hours).toEqual({
      timeZone: 'Europe/Berlin',
      weekly: {
        mon: [
          { start: '09:00', end: '12:00' },
          { start: '13:00', end: '18:00' },
        ],
      },
      exceptions: [],
      atClosing: 'serve',
    });
    expect(parseHours('', 'UTC')).toEqual({ ok: true, hours: { timeZone: 'UTC', weekly: {}, exceptions: [], atClosing: 'serve' } });
  });

  it.each([
    ['mon 9-17', 'line 1 ("mon 9-17"): "9-17" is not a period like 09:00-18:00'],
    ['tue 09:00-08:00', 'line 1 ("tue 09:00-08:00"): "09:00-08:00": the start must be before the end'],
    ['wed 09:00-12:00 11:00-13:00', 'line 1 ("wed 09:00-12:00 11:00-13:00"): 09:00-12:00 and 11:00-13:00 overlap'],
    ['mon 09:00-10:00\n\nmonday 09:00-10:00', 'line 3 ("monday 09:00-10:00"): expected a weekday (mon … sun) or a date'],
    ['2026-02-30 closed', 'line 1 ("2026-02-30 closed"): expected a weekday'],
    ['fri 09:00-10:00\nfri closed', 'line 2 ("fri closed"): fri is given twice'],
    ['thu', 'line 1 ("thu"): expected periods like 09:00-18:00, or "closed"'],
    ['thu 24:00-24:30', 'line 1 ("thu 24:00-24:30"): "24:00-24:30" is not a period'],
  ])('refuses %j, naming the line', (text, error) => {
    const parsed = parseHours(text, 'UTC');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toContain(error);
  });

  it('refuses an unknown time zone', () => {
    expect(parseHours('mon 09:00-10:00', 'Mars/Olympus')).toEqual({
      ok: false,
      error: 'time zone "Mars/Olympus" is not an IANA time zone such as Europe/Berlin',
    });
  });
});
