/**
 * The admin commands that show lists rather than edit one entity: the blacklist (admins lift
 * bans) and the audit log's newest entries. Pure: forms from service data.
 */
import { createHash } from 'node:crypto';
import type { AuditEntry, BanEntry } from '../../services/admin/admin-types.js';
import type { DataForm, Field } from './data-form.js';

/**
 * What stands for a ban in a form: its ticket, or a digest of the customer key (a plain XMPP
 * customer's key is their address, which staff never see).
 */
export const banRef = (b: BanEntry): string =>
  b.ticket !== null ? `ticket-${b.ticket}` : `key-${createHash('sha256').update(b.customerKey).digest('hex').slice(0, 16)}`;

const banLabel = (b: BanEntry) =>
  `${b.ticket !== null ? `#${b.ticket}` : 'no ticket'} — ${b.reason ?? 'no reason given'} — by ${b.by}, ${b.at.slice(0, 16).replace('T', ' ')} UTC`;

const BAN_COLUMNS = [
  { var: 'ticket', label: 'Ticket' },
  { var: 'reason', label: 'Reason' },
  { var: 'by', label: 'By' },
  { var: 'at', label: 'When (UTC)' },
];

export function bansTable(bans: BanEntry[]): DataForm {
  return {
    type: 'result',
    title: 'Blacklist',
    fields: [],
    table: {
      columns: BAN_COLUMNS,
      rows: bans.map((b) => ({ ticket: b.ticket === null ? '' : `#${b.ticket}`, reason: b.reason ?? '', by: b.by, at: b.at })),
    },
  };
}

export function unbanFields(bans: BanEntry[]): Field[] {
  return [
    {
      var: 'unban',
      type: 'list-multi',
      label: 'Lift the ban of',
      required: true,
      values: [],
      options: bans.map((b) => ({ value: banRef(b), label: banLabel(b) })),
    },
  ];
}

/** Scalars are shown old → new; anything larger by name only. Ban records show no values. */
function describeChange(e: AuditEntry): string {
  if (e.action !== 'update' || e.kind === 'ban') return e.action === 'create' ? 'created' : e.action === 'delete' ? 'deleted' : e.action;
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(e.old) || !isObj(e.new)) return 'changed';
  const [old, now] = [e.old, e.new];
  const keys = [...new Set([...Object.keys(old), ...Object.keys(now)])].filter((k) => JSON.stringify(old[k]) !== JSON.stringify(now[k]));
  const scalar = (v: unknown) => v === undefined || ['string', 'number', 'boolean'].includes(typeof v);
  const show = (v: unknown) => (v === undefined ? '—' : JSON.stringify(v));
  const text = keys.map((k) => (scalar(old[k]) && scalar(now[k]) ? `${k}: ${show(old[k])} → ${show(now[k])}` : k)).join('; ');
  return text.length > 200 ? `${text.slice(0, 199)}…` : text || 'no change';
}

/** A ban's audit id is the customer key (maybe an address): shown by its ticket instead. */
function banWhat(e: AuditEntry): string {
  const record = (e.old ?? e.new) as { ticket?: unknown } | null;
  return typeof record?.ticket === 'number' && record.ticket > 0 ? `ban/#${record.ticket}` : 'ban';
}

export function auditTable(entries: AuditEntry[]): DataForm {
  return {
    type: 'result',
    title: 'Audit log (newest first)',
    fields: [],
    table: {
      columns: [
        { var: 'seq', label: '#' },
        { var: 'ts', label: 'When (UTC)' },
        { var: 'by', label: 'By' },
        { var: 'what', label: 'What' },
        { var: 'change', label: 'Change' },
      ],
      rows: entries.map((e) => ({
        seq: String(e.seq),
        ts: e.ts,
        by: e.by,
        what: e.kind === 'ban' ? banWhat(e) : `${e.kind}/${e.id}`,
        change: describeChange(e),
      })),
    },
  };
}
