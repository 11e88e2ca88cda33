/** Operators: JID, name, desks, role and capacity (issue 16). A removed operator's chats go back to the queue. */
import { useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { Banner, type Entity, Field, type PageProps, ReadOnlyNote, TextInput, useEntities, useSaver } from '../ui.js';

interface Operator {
  jid: string;
  name: string;
  desks: string[];
  role: 'operator' | 'supervisor' | 'admin';
  maxChats?: number;
  maxChatsLimit?: number;
}
const ROLES = ['operator', 'supervisor', 'admin'] as const;
const blank = (): Entity<Operator> => ({ kind: 'operator', id: '', rev: 0, value: { jid: '', name: '', desks: [], role: 'operator' } });
const optionalNumber = (v: string) => (v.trim() === '' ? undefined : Number(v));

export function OperatorsPage({ api, readOnly }: PageProps) {
  const { items, reload } = useEntities<Operator>(api, 'operator');
  const desks = useEntities<{ id: string; name: string }>(api, 'desk');
  const [draft, setDraft] = useState<Entity<Operator> | undefined>(undefined);
  const saver = useSaver(api, 'operator', reload);
  const pick = (e: Entity<Operator>) => {
    saver.clear();
    setDraft(structuredClone(e));
  };
  const set = (patch: Partial<Operator>) => draft && setDraft({ ...draft, value: { ...draft.value, ...patch } });
  const isNew = draft?.rev === 0;
  const save = async () => {
    if (!draft) return;
    const jid = (isNew ? draft.value.jid : draft.id).trim().toLowerCase();
    const saved = await saver.save(jid, { ...draft.value, jid }, draft.rev);
    if (saved) setDraft(structuredClone(saved));
  };
  const reloadAll = () => void saver.reloadAfterConflict().then(() => setDraft(undefined));
  return (
    <div>
      {/* Outside the editor: the outcome of a removal stays visible when the editor closes. */}
      <Banner outcome={saver.outcome} onReload={reloadAll} />
    <div class="split">
      <nav class="list" aria-label={t('operators')}>
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
            + {t('newOperator')}
          </button>
        )}
      </nav>
      {draft && (
        <form
          class="editor"
          aria-label={draft.value.name || t('newOperator')}
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <ReadOnlyNote readOnly={readOnly} />
          <fieldset disabled={readOnly}>
            <div class="row">
              <TextInput label={t('jid')} name="jid" type="email" value={draft.value.jid} disabled={!isNew} error={saver.errorFor('jid')} onValue={(v) => set({ jid: v })} />
              <TextInput label={t('name')} name="name" value={draft.value.name} error={saver.errorFor('name')} onValue={(v) => set({ name: v })} />
            </div>
            <Field label={t('role')} error={saver.errorFor('role')}>
              {(id) => (
                <select id={id} name="role" value={draft.value.role} onChange={(e) => set({ role: (e.currentTarget as HTMLSelectElement).value as Operator['role'] })}>
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <fieldset class={`checks${saver.errorFor('desks') ? ' invalid' : ''}`}>
              <legend>{t('deskList')}</legend>
              {(desks.items ?? []).map((d) => (
                <label key={d.id} class="check">
                  <input
                    type="checkbox"
                    name={`desk-${d.id}`}
                    checked={draft.value.desks.includes(d.id)}
                    onChange={(e) =>
                      set({
                        desks: (e.currentTarget as HTMLInputElement).checked ? [...draft.value.desks, d.id] : draft.value.desks.filter((x) => x !== d.id),
                      })
                    }
                  />{' '}
                  {d.value.name}
                </label>
              ))}
              {saver.errorFor('desks') && (
                <p class="field-error" role="alert">
                  {saver.errorFor('desks')}
                </p>
              )}
            </fieldset>
            <div class="row">
              <TextInput
                label={t('maxChats')}
                name="maxChats"
                type="number"
                min={1}
                max={9}
                value={draft.value.maxChats ?? ''}
                error={saver.errorFor('maxChats')}
                onValue={(v) => set({ maxChats: optionalNumber(v) })}
              />
              <TextInput
                label={t('maxChatsLimit')}
                name="maxChatsLimit"
                type="number"
                min={1}
                max={9}
                value={draft.value.maxChatsLimit ?? ''}
                error={saver.errorFor('maxChatsLimit')}
                onValue={(v) => set({ maxChatsLimit: optionalNumber(v) })}
              />
            </div>
          </fieldset>
          {!readOnly && (
            <div class="actions">
              <button type="submit">{isNew ? t('create') : t('save')}</button>
              {!isNew && (
                <button
                  type="button"
                  class="danger"
                  onClick={() => {
                    if (confirm(t('confirmRemove', { x: draft.value.name }))) void saver.remove(draft.id, draft.rev).then((ok) => ok && setDraft(undefined));
                  }}
                >
                  {t('remove')}
                </button>
              )}
            </div>
          )}
        </form>
      )}
    </div>
    </div>
  );
}
