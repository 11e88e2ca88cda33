/** Audit: every settings change from the evidence log — who, when, what, old → new (issue 16). */
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { t } from '../i18n.js';

interface AuditEntry {
  seq: number;
  ts: string;
  by: string;
  kind: string;
  id: string;
  action: 'create' | 'update' | 'delete';
  old: unknown;
  new: unknown;
}
const PAGE = 50;

/** What changed, key by key (or item by item in a list), for a short line (whole values for the rest). */
function change(e: AuditEntry): string {
  const show = (v: unknown) => (v === undefined ? '—' : JSON.stringify(v));
  if (Array.isArray(e.old) && Array.isArray(e.new)) {
    const a = e.old;
    const b = e.new;
    const n = Math.max(a.length, b.length);
    const idx = [...Array(n).keys()].filter((i) => JSON.stringify(a[i]) !== JSON.stringify(b[i]));
    return idx.map((i) => `#${i + 1}: ${show(a[i])} → ${show(b[i])}`).join('; ');
  }
  if (e.old && e.new && typeof e.old === 'object' && typeof e.new === 'object') {
    const a = e.old as Record<string, unknown>;
    const b = e.new as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    return keys.map((k) => `${k}: ${show(a[k])} → ${show(b[k])}`).join('; ');
  }
  return `${show(e.old ?? undefined)} → ${show(e.new ?? undefined)}`;
}

export function AuditPage({ api }: { api: Api }) {
  const [entries, setEntries] = useState<AuditEntry[] | undefined>(undefined);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const load = async (before?: number) => {
    try {
      const r = await api.get<{ items: AuditEntry[] }>(`/api/admin/audit?limit=${PAGE}${before ? `&before=${before}` : ''}`);
      setEntries((old) => [...(before ? (old ?? []) : []), ...r.items]);
      setMore(r.items.length === PAGE);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  useEffect(() => {
    void load();
  }, [api]);
  if (!entries) return <p>{error ?? t('loading')}</p>;
  if (entries.length === 0) return <p class="muted">{t('noAudit')}</p>;
  return (
    <div>
      <table class="wide audit">
        <thead>
          <tr>
            <th scope="col">{t('at')}</th>
            <th scope="col">{t('by')}</th>
            <th scope="col">{t('action')}</th>
            <th scope="col">{t('change')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq}>
              <td>{new Date(e.ts).toLocaleString()}</td>
              <td>{e.by}</td>
              <td>
                {e.action} {e.kind}/{e.id}
              </td>
              <td class="change">{change(e)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more && (
        <button type="button" class="secondary" onClick={() => void load(entries[entries.length - 1]?.seq)}>
          {t('older')}
        </button>
      )}
    </div>
  );
}
