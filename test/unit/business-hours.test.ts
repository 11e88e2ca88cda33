import { describe, expect, it } from 'vitest';
import { deskClosure, formatOpening, isOpen, nextChange, nextOpening, parseClock, type Schedule } from '../../src/business-hours.js';

const weekday = [
  { start: '09:00', end: '12:00' },
  { start: '13:00', end: '18:00' },
];
const berlin: Schedule = {
  timeZone: 'Europe/Berlin',
  weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday },
};
const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('parseClock', () => {
  it('reads HH:MM up to 24:00 and refuses the rest', () => {
    expect(parseClock('09:30')).toBe(570);
    expect(parseClock('24:00')).toBe(1440);
    expect(parseClock('24:01')).toBeNull();
    expect(parseClock('9:30')).toBeNull();
    expect(parseClock('12:60')).toBeNull();
  });
});

describe('weekly periods (Europe/Berlin, winter: UTC+1)', () => {
  it('is open inside either period of the day and closed at lunch, before and after', () => {
    expect(isOpen(berlin, at('2026-01-05T07:59:00Z'))).toBe(false); // Mon 08:59
    expect(isOpen(berlin, at('2026-01-05T08:00:00Z'))).toBe(true); // 09:00
    expect(isOpen(berlin, at('2026-01-05T10:59:00Z'))).toBe(true); // 11:59
    expect(isOpen(berlin, at('2026-01-05T11:00:00Z'))).toBe(false); // 12:00, lunch
    expect(isOpen(berlin, at('2026-01-05T12:00:00Z'))).toBe(true); // 13:00
    expect(isOpen(berlin, at('2026-01-05T17:00:00Z'))).toBe(false); // 18:00
    expect(isOpen(berlin, at('2026-01-10T10:00:00Z'))).toBe(false); // Saturday
  });

  it('names the next opening: after lunch, and after the weekend', () => {
    expect(iso(nextOpening(berlin, at('2026-01-05T11:30:00Z')))).toBe('2026-01-05T12:00:00.000Z');
    expect(iso(nextOpening(berlin, at('2026-01-09T17:30:00Z')))).toBe('2026-01-12T08:00:00.000Z'); // Fri → Mon 09:00
    // While open, the next opening is the one after the coming close.
    expect(iso(nextOpening(berlin, at('2026-01-05T09:00:00Z')))).toBe('2026-01-05T12:00:00.000Z');
  });

  it('names the next change of state for the presence timer', () => {
    expect(iso(nextChange(berlin, at('2026-01-05T09:00:00Z')))).toBe('2026-01-05T11:00:00.000Z');
    expect(iso(nextChange(berlin, at('2026-01-05T11:00:00Z')))).toBe('2026-01-05T12:00:00.000Z');
  });

  it('treats back-to-back periods across midnight as one opening', () => {
    const allWeek: Schedule = {
      timeZone: 'Europe/Berlin',
      weekly: { mon: [{ start: '20:00', end: '24:00' }], tue: [{ start: '00:00', end: '02:00' }] },
    };
    expect(isOpen(allWeek, at('2026-01-05T23:30:00Z'))).toBe(true); // Tue 00:30
    expect(iso(nextChange(allWeek, at('2026-01-05T20:00:00Z')))).toBe('2026-01-06T01:00:00.000Z'); // closes Tue 02:00
    expect(iso(nextOpening(allWeek, at('2026-01-05T20:00:00Z')))).toBe('2026-01-12T19:00:00.000Z');
  });
});

describe('dated exceptions and the manual switch', () => {
  const withExceptions: Schedule = {
    ...berlin,
    exceptions: [
      { date: '2026-01-06', periods: [] }, // Epiphany: closed
      { date: '2026-01-10', periods: [{ start: '10:00', end: '14:00' }] }, // a special Saturday
    ],
  };

  it('a holiday is closed all day and skipped by the next opening', () => {
    expect(isOpen(withExceptions, at('2026-01-06T09:00:00Z'))).toBe(false);
    expect(iso(nextOpening(withExceptions, at('2026-01-05T18:00:00Z')))).toBe('2026-01-07T08:00:00.000Z');
  });

  it('special opening hours replace the weekly ones on that date', () => {
    expect(isOpen(withExceptions, at('2026-01-10T09:30:00Z'))).toBe(true); // Sat 10:30
    expect(iso(nextOpening(withExceptions, at('2026-01-09T18:00:00Z')))).toBe('2026-01-10T09:00:00.000Z');
  });

  it('"closed now" closes an open desk and has no known opening', () => {
    const closed = { ...berlin, closedNow: true };
    expect(isOpen(closed, at('2026-01-05T09:00:00Z'))).toBe(false);
    expect(nextOpening(closed, at('2026-01-05T09:00:00Z'))).toBeNull();
  });

  it('a schedule with no periods never opens', () => {
    expect(nextOpening({ timeZone: 'Asia/Tokyo', weekly: {} }, at('2026-01-05T09:00:00Z'))).toBeNull();
  });
});

describe('daylight saving (Europe/Berlin 2026: 29 March 02:00→03:00, 25 October 03:00→02:00)', () => {
  it('spring forward: Monday 09:00 after the change is 07:00 UTC, not 08:00', () => {
    expect(iso(nextOpening(berlin, at('2026-03-27T17:30:00Z')))).toBe('2026-03-30T07:00:00.000Z');
    expect(isOpen(berlin, at('2026-03-30T06:59:00Z'))).toBe(false);
    expect(isOpen(berlin, at('2026-03-30T07:00:00Z'))).toBe(true);
  });

  it('spring forward: a period starting in the skipped hour opens when the clocks jump', () => {
    const night: Schedule = { timeZone: 'Europe/Berlin', weekly: { sun: [{ start: '02:30', end: '05:00' }] } };
    expect(iso(nextOpening(night, at('2026-03-28T12:00:00Z')))).toBe('2026-03-29T01:00:00.000Z'); // 03:00 CEST
    expect(isOpen(night, at('2026-03-29T00:59:00Z'))).toBe(false); // 01:59 CET
    expect(isOpen(night, at('2026-03-29T01:00:00Z'))).toBe(true);
    expect(iso(nextChange(night, at('2026-03-29T01:00:00Z')))).toBe('2026-03-29T03:00:00.000Z'); // 05:00 CEST
  });

  it('fall back: Monday 09:00 after the change is 08:00 UTC', () => {
    expect(iso(nextOpening(berlin, at('2026-10-23T16:30:00Z')))).toBe('2026-10-26T08:00:00.000Z');
  });

  it('fall back: a night period lasts one wall-clock hour longer, and opens at its first occurrence', () => {
    const night: Schedule = { timeZone: 'Europe/Berlin', weekly: { sun: [{ start: '01:00', end: '04:00' }] } };
    expect(iso(nextOpening(night, at('2026-10-24T12:00:00Z')))).toBe('2026-10-24T23:00:00.000Z'); // 01:00 CEST
    expect(isOpen(night, at('2026-10-25T02:30:00Z'))).toBe(true); // 03:30 CET
    expect(iso(nextChange(night, at('2026-10-24T23:00:00Z')))).toBe('2026-10-25T03:00:00.000Z'); // 04:00 CET: 4 h
    const repeated: Schedule = { timeZone: 'Europe/Berlin', weekly: { sun: [{ start: '02:30', end: '05:00' }] } };
    expect(iso(nextOpening(repeated, at('2026-10-24T12:00:00Z')))).toBe('2026-10-25T00:30:00.000Z'); // first 02:30 (CEST)
  });
});

describe('formatOpening: the opening in the reader\u2019s zone', () => {
  const opening = at('2026-01-12T08:00:00Z'); // Monday 09:00 in Berlin
  const now = at('2026-01-09T18:00:00Z');
  it('renders the weekday and time in the desk zone, another zone, and with a configured label', () => {
    expect(formatOpening(opening, 'Europe/Berlin', now)).toBe('Monday 09:00 (GMT+1)');
    expect(formatOpening(opening, 'Asia/Tokyo', now)).toBe('Monday 17:00 (GMT+9)');
    expect(formatOpening(opening, 'Asia/Tokyo', now, 'JST')).toBe('Monday 17:00 (JST)');
    expect(formatOpening(opening, 'America/Los_Angeles', now)).toBe('Monday 00:00 (PST)');
  });
  it('adds the date when the opening is more than a week away', () => {
    expect(formatOpening(opening, 'Europe/Berlin', at('2026-01-01T00:00:00Z'))).toBe('Monday 12 Jan, 09:00 (GMT+1)');
  });
});

describe('deskClosure', () => {
  const tokyo: Schedule = { timeZone: 'Asia/Tokyo', zoneLabel: 'JST', weekly: { mon: [{ start: '09:00', end: '18:00' }] } };
  it('is null while open and for a desk without hours', () => {
    expect(deskClosure(tokyo, false, at('2026-01-12T01:00:00Z'))).toBeNull(); // Monday 10:00 JST
    expect(deskClosure(undefined, false, at('2026-01-12T01:00:00Z'))).toBeNull();
  });
  it('names the next opening in the desk zone while closed, and none when switched closed', () => {
    expect(deskClosure(tokyo, false, at('2026-01-12T10:00:00Z'))).toEqual({
      opensAt: '2026-01-19T00:00:00.000Z',
      status: 'Closed — opens Monday 19 Jan, 09:00 (JST)',
    });
    expect(deskClosure(tokyo, false, at('2026-01-17T10:00:00Z'))?.status).toBe('Closed — opens Monday 09:00 (JST)');
    expect(deskClosure(undefined, true, at('2026-01-12T01:00:00Z'))).toEqual({ opensAt: null, status: 'Closed' });
  });
});

describe('deskClosure over a closed stretch', () => {
  it('gives the same opening at every instant of one closure, and the next one after it', () => {
    const s: Schedule = { ...berlin };
    const first = deskClosure(s, false, at('2026-01-09T17:30:00Z'));
    expect(first?.opensAt).toBe('2026-01-12T08:00:00.000Z');
    expect(deskClosure(s, false, at('2026-01-11T23:00:00Z'))?.opensAt).toBe('2026-01-12T08:00:00.000Z');
    expect(deskClosure(s, false, at('2026-01-12T08:00:00Z'))).toBeNull(); // opened
    expect(deskClosure(s, false, at('2026-01-12T11:30:00Z'))?.opensAt).toBe('2026-01-12T12:00:00.000Z'); // lunch
    expect(deskClosure(s, false, at('2026-01-09T17:45:00Z'))?.opensAt).toBe('2026-01-12T08:00:00.000Z'); // earlier again
  });
});
