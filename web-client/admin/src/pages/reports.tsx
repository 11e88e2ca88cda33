/**
 * Reports (docs/reports.md) as charts (uPlot) over GET /api/reports with the console's session:
 * admins see every desk, supervisors theirs, the server scopes it (services/reports.ts).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import type { Api } from '../api.js';
import { t } from '../i18n.js';
import { TextInput } from '../ui.js';

interface Figures {
  period: string;
  requested: number;
  served: number;
  abandoned: number;
  missed: number;
  waitP50Ms?: number;
  waitP90Ms?: number;
  firstResponseP50Ms?: number;
  withinSla?: number;
  ratingAvg?: number;
}
interface Report {
  desks: string[];
  totals: Figures;
  rows: Figures[];
}
const day = (d: Date) => d.toISOString().slice(0, 10);
const secs = (ms?: number) => (ms === undefined ? null : Math.round(ms / 1000));

function Chart({ rows, series, title }: { rows: Figures[]; series: { label: string; color: string; value: (f: Figures) => number | null }[]; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const xs = rows.map((_, i) => i);
    const plot = new uPlot(
      {
        title,
        width: Math.max(320, Math.min(1200, box.current.clientWidth - 20)),
        height: 240,
        scales: { x: { time: false } },
        axes: [{ values: (_u, ticks) => ticks.map((i) => rows[i]?.period ?? '') }, {}],
        series: [{ label: t('day') }, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2 }))],
      },
      [xs, ...series.map((s) => rows.map(s.value))] as uPlot.AlignedData,
      box.current,
    );
    return () => plot.destroy();
  }, [rows]);
  return <div ref={box} class="chart" role="img" aria-label={title} />;
}

export function ReportsPage({ api }: { api: Api }) {
  const [from, setFrom] = useState(day(new Date(Date.now() - 6 * 86_400_000)));
  const [to, setTo] = useState(day(new Date()));
  const [report, setReport] = useState<Report | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const load = async () => {
    try {
      setReport(await api.get<Report>(`/api/reports?from=${from}&to=${to}&by=day`));
      setError(undefined);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  useEffect(() => {
    void load();
  }, [api]);
  return (
    <div>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <TextInput label={t('from')} type="date" value={from} onValue={setFrom} />
        <TextInput label={t('to')} type="date" value={to} onValue={setTo} />
        <button type="submit">{t('show')}</button>
      </form>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      {report && (
        <>
          <p class="muted">{report.desks.join(', ')}</p>
          <Chart
            title={t('chatsPerDay')}
            rows={report.rows}
            series={[
              { label: 'requested', color: '#2563eb', value: (f) => f.requested },
              { label: 'served', color: '#16a34a', value: (f) => f.served },
              { label: 'abandoned', color: '#dc2626', value: (f) => f.abandoned },
            ]}
          />
          <Chart
            title={t('waitsPerDay')}
            rows={report.rows}
            series={[
              { label: 'wait p50', color: '#0f766e', value: (f) => secs(f.waitP50Ms) },
              { label: 'wait p90', color: '#b45309', value: (f) => secs(f.waitP90Ms) },
              { label: 'first response p50', color: '#7c3aed', value: (f) => secs(f.firstResponseP50Ms) },
            ]}
          />
        </>
      )}
    </div>
  );
}
