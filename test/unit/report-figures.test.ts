/** The pure report rules (src/report-figures.ts, src/report-csv.ts): buckets, periods, figures, CSV. */
import { describe, expect, it } from 'vitest';
import { csvOf } from '../../src/report-csv.js';
import { type DayRollup, factIncrements, figuresOf, localBucket, parsePeriod, percentile } from '../../src/report-figures.js';

const day = (d: string, fields: Record<string, number>, wait: string[] = [], first: string[] = []): DayRollup => ({
  day: d,
  fields,
  samples: { wait, abandonWait: [], first, handle: [], offlineReply: [] },
  comments: [],
});

describe('report figures', () => {
  it('files a time under the day and hour of the desk’s zone, across a DST change', () => {
    expect(localBucket(Date.UTC(2026, 11, 7, 16, 30), 'Asia/Tokyo')).toEqual({ day: '2026-12-08', hour: 1, dow: 2 });
    expect(localBucket(Date.UTC(2026, 2, 29, 0, 30), 'Europe/Berlin')).toEqual({ day: '2026-03-29', hour: 1, dow: 0 });
    expect(localBucket(Date.UTC(2026, 2, 29, 1, 30), 'Europe/Berlin')).toEqual({ day: '2026-03-29', hour: 3, dow: 0 });
    expect(localBucket(Date.UTC(2026, 11, 7, 23, 59), 'UTC').hour).toBe(23);
  });

  it('reads !stats periods and refuses the rest', () => {
    expect(parsePeriod('', '2026-03-01')).toEqual({ from: '2026-03-01', to: '2026-03-01' });
    expect(parsePeriod('yesterday', '2026-03-01')).toEqual({ from: '2026-02-28', to: '2026-02-28' });
    expect(parsePeriod('7d', '2026-03-01')).toEqual({ from: '2026-02-23', to: '2026-03-01' });
    expect(parsePeriod('2026-01-30..2026-02-02', '2026-03-01')).toEqual({ from: '2026-01-30', to: '2026-02-02' });
    for (const bad of ['2026-02-30', '2026-02-02..2026-01-30', '0d', 'week', '2024-01-01..2026-01-01'])
      expect(parsePeriod(bad, '2026-03-01')).toBeUndefined();
  });

  it('takes nearest-rank percentiles and reconciles the counts', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(percentile([5], 0.5)).toBe(5);
    expect(percentile([], 0.5)).toBeUndefined();
    const days = [
      day(
        '2026-01-01',
        { requested: 4, served: 2, abandoned: 1, 'requested@09': 4, 'served@09': 2 },
        ['09:1000', '09:3000'],
        ['09:20000', '09:90000'],
      ),
      day('2026-01-02', { requested: 2, offline: 1, 'requested@10': 2 }),
    ];
    const f = figuresOf('x', days);
    expect(f).toMatchObject({
      requested: 6,
      served: 2,
      abandoned: 1,
      offline: 1,
      stillWaiting: 2,
      waitP50Ms: 1000,
      waitMaxMs: 3000,
      withinSla: 0.5,
    });
    expect(figuresOf('10:00', days, 10)).toMatchObject({ requested: 2, served: 0, waitP50Ms: undefined });
  });

  it("counts a chat reassigned unanswered as a miss of its operator's only, once per reassignment", () => {
    const f = { kind: 'unanswered', ticket: 4, desk: 'support', operator: 'alice@localhost', createdAt: 1, at: 99 } as const;
    expect(factIncrements(f)).toEqual({
      once: 'unanswered:99',
      fields: { missed: 1 },
      samples: [],
      operator: 'alice@localhost',
      operatorOnly: true,
    });
  });

  it('moves a re-rating from the old score to the new one', () => {
    const again = factIncrements({ kind: 'rating', ticket: 1, desk: 'd', operator: 'o', createdAt: 0, score: 5, comment: '', replaces: 2 });
    expect(again.fields).toEqual({ ratingSum: 3, rating5: 1, rating2: -1 });
  });

  it('quotes CSV cells as RFC 4180 says', () => {
    expect(
      csvOf(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['line\nbreak', undefined],
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",\r\n');
  });
});
