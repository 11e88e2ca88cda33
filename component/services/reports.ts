/**
 * Report queries (docs/reports.md) for `!stats`, the portal's /api/reports and the CSV export:
 * who may see what (operators themselves, supervisors their desks, admins all), then the rollups
 * of the range turned into figures by day or by hour of day.
 */
import { DomainError } from '../../src/errors.js';
import { busiestHours, type DayRollup, daysBetween, type Figures, figuresOf, isDay } from '../../src/report-figures.js';
import type { Role } from '../../src/roles.js';
import { presencePieces } from '../../src/report-presence.js';
import type { ChatRow } from '../store/report-store.js';
import type { ServiceContext } from './context.js';

export interface ReportQuery {
  from: string;
  to: string;
  desk?: string;
  operator?: string;
  by: 'day' | 'hour';
}

/** Who asks: an operator from config (by bare JID and role), or `admin` (a portal admin token). */
export type Viewer = { jid: string; role: Role; desks: readonly string[] } | 'admin';

export interface Report {
  from: string;
  to: string;
  by: 'day' | 'hour';
  desks: string[];
  operator: string | null;
  totals: Figures;
  rows: Figures[];
  /** Requests by weekday (0 = Sunday) × hour of day. */
  busiestHours: number[][];
  comments: { day: string; ticket: number; score: number; comment: string }[];
}

const MAX_DAYS = 366;

export function createReports(ctx: ServiceContext<'reports' | 'operators'>) {
  const { store, directory } = ctx;
  const zoneOf = (desk: string) => directory.desk(desk)?.timeZone ?? 'UTC';

  /**
   * Adds the time of operators still online up to now (their current status: counted into the
   * rollups only when it changes), cut at the hours of `zone`, to the rollups of those days.
   */
  async function addOpenPresence(rollups: DayRollup[], operators: readonly string[], zone: string): Promise<void> {
    const byDay = new Map(rollups.map((r) => [r.day, r]));
    const now = ctx.now();
    for (const p of await store.operators.presenceSince(operators)) {
      if (p.since === undefined) continue;
      for (const piece of presencePieces(p.status, p.since, now, zone)) {
        const r = byDay.get(piece.day);
        if (!r) continue;
        const add = (f: string, ms: number) => {
          if (ms) r.fields[f] = (r.fields[f] ?? 0) + ms;
        };
        add('onlineMs', piece.onlineMs);
        add(`onlineMs@${piece.hour}`, piece.onlineMs);
        add('availableMs', piece.availableMs);
        add(`availableMs@${piece.hour}`, piece.availableMs);
      }
    }
  }
  const slaMsOf = (desk: string) => (directory.desk(desk)?.slaSeconds ?? 60) * 1000;
  const refused = (why: string) => new DomainError('not-your-session', why);

  /** The query narrowed to what the viewer may see; throws when it asks for more. */
  function authorize(viewer: Viewer, q: ReportQuery): { desks: string[]; operator?: string } {
    const all = directory.desks().map((d) => d.id);
    if (q.desk && !all.includes(q.desk)) throw new DomainError('unknown-desk', `No desk ${q.desk}`);
    if (viewer === 'admin' || viewer.role === 'admin') return { desks: q.desk ? [q.desk] : all, operator: q.operator };
    if (viewer.role === 'operator') {
      if (q.desk || (q.operator && q.operator !== viewer.jid)) throw refused('Operators see their own figures only');
      return { desks: [...viewer.desks], operator: viewer.jid };
    }
    if (q.desk && !viewer.desks.includes(q.desk)) throw refused(`${q.desk} is not one of your desks`);
    if (q.operator && !viewer.desks.some((d) => directory.operatorsOfDesk(d).includes(q.operator ?? '')))
      throw refused(`${q.operator} does not serve one of your desks`);
    return { desks: q.desk ? [q.desk] : [...viewer.desks], operator: q.operator };
  }

  function checkRange(q: Pick<ReportQuery, 'from' | 'to'>): string[] {
    if (!isDay(q.from) || !isDay(q.to) || q.from > q.to) throw new DomainError('bad-request', 'from and to are days YYYY-MM-DD, from ≤ to');
    const days = daysBetween(q.from, q.to, MAX_DAYS + 1);
    if (days.length > MAX_DAYS) throw new DomainError('bad-request', `At most ${MAX_DAYS} days`);
    return days;
  }

  return {
    authorize,
    /** One row per chat requested in the range (an operator's: the chats they served, ended or answered last). */
    async chats(viewer: Viewer, q: ReportQuery): Promise<ChatRow[]> {
      const days = checkRange(q);
      const scope = authorize(viewer, q);
      const rows: ChatRow[] = [];
      for (const desk of scope.desks) rows.push(...(await store.reports.chats(desk, days)));
      return scope.operator ? rows.filter((r) => r.fields.operator === scope.operator) : rows;
    },
    async report(viewer: Viewer, q: ReportQuery): Promise<Report> {
      const days = checkRange(q);
      const scope = authorize(viewer, q);
      let rollups: DayRollup[];
      if (scope.operator) {
        const sla = slaMsOf(scope.desks[0] ?? '');
        rollups = (await store.reports.days({ operator: scope.operator }, days)).map((r) => ({ ...r, slaMs: sla }));
        await addOpenPresence(rollups, [scope.operator], zoneOf(directory.operator(scope.operator)?.desks[0] ?? ''));
      } else {
        rollups = [];
        for (const desk of scope.desks) {
          const ofDesk = (await store.reports.days({ desk }, days)).map((r) => ({ ...r, slaMs: slaMsOf(desk) }));
          await addOpenPresence(ofDesk, directory.operatorsOfDesk(desk), zoneOf(desk));
          rollups.push(...ofDesk);
        }
      }
      const rows =
        q.by === 'hour'
          ? Array.from({ length: 24 }, (_, h) => figuresOf(`${String(h).padStart(2, '0')}:00`, rollups, h))
          : days.map((day) =>
              figuresOf(
                day,
                rollups.filter((r) => r.day === day),
              ),
            );
      return {
        from: q.from,
        to: q.to,
        by: q.by,
        desks: scope.desks,
        operator: scope.operator ?? null,
        totals: figuresOf(`${q.from}..${q.to}`, rollups),
        rows,
        busiestHours: busiestHours(rollups),
        comments: rollups.flatMap((r) => r.comments.filter((c) => c.comment).map((c) => ({ day: r.day, ...c }))),
      };
    },
  };
}
export type Reports = ReturnType<typeof createReports>;
