/** Routing knobs (issue 16): grace periods, default capacity, and reassigning chats an operator has not answered. */
import { useEffect, useState } from 'preact/hooks';
import { t, type Word } from '../i18n.js';
import { Banner, type Entity, type PageProps, ReadOnlyNote, TextInput, useEntities, useSaver } from '../ui.js';

interface Routing {
  graceSeconds: number;
  defaultMaxChats: number;
  maxChatsLimit: number;
  customerGraceSeconds: number;
  reassignUnansweredSeconds: number;
}
const KNOBS: (keyof Routing)[] = ['graceSeconds', 'defaultMaxChats', 'maxChatsLimit', 'customerGraceSeconds', 'reassignUnansweredSeconds'];

export function RoutingPage({ api, readOnly }: PageProps) {
  const { items, reload } = useEntities<Routing>(api, 'routing');
  const [draft, setDraft] = useState<Entity<Routing> | undefined>(undefined);
  const saver = useSaver(api, 'routing', reload);
  useEffect(() => {
    const e = items?.find((x) => x.id === 'default');
    if (e && (!draft || draft.rev !== e.rev)) setDraft(structuredClone(e));
  }, [items]);
  if (!draft) return <p>{t('loading')}</p>;
  return (
    <form
      class="editor narrow"
      aria-label={t('routing')}
      onSubmit={(e) => {
        e.preventDefault();
        void saver.save('default', draft.value, draft.rev).then((saved) => saved && setDraft(structuredClone(saved)));
      }}
    >
      <ReadOnlyNote readOnly={readOnly} />
      <Banner outcome={saver.outcome} onReload={() => void saver.reloadAfterConflict()} />
      <fieldset disabled={readOnly}>
        {KNOBS.map((k) => (
          <TextInput
            key={k}
            label={t(k as Word)}
            name={k}
            type="number"
            min={0}
            value={draft.value[k]}
            error={saver.errorFor(k)}
            onValue={(v) => setDraft({ ...draft, value: { ...draft.value, [k]: v === '' ? Number.NaN : Number(v) } })}
          />
        ))}
      </fieldset>
      {!readOnly && (
        <div class="actions">
          <button type="submit">{t('save')}</button>
        </div>
      )}
    </form>
  );
}
