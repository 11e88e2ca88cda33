/**
 * The Reports page's views of one /api/reports answer: uPlot charts, the table of rows (each cell
 * carries the API's number in data-value, its text is that number in seconds or percent), the
 * busiest hours, operators' time against chats, ratings with comments, and widget impressions.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { Figures } from '../../../../src/report-figures.js';
import { rt, type ReportWord } from '../report-words.js';

/** One row of /api/reports: the figures the component computes (src/report-figures.ts). */
export type { Figures };
export interface Report {
  by: 'day' | 'hour';
  desks: string[];
  operator: string | null;
  totals: Figures;
  rows: Figures[];
  busiestHours: number[][];
  comments: { day: string; ticket: number; score: number; comment: string }[];
}

type Format = 'n' | 's' | '%' | 'h' | 'r';
/** How a figure reads: counts as they are, durations in seconds (1 decimal), shares in percent, time online as h:mm:ss, rates to 1 decimal. */
export function shown(v: number | undefined, f: Format): string {
  if (v === undefined || v === null) return '—';
  if (f === 's') return (v / 1000).toFixed(1);
  if (f === '%') return `${(v * 100).toFixed(1)}%`;
  if (f === 'h') {
    const s = Math.round(v / 1000);
    return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  }
  if (f === 'r') return v.toFixed(1);
  return String(v);
}
const Cell = ({ k, v, f }: { k: string; v: number | undefined; f: Format }) => (
  <td data-key={k} data-value={v ?? ''} class="num">
    {shown(v, f)}
  </td>
);

/** The table's columns: the figure, its heading and how it reads. */
export const COLUMNS: [keyof Figures, ReportWord, Format][] = [
  ['requested', 'requested', 'n'],
  ['served', 'served', 'n'],
  ['abandoned', 'abandoned', 'n'],
  ['offline', 'offline', 'n'],
  ['missed', 'missed', 'n'],
  ['waitP50Ms', 'waitP50', 's'],
  ['waitP90Ms', 'waitP90', 's'],
  ['waitMaxMs', 'waitMax', 's'],
  ['firstResponseP50Ms', 'firstP50', 's'],
  ['firstResponseP90Ms', 'firstP90', 's'],
  ['withinSla', 'withinSla', '%'],
  ['handleAvgMs', 'handle', 's'],
  ['transfers', 'transfers', 'n'],
  ['ratingAvg', 'ratingAvg', 'n'],
];

export function Chart({ report, title, series }: { report: Report; title: string; series: { label: string; color: string; value: (f: Figures) => number | null }[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const rows = report.rows;
    const plot = new uPlot(
      {
        title,
        width: Math.max(280, Math.min(1200, box.current.clientWidth - 20)),
        height: 220,
        padding: [8, 48, 0, 0], // room for the last period's label
        scales: { x: { time: false } },
        axes: [{ values: (_u, ticks) => ticks.map((i) => rows[i]?.period ?? '') }, {}],
        series: [{ label: rt(report.by === 'hour' ? 'hour' : 'day') }, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2 }))],
      },
      [rows.map((_, i) => i), ...series.map((s) => rows.map(s.value))] as uPlot.AlignedData,
      box.current,
    );
    return () => plot.destroy();
  }, [report, title]);
  return <div ref={box} class="chart" role="img" aria-label={title} />;
}

export function FiguresTable({ report }: { report: Report }) {
  const line = (f: Figures, total = false) => (
    <tr key={f.period} data-period={total ? 'total' : f.period}>
      <th scope="row">{total ? rt('total') : f.period}</th>
      {COLUMNS.map(([k, , fmt]) => (
        <Cell key={k} k={k} v={f[k] as number | undefined} f={fmt} />
      ))}
    </tr>
  );
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={rt('figures')}>
      <table class="wide figures">
        <caption>{rt('figures')}</caption>
        <thead>
          <tr>
            <th scope="col">{rt(report.by === 'hour' ? 'hour' : 'day')}</th>
            {COLUMNS.map(([k, w]) => (
              <th key={k} scope="col">
                {rt(w)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{report.rows.map((f) => line(f))}</tbody>
        <tfoot>{line(report.totals, true)}</tfoot>
      </table>
    </div>
  );
}

export function BusiestHours({ table }: { table: number[][] }) {
  const days = rt('weekdays').split(' ');
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={rt('busiest')}>
      <table class="wide busiest">
        <caption>{rt('busiest')}</caption>
        <thead>
          <tr>
            <td />
            {Array.from({ length: 24 }, (_, h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.map((row, d) => (
            <tr key={days[d]} data-weekday={d}>
              <th scope="row">{days[d]}</th>
              {row.map((n, h) => (
                <td key={h} class={n ? 'num hot' : 'num'} data-value={n}>
                  {n || ''}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Operators' time online and available against the chats they served (one row each). */
export function OperatorTime({ rows }: { rows: { jid: string; totals: Figures }[] }) {
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label={rt('opTime')}>
      <table class="wide op-time">
        <caption>{rt('opTime')}</caption>
        <thead>
          <tr>
            {(['operator', 'onlineH', 'availableH', 'served', 'perOnlineHour'] as const).map((w) => (
              <th key={w} scope="col">
                {rt(w)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ jid, totals: f }) => (
            <tr key={jid} data-operator={jid}>
              <th scope="row">{jid}</th>
              <Cell k="onlineMs" v={f.onlineMs} f="h" />
              <Cell k="availableMs" v={f.availableMs} f="h" />
              <Cell k="served" v={f.served} f="n" />
              <Cell k="servedPerOnlineHour" v={f.servedPerOnlineHour} f="r" />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Ratings({ report }: { report: Report }) {
  const dist = report.totals.ratingDistribution;
  return (
    <section class="card report-ratings" aria-label={rt('ratings')}>
      <h2>{rt('ratings')}</h2>
      <table class="ratings">
        <thead>
          <tr>
            <th scope="col">{rt('score')}</th>
            <th scope="col">{rt('count')}</th>
          </tr>
        </thead>
        <tbody>
          {(['5', '4', '3', '2', '1'] as const).map((s) => (
            <tr key={s} data-score={s}>
              <th scope="row">{'★'.repeat(Number(s))}</th>
              <Cell k={`rating${s}`} v={dist[s]} f="n" />
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{rt('comments')}</h3>
      {report.comments.length === 0 ? (
        <p class="muted">{rt('noComments')}</p>
      ) : (
        <table class="comments">
          <thead>
            <tr>
              <th scope="col">{rt('day')}</th>
              <th scope="col">{rt('ticket')}</th>
              <th scope="col">{rt('score')}</th>
              <th scope="col">{rt('comment')}</th>
            </tr>
          </thead>
          <tbody>
            {report.comments.map((c) => (
              <tr key={c.ticket} data-ticket={c.ticket}>
                <td>{c.day}</td>
                <td>#{c.ticket}</td>
                <td>{c.score}</td>
                <td>{c.comment}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function Impressions({ totals: f }: { totals: Figures }) {
  const rows: [keyof Figures, ReportWord, Format][] = [
    ['shown', 'shown', 'n'],
    ['shownOpen', 'shownOpen', 'n'],
    ['shownBusy', 'shownBusy', 'n'],
    ['shownClosed', 'shownClosed', 'n'],
    ['opened', 'opened', 'n'],
    ['openedRate', 'openedRate', '%'],
    ['requestedPerShown', 'requestedPerShown', '%'],
  ];
  return (
    <section class="card report-impressions" aria-label={rt('impressions')}>
      <h2>{rt('impressions')}</h2>
      <table>
        <tbody>
          {rows.map(([k, w, fmt]) => (
            <tr key={k}>
              <th scope="row">{rt(w)}</th>
              <Cell k={k} v={f[k] as number | undefined} f={fmt} />
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
