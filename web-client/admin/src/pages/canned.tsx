/** Canned replies: the set for every desk and each desk's own (a desk's wins on the same name). */
import { useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { Banner, type PageProps, ReadOnlyNote, TextArea, TextInput, useEntities, useSaver } from '../ui.js';

type Rows = [string, string][];

export function CannedPage({ api, readOnly }: PageProps) {
  const { items, reload } = useEntities<Record<string, string>>(api, 'canned');
  const desks = useEntities<{ id: string; name: string }>(api, 'desk');
  const [setId, setSetId] = useState<string | undefined>(undefined);
  const [rows, setRows] = useState<Rows>([]);
  const [rev, setRev] = useState(0);
  const saver = useSaver(api, 'canned', reload);
  const ids = ['global', ...(desks.items ?? []).map((d) => d.id)];
  const nameOf = (id: string) => (id === 'global' ? t('global') : (desks.items?.find((d) => d.id === id)?.value.name ?? id));
  const open = (id: string) => {
    saver.clear();
    const e = items?.find((x) => x.id === id);
    setSetId(id);
    setRev(e?.rev ?? 0);
    setRows(Object.entries(e?.value ?? {}));
  };
  const setRow = (i: number, row: [string, string]) => setRows(rows.map((r, j) => (j === i ? row : r)));
  return (
    <div class="split">
      <nav class="list" aria-label={t('canned')}>
        <ul>
          {ids.map((id) => (
            <li key={id}>
              <button type="button" aria-current={setId === id ? 'true' : undefined} onClick={() => open(id)}>
                {nameOf(id)} <span class="muted">{Object.keys(items?.find((x) => x.id === id)?.value ?? {}).length}</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {setId && (
        <form
          class="editor"
          aria-label={nameOf(setId)}
          onSubmit={(e) => {
            e.preventDefault();
            void saver.save(setId, Object.fromEntries(rows), rev).then((saved) => saved && setRev(saved.rev));
          }}
        >
          <ReadOnlyNote readOnly={readOnly} />
          <Banner outcome={saver.outcome} onReload={() => void saver.reloadAfterConflict().then(() => setSetId(undefined))} />
          <fieldset disabled={readOnly}>
            {rows.map(([name, text], i) => (
              <div class="row reply" key={i}>
                <TextInput label={t('replyName')} value={name} error={saver.errorFor(name)} onValue={(v) => setRow(i, [v.trim(), text])} />
                <TextArea label={t('replyText')} value={text} onValue={(v) => setRow(i, [name, v])} />
                <button type="button" class="danger small" aria-label={`${t('remove')} ${name}`} onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                  ×
                </button>
              </div>
            ))}
            <button type="button" class="secondary" onClick={() => setRows([...rows, ['', '']])}>
              + {t('addReply')}
            </button>
          </fieldset>
          {!readOnly && (
            <div class="actions">
              <button type="submit">{t('save')}</button>
            </div>
          )}
        </form>
      )}
    </div>
  );
}
