/**
 * XEP-0313 (MAM, urn:xmpp:mam:2) query semantics, pure: the XEP-0004 filter form (with,
 * start, end) and XEP-0059 result set paging (max, after, before) over archive items in
 * chronological order. Archive ids are evidence seqs (decimal strings): stable and unique.
 * References: https://xmpp.org/extensions/xep-0313.html (§4.1 filtering, §4.2 paging, §5 results)
 *             https://xmpp.org/extensions/xep-0059.html (§2.2 paging forwards, §2.5 backwards)
 */
export const MAM_FORM_TYPE = 'urn:xmpp:mam:2';
export const MAM_DEFAULT_MAX = 50;
export const MAM_MAX = 250;

export interface MamRequest {
  /** The submitted form's fields (var → values), when a form was sent. */
  fields?: { var: string; values: string[] }[];
  /** The RSM <set/>: element texts; `before: ''` is an empty <before/> (the last page). */
  rsm?: { max?: string; after?: string; before?: string };
}

export interface MamQuery {
  with?: string;
  start?: number;
  end?: number;
  max: number;
  after?: number;
  /** null: the last page (empty <before/>). */
  before?: number | null;
}

export class MamQueryError extends Error {
  constructor(
    readonly condition: 'bad-request' | 'item-not-found',
    message: string,
  ) {
    super(message);
    this.name = 'MamQueryError';
  }
}

/** XEP-0082 date/time (with a zone); returns ms. */
function dateTime(value: string, field: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    throw new MamQueryError('bad-request', `${field}: expected an XEP-0082 date and time, e.g. 2026-01-31T09:00:00Z`);
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new MamQueryError('bad-request', `${field}: not a valid date`);
  return ms;
}

function archiveId(value: string, field: string): number {
  if (!/^[1-9]\d{0,15}$/.test(value)) throw new MamQueryError('item-not-found', `${field}: no such archive id`);
  return Number(value);
}

export function parseMamQuery(req: MamRequest): MamQuery {
  const q: MamQuery = { max: MAM_DEFAULT_MAX };
  for (const f of req.fields ?? []) {
    const one = () => {
      if (f.values.length !== 1 || !f.values[0]) throw new MamQueryError('bad-request', `${f.var}: expected one value`);
      return f.values[0].trim();
    };
    switch (f.var) {
      case 'FORM_TYPE':
        if (one() !== MAM_FORM_TYPE) throw new MamQueryError('bad-request', `FORM_TYPE: expected ${MAM_FORM_TYPE}`);
        break;
      case 'with': {
        const jid = one();
        if (!/^([^@/\s]+@)?[^@/\s]+(\/.+)?$/.test(jid)) throw new MamQueryError('bad-request', 'with: not a JID');
        q.with = jid;
        break;
      }
      case 'start':
        q.start = dateTime(one(), 'start');
        break;
      case 'end':
        q.end = dateTime(one(), 'end');
        break;
      default:
        throw new MamQueryError('bad-request', `unsupported field ${f.var}`);
    }
  }
  const rsm = req.rsm;
  if (rsm?.max !== undefined) {
    if (!/^\d{1,6}$/.test(rsm.max.trim())) throw new MamQueryError('bad-request', 'max: expected a number');
    q.max = Math.min(Number(rsm.max.trim()), MAM_MAX);
  }
  if (rsm?.after !== undefined) q.after = archiveId(rsm.after.trim(), 'after');
  if (rsm?.before !== undefined) q.before = rsm.before.trim() === '' ? null : archiveId(rsm.before.trim(), 'before');
  if (q.after !== undefined && q.before !== undefined) throw new MamQueryError('bad-request', 'after and before together');
  return q;
}

export interface MamPage<T> {
  items: T[];
  /** XEP-0313 §4.3: true when this page reaches the end of the results in its direction. */
  complete: boolean;
  /** Index of the first item of the page among all matching results (RSM <first index>). */
  firstIndex: number;
  count: number;
}

/** One page of `all` (chronological, `seq` = archive id), forwards by default, backwards with `before`. */
export function pageOf<T extends { seq: number }>(all: readonly T[], q: Pick<MamQuery, 'max' | 'after' | 'before'>): MamPage<T> {
  const count = all.length;
  if (q.before !== undefined) {
    const end = q.before === null ? count : all.findIndex((x) => x.seq >= (q.before as number));
    const stop = end === -1 ? count : end;
    const start = Math.max(0, stop - q.max);
    return { items: all.slice(start, stop), complete: start === 0, firstIndex: start, count };
  }
  const after = q.after;
  const begin =
    after === undefined
      ? 0
      : (() => {
          const i = all.findIndex((x) => x.seq > after);
          return i === -1 ? count : i;
        })();
  const stop = Math.min(count, begin + q.max);
  return { items: all.slice(begin, stop), complete: stop === count, firstIndex: begin, count };
}
