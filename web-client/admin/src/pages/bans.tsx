/** Bans: who is blacklisted, by whom and why; admins lift a ban (issue 16). */
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { t } from '../i18n.js';
import { Banner, type Outcome, ReadOnlyNote } from '../ui.js';

interface Ban {
  ticket: number | null;
  customerKey: string;
  by: string;
  reason?: string;
  at: string;
}

export function BansPage({ api, readOnly }: { api: Api; readOnly: boolean }) {
  const [bans, setBans] = useState<Ban[] | undefined>(undefined);
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const load = async () => setBans((await api.get<{ items: Ban[] }>('/api/admin/bans')).items);
  useEffect(() => {
    void load().catch((err: Error) => setOutcome({ kind: 'error', text: err.message }));
  }, [api]);
  const lift = async (b: Ban) => {
    try {
      await api.send('POST', '/api/admin/unban', { customerKey: b.customerKey });
      setOutcome({ kind: 'saved', text: t('saved') });
      await load();
    } catch (err) {
      setOutcome({ kind: 'error', text: t('failed') + (err as Error).message });
    }
  };
  if (!bans) return <p>{outcome?.text ?? t('loading')}</p>;
  return (
    <div>
      <ReadOnlyNote readOnly={readOnly} />
      <Banner outcome={outcome} onReload={() => void load()} />
      {bans.length === 0 ? (
        <p class="muted">{t('noBans')}</p>
      ) : (
        <table class="wide">
          <thead>
            <tr>
              <th scope="col">{t('ticket')}</th>
              <th scope="col">{t('by')}</th>
              <th scope="col">{t('reason')}</th>
              <th scope="col">{t('at')}</th>
              {!readOnly && <th scope="col" />}
            </tr>
          </thead>
          <tbody>
            {bans.map((b) => (
              <tr key={b.customerKey}>
                <td>{b.ticket === null ? '—' : `#${b.ticket}`}</td>
                <td>{b.by}</td>
                <td>{b.reason ?? ''}</td>
                <td>{new Date(b.at).toLocaleString()}</td>
                {!readOnly && (
                  <td>
                    <button type="button" class="secondary small" onClick={() => void lift(b)}>
                      {t('unban')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
