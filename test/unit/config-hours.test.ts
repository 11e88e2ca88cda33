import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../config/load.js';

const withHours = (hours: unknown) => ({
  component: { service: 'xmpp://127.0.0.1:5347', domain: 'support.localhost', secret: 's3cret' },
  redis: { url: 'redis://127.0.0.1:6379' },
  desks: [
    { id: 'support', name: 'Support' },
    { id: 'sales', name: 'Sales', hours },
  ],
  operators: [{ jid: 'alice@localhost', name: 'Alice', desks: ['support'] }],
});
const errorOf = (raw: unknown): string => {
  try {
    parseConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('parseConfig accepted an invalid config');
};

describe('desks[].hours', () => {
  it('is optional (always open) and fills exceptions and weekly', () => {
    const cfg = parseConfig(withHours({ timeZone: 'Asia/Tokyo', weekly: { mon: [{ start: '09:00', end: '12:00' }] } }));
    expect(cfg.desks[0]?.hours).toBeUndefined();
    expect(cfg.desks[1]?.hours).toEqual({
      timeZone: 'Asia/Tokyo',
      weekly: { mon: [{ start: '09:00', end: '12:00' }] },
      exceptions: [],
      atClosing: 'serve',
    });
  });

  it('atClosing is serve (the queue is served to the end) unless set to offline', () => {
    expect(parseConfig(withHours({ timeZone: 'UTC', atClosing: 'offline' })).desks[1]?.hours?.atClosing).toBe('offline');
    expect(errorOf(withHours({ timeZone: 'UTC', atClosing: 'drop' }))).toContain('desks.1.hours.atClosing');
  });

  it('names the field of a bad zone, clock, period and exception', () => {
    expect(errorOf(withHours({ timeZone: 'Mars/Olympus' }))).toContain('desks.1.hours.timeZone');
    expect(errorOf(withHours({ timeZone: 'UTC', weekly: { mon: [{ start: '9:00', end: '12:00' }] } }))).toContain(
      'desks.1.hours.weekly.mon.0.start',
    );
    expect(errorOf(withHours({ timeZone: 'UTC', weekly: { tue: [{ start: '13:00', end: '12:00' }] } }))).toContain(
      'desks.1.hours.weekly.tue.0.end: start must be before end',
    );
    expect(errorOf(withHours({ timeZone: 'UTC', weekly: { someday: [] } }))).toContain('desks.1.hours.weekly');
    expect(errorOf(withHours({ timeZone: 'UTC', exceptions: [{ date: '2026-02-30' }] }))).toContain('desks.1.hours.exceptions.0.date');
  });
});
