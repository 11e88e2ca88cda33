/**
 * Desks: name, time zone, answer target and the per-desk texts in English and Japanese (issue 16);
 * business hours in their own time zone and the "closed now" switch (issue 17).
 */
import { useEffect, useState } from 'preact/hooks';
import { type DeskHours, formatHours, parseHours } from '../../../../src/org/hours-text.js';
import { t, type Word } from '../i18n.js';
import { Banner, EditorActions, type Entity, type PageProps, ReadOnlyNote, TextArea, TextInput, useEntities, useSaver } from '../ui.js';

interface Localized {
  en?: string;
  ja?: string;
}
interface Desk {
  id: string;
  name: string;
  texts: Partial<Record<'welcome' | 'busy' | 'closed' | 'ended', Localized>>;
  hours?: DeskHours;
  timeZone: string;
  slaSeconds: number;
}
const TEXTS = ['welcome', 'busy', 'closed', 'ended'] as const;
const blank = (): Entity<Desk> => ({ kind: 'desk', id: '', rev: 0, value: { id: '', name: '', texts: {}, timeZone: 'UTC', slaSeconds: 60 } });

export function DesksPage({ api, readOnly }: PageProps) {
  const { items, reload } = useEntities<Desk>(api, 'desk');
  const [draft, setDraft] = useState<Entity<Desk> | undefined>(undefined);
  // Business hours as lines of text (src/org/hours-text.ts, as in the XEP-0050 form); empty = no hours.
  const [hoursText, setHoursText] = useState('');
  const [hoursError, setHoursError] = useState<string | undefined>(undefined);
  // The hours' own zone (hours.timeZone, as `!hours set` keeps it), not the reports' `timeZone`.
  const [hoursZone, setHoursZone] = useState('');
  const saver = useSaver(api, 'desk', reload);
  const pick = (e: Entity<Desk>) => {
    saver.clear();
    setHoursError(undefined);
    setHoursText(e.value.hours ? formatHours(e.value.hours) : '');
    setHoursZone(e.value.hours?.timeZone ?? e.value.timeZone);
    setDraft(structuredClone(e));
  };
  const set = (patch: Partial<Desk>) => draft && setDraft({ ...draft, value: { ...draft.value, ...patch } });
  const setText = (k: (typeof TEXTS)[number], lang: 'en' | 'ja', v: string) =>
    draft && set({ texts: { ...draft.value.texts, [k]: { ...draft.value.texts[k], [lang]: v || undefined } } });
  const isNew = draft?.rev === 0;
  const save = async () => {
    if (!draft) return;
    const id = isNew ? draft.value.id : draft.id;
    let hours: DeskHours | undefined;
    if (hoursText.trim()) {
      const parsed = parseHours(hoursText, hoursZone.trim() || draft.value.timeZone);
      if (!parsed.ok) return setHoursError(parsed.error); // nothing is sent
      hours = { ...parsed.hours, ...(draft.value.hours?.zoneLabel ? { zoneLabel: draft.value.hours.zoneLabel } : {}) };
    }
    setHoursError(undefined);
    const saved = await saver.save(id, { ...draft.value, id, hours }, draft.rev);
    if (saved) setDraft(structuredClone(saved));
  };
  const reloadAll = () => void saver.reloadAfterConflict().then(() => setDraft(undefined));
  return (
    <div>
      {/* Outside the editor: the outcome of a removal stays visible when the editor closes. */}
      <Banner outcome={saver.outcome} onReload={reloadAll} />
    <div class="split">
      <nav class="list" aria-label={t('desks')}>
        <ul>
          {(items ?? []).map((e) => (
            <li key={e.id}>
              <button type="button" aria-current={draft?.id === e.id ? 'true' : undefined} onClick={() => pick(e)}>
                {e.value.name} <span class="muted">{e.id}</span>
              </button>
            </li>
          ))}
        </ul>
        {!readOnly && (
          <button type="button" class="secondary" onClick={() => pick(blank())}>
            + {t('newDesk')}
          </button>
        )}
      </nav>
      {draft && (
        <form
          class="editor"
          aria-label={draft.value.name || t('newDesk')}
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          {!isNew && <ClosedNowSwitch api={api} desk={draft.id} />}
          <ReadOnlyNote readOnly={readOnly} />
          <fieldset disabled={readOnly}>
            <div class="row">
              <TextInput label={t('id')} name="id" value={draft.value.id} disabled={!isNew} error={saver.errorFor('id')} onValue={(v) => set({ id: v.trim() })} />
              <TextInput label={t('name')} name="name" value={draft.value.name} error={saver.errorFor('name')} onValue={(v) => set({ name: v })} />
            </div>
            <div class="row">
              <TextInput label={t('timeZone')} name="timeZone" value={draft.value.timeZone} error={saver.errorFor('timeZone')} onValue={(v) => set({ timeZone: v })} />
              <TextInput
                label={t('slaSeconds')}
                name="slaSeconds"
                type="number"
                min={1}
                value={draft.value.slaSeconds}
                error={saver.errorFor('slaSeconds')}
                onValue={(v) => set({ slaSeconds: Number(v) })}
              />
            </div>
            <TextArea label={t('hours')} rows={5} value={hoursText} error={hoursError ?? saver.errorFor('hours')} onValue={setHoursText} />
            <TextInput label={t('hoursTimeZone')} name="hoursTimeZone" value={hoursZone} error={saver.errorFor('hours.timeZone')} onValue={setHoursZone} />
            <p class="muted">{t('hoursHelp')}</p>
            <h3>{t('texts')}</h3>
            {TEXTS.map((k) => (
              <div class="row" key={k}>
                <TextArea label={`${t(k as Word)} — ${t('english')}`} value={draft.value.texts[k]?.en ?? ''} error={saver.errorFor(`texts.${k}.en`)} onValue={(v) => setText(k, 'en', v)} />
                <TextArea label={`${t(k as Word)} — ${t('japanese')}`} value={draft.value.texts[k]?.ja ?? ''} error={saver.errorFor(`texts.${k}.ja`)} onValue={(v) => setText(k, 'ja', v)} />
              </div>
            ))}
          </fieldset>
          {!readOnly && (
            <EditorActions isNew={isNew} name={draft.value.name} onRemove={() => saver.remove(draft.id, draft.rev).then((ok) => ok && setDraft(undefined))} />
          )}
        </form>
      )}
    </div>
    </div>
  );
}

/**
 * The desk's "closed now" switch: the same service as `!closed on|off` (PUT
 * /api/admin/live/:desk/closed); admins and the desk's supervisors may use it, so it sits outside
 * the read-only settings.
 */
function ClosedNowSwitch({ api, desk }: { api: PageProps['api']; desk: string }) {
  const [closed, setClosed] = useState<boolean | undefined>(undefined);
  const [note, setNote] = useState('');
  useEffect(() => {
    setClosed(undefined);
    setNote('');
    api.get<{ desks: { desk: string; closedNow: boolean }[] }>('/api/admin/live').then(
      (r) => setClosed(r.desks.find((d) => d.desk === desk)?.closedNow),
      () => setClosed(undefined),
    );
  }, [api, desk]);
  if (closed === undefined) return null;
  const toggle = async (next: boolean) => {
    try {
      const r = await api.send<{ text: string }>('PUT', `/api/admin/live/${encodeURIComponent(desk)}/closed`, { closed: next });
      setClosed(next);
      setNote(r.text);
    } catch (err) {
      setNote((err as Error).message);
    }
  };
  return (
    <div class="closed-now">
      <label>
        <input type="checkbox" checked={closed} onChange={(e) => void toggle((e.target as HTMLInputElement).checked)} /> {t('closedNow')}
      </label>
      {note && (
        <p class="muted" role="status">
          {note}
        </p>
      )}
    </div>
  );
}
