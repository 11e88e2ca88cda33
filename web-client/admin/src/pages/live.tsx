/** Live desk: each desk's queue, operators and active chats, polled every 2 s (issue 16). */
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { t, type Word } from '../i18n.js';

interface LiveDesk {
  desk: string;
  name: string;
  state: 'open' | 'busy' | 'closed';
  waiting: { ticket: number; waitedSeconds: number }[];
  operators: { jid: string; name: string; show: string; chats: number; maxChats: number }[];
  chats: { ticket: number; operator: string; waitedSeconds: number; sinceSeconds: number }[];
}

const POLL_MS = 2000;
export const duration = (s: number) => (s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`);

export function LivePage({ api }: { api: Api }) {
  const [desks, setDesks] = useState<LiveDesk[] | undefined>(undefined);
  const [at, setAt] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const r = await api.get<{ desks: LiveDesk[]; at: string }>('/api/admin/live');
        if (stopped) return;
        setDesks(r.desks);
        setAt(new Date(r.at).toLocaleTimeString());
        setError(undefined);
      } catch (err) {
        if (!stopped) setError((err as Error).message);
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api]);
  if (!desks) return <p>{error ?? t('loading')}</p>;
  const nameOf = (jid: string) => desks.flatMap((d) => d.operators).find((o) => o.jid === jid)?.name ?? jid;
  return (
    <div>
      <p class="muted" aria-live="off">
        {t('updated')} {at}
        {error && <span class="field-error"> — {error}</span>}
      </p>
      <div class="cards">
        {desks.map((d) => (
          <section class="card live-desk" key={d.desk} data-desk={d.desk} aria-label={d.name}>
            <h2>
              {d.name} <span class={`pill ${d.state}`}>{t(`state_${d.state}` as Word)}</span>
            </h2>
            <h3>
              {t('waiting')} ({d.waiting.length})
            </h3>
            {d.waiting.length === 0 ? (
              <p class="muted">{t('nobodyWaiting')}</p>
            ) : (
              <ol class="queue">
                {d.waiting.map((w) => (
                  <li key={w.ticket}>
                    #{w.ticket} — {t('waited')} {duration(w.waitedSeconds)}
                  </li>
                ))}
              </ol>
            )}
            <h3>{t('operators')}</h3>
            <table>
              <tbody>
                {d.operators.map((o) => (
                  <tr key={o.jid} data-operator={o.jid}>
                    <td>{o.name}</td>
                    <td>
                      <span class={`dot ${o.show}`} aria-hidden="true" /> {o.show}
                    </td>
                    <td>
                      {o.chats}/{o.maxChats}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h3>
              {t('chats')} ({d.chats.length})
            </h3>
            {d.chats.length === 0 ? (
              <p class="muted">{t('noChats')}</p>
            ) : (
              <table class="chats">
                <thead>
                  <tr>
                    <th scope="col">{t('ticket')}</th>
                    <th scope="col">{t('operator')}</th>
                    <th scope="col">{t('waited')}</th>
                    <th scope="col">{t('since')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.chats.map((c) => (
                    <tr key={c.ticket}>
                      <td>#{c.ticket}</td>
                      <td>{nameOf(c.operator)}</td>
                      <td>{duration(c.waitedSeconds)}</td>
                      <td>{duration(c.sinceSeconds)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        ))}
      </div>
    </div>
  );
}
