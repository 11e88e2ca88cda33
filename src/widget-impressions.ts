/**
 * The widget's impression beacon (issue 18; POST /api/widget/impressions), pure: how often the
 * button was shown per state and how often the panel was opened, batched by the loader. Counts
 * only: nothing about the visitor is in it, and nothing else is accepted.
 * Body: {"desk":"support","shown":{"open":2,"busy":0,"closed":1},"opened":1}
 */

export const BUTTON_STATES = ['open', 'busy', 'closed'] as const;
export type ButtonState = (typeof BUTTON_STATES)[number];

export interface Impressions {
  desk: string;
  shown: Record<ButtonState, number>;
  opened: number;
}

/** More in one beacon is not one visitor's page (a loader flushes at least every 30 s). */
export const MAX_PER_BEACON = 1000;

const DESK_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/i;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function count(v: unknown, field: string): number | string {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_PER_BEACON)
    return `${field}: a whole number from 0 to ${MAX_PER_BEACON}`;
  return v;
}

/** The beacon's JSON text checked; an error names the field. */
export function parseImpressions(text: string): { ok: true; value: Impressions } | { ok: false; error: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, error: 'body: JSON expected' };
  }
  if (!isObject(body)) return { ok: false, error: 'body: a JSON object expected' };
  for (const k of Object.keys(body))
    if (k !== 'desk' && k !== 'shown' && k !== 'opened') return { ok: false, error: `${k}: unknown field` };
  if (typeof body.desk !== 'string' || !DESK_ID.test(body.desk)) return { ok: false, error: 'desk: a desk id expected' };
  const shownIn = body.shown ?? {};
  if (!isObject(shownIn)) return { ok: false, error: 'shown: an object of counts per state expected' };
  const shown = { open: 0, busy: 0, closed: 0 };
  for (const [k, v] of Object.entries(shownIn)) {
    if (!(BUTTON_STATES as readonly string[]).includes(k)) return { ok: false, error: `shown.${k}: unknown state (open, busy, closed)` };
    const n = count(v, `shown.${k}`);
    if (typeof n === 'string') return { ok: false, error: n };
    shown[k as ButtonState] = n;
  }
  const opened = count(body.opened, 'opened');
  if (typeof opened === 'string') return { ok: false, error: opened };
  return { ok: true, value: { desk: body.desk, shown, opened } };
}
