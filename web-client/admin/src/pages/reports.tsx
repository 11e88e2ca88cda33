/**
 * Reports (docs/reports.md defines each figure) over GET /api/reports with the console's session:
 * filters (range, desk, operator, by day or hour of day), uPlot charts, the table of rows and the
 * other views (report-views.tsx), and CSV downloads. The server scopes every query by the
 * session's role (services/reports.ts: admins all, supervisors their desks, operators themselves);
 * the filters offer only what it allows.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { t } from '../i18n.js';
import { rt } from '../report-words.js';
import { Field, TextInput } from '../ui.js';
import { BusiestHours, Chart, type Figures, FiguresTable, Impressions, OperatorTime, Ratings, type Report } from './report-views.js';

const day = (d: Date) => d.toISOString().slice(0, 10);
const secs = (ms?: number) => (ms === undefined ? null : Math.round(ms / 100) / 10);

interface Query {
  from: string;
  to: string;
  desk: string;
  operator: string;
  by: 'day' | 'hour';
}
const queryString = (q: Query, withBy = true) =>
  new URLSearchParams({ from: q.from, to: q.to, ...(q.desk ? { desk: q.desk } : {}), ...(q.operator ? { operator: q.operator } : {}), ...(withBy ? { by: q.by } : {}) }).toString();

function Select({ label, value, onValue, options }: { label: string; value: string; onValue: (v: string) => void; options: [string, string][] }) {
  return (
    <Field label={label}>
      {(id) => (
        <select id={id} value={value} onChange={(e) => onValue((e.target as HTMLSelectElement).value)}>
          {options.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function ReportsPage({ api, role }: { api: Api; role: string }) {
  const [q, setQ] = useState<Query>({ from: day(new Date(Date.now() - 6 * 86_400_000)), to: day(new Date()), desk: '', operator: '', by: 'day' });
  const [dates, setDates] = useState({ from: q.from, to: q.to });
  const [report, setReport] = useState<Report | undefined>(undefined);
  const [opTime, setOpTime] = useState<{ jid: string; totals: Figures }[]>([]);
  const [scope, setScope] = useState<{ desks: string[]; operators: { jid: string; desks: string[] }[] }>({ desks: [], operators: [] });
  const [error, setError] = useState<string | undefined>(undefined);
  const seq = useRef(0);
  const isOperator = role === 'operator';

  // What the filters may offer: the desks of an unfiltered report, and the operators serving them.
  useEffect(() => {
    if (isOperator) return;
    void (async () => {
      try {
        const all = await api.get<Report>(`/api/reports?from=${q.to}&to=${q.to}`);
        const ops = await api.get<{ items: { id: string; value: { desks: string[] } }[] }>('/api/admin/org/operator');
        setScope({
          desks: all.desks,
          operators: ops.items.map((o) => ({ jid: o.id, desks: o.value.desks })).filter((o) => o.desks.some((d) => all.desks.includes(d))),
        });
      } catch (err) {
        setError((err as Error).message);
      }
    })();
  }, [api]);

  useEffect(() => {
    const mine = ++seq.current;
    void (async () => {
      try {
        const r = await api.get<Report>(`/api/reports?${queryString(q)}`);
        if (mine !== seq.current) return; // a later filter won
        setReport(r);
        setError(undefined);
        const jids = r.operator ? [r.operator] : scope.operators.filter((o) => o.desks.some((d) => r.desks.includes(d))).map((o) => o.jid);
        const rows = await Promise.all(
          jids.map(async (jid) => ({
            jid,
            totals: jid === r.operator ? r.totals : (await api.get<Report>(`/api/reports?${queryString({ ...q, desk: '', operator: jid })}`)).totals,
          })),
        );
        if (mine === seq.current) setOpTime(rows);
      } catch (err) {
        if (mine === seq.current) setError((err as Error).message);
      }
    })();
  }, [api, q, scope]);

  const download = async (path: string, name: string) => {
    try {
      const url = URL.createObjectURL(await api.blob(path));
      const a = Object.assign(document.createElement('a'), { href: url, download: name });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const set = (patch: Partial<Query>) => setQ({ ...q, ...patch });
  const deskOps = scope.operators.filter((o) => !q.desk || o.desks.includes(q.desk));
  return (
    <div class="reports">
      <form
        class="row filters"
        aria-label={rt('figures')}
        onSubmit={(e) => {
          e.preventDefault();
          set(dates);
        }}
      >
        <TextInput label={t('from')} type="date" value={dates.from} onValue={(from) => setDates({ ...dates, from })} />
        <TextInput label={t('to')} type="date" value={dates.to} onValue={(to) => setDates({ ...dates, to })} />
        <button type="submit">{t('show')}</button>
        {!isOperator && (
          <Select
            label={rt('desk')}
            value={q.desk}
            onValue={(desk) => set({ desk, operator: '' })}
            options={[['', rt('allDesks')], ...scope.desks.map((d): [string, string] => [d, d])]}
          />
        )}
        {!isOperator && (
          <Select label={rt('operator')} value={q.operator} onValue={(operator) => set({ operator })} options={[['', rt('allOperators')], ...deskOps.map((o): [string, string] => [o.jid, o.jid])]} />
        )}
        <Select label={rt('by')} value={q.by} onValue={(by) => set({ by: by as Query['by'] })} options={[['day', rt('byDay')], ['hour', rt('byHour')]]} />
      </form>
      {isOperator && <p class="note">{rt('ownFigures')}</p>}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      {report && (
        <>
          <p class="muted scope">{[...report.desks, report.operator].filter(Boolean).join(', ')}</p>
          <div class="actions downloads">
            <button type="button" class="secondary small" onClick={() => void download(`/api/reports.csv?${queryString(q)}`, `report-${q.from}-${q.to}.csv`)}>
              {rt('csvPeriods')}
            </button>
            <button type="button" class="secondary small" onClick={() => void download(`/api/reports/chats.csv?${queryString(q, false)}`, `chats-${q.from}-${q.to}.csv`)}>
              {rt('csvChats')}
            </button>
          </div>
          <div class="charts">
            <Chart
              report={report}
              title={rt('chartChats')}
              series={[
                { label: rt('requested'), color: '#2563eb', value: (f) => f.requested },
                { label: rt('served'), color: '#16a34a', value: (f) => f.served },
                { label: rt('abandoned'), color: '#dc2626', value: (f) => f.abandoned },
              ]}
            />
            <Chart
              report={report}
              title={rt('chartTimes')}
              series={[
                { label: rt('waitP50'), color: '#0f766e', value: (f) => secs(f.waitP50Ms) },
                { label: rt('waitP90'), color: '#b45309', value: (f) => secs(f.waitP90Ms) },
                { label: rt('firstP50'), color: '#7c3aed', value: (f) => secs(f.firstResponseP50Ms) },
              ]}
            />
          </div>
          <FiguresTable report={report} />
          <BusiestHours table={report.busiestHours} />
          {opTime.length > 0 && <OperatorTime rows={opTime} />}
          <div class="cards">
            <Ratings report={report} />
            <Impressions totals={report.totals} />
          </div>
        </>
      )}
    </div>
  );
}
