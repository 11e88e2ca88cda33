/**
 * Pre-chat forms (issue 16): the default form and each desk's own, as a field editor — type
 * (text, email, tel, textarea, select, checkbox), required, labels in English and Japanese, and a
 * select's options. The next widget that opens shows the saved form.
 */
import { useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { Banner, Field, type PageProps, ReadOnlyNote, TextInput, useEntities, useSaver } from '../ui.js';

interface Option {
  value: string;
  label: string;
  labelJa?: string;
}
interface FormField {
  var: string;
  label: string;
  labelJa?: string;
  type: 'text' | 'email' | 'tel' | 'textarea' | 'select' | 'checkbox';
  required: boolean;
  options?: Option[];
}
const TYPES: FormField['type'][] = ['text', 'email', 'tel', 'textarea', 'select', 'checkbox'];

function OptionsEditor({ options, onChange, error }: { options: Option[]; onChange: (o: Option[]) => void; error?: string }) {
  const setAt = (i: number, patch: Partial<Option>) => onChange(options.map((o, j) => (j === i ? { ...o, ...patch } : o)));
  return (
    <fieldset class="options">
      <legend>{t('options')}</legend>
      {options.map((o, i) => (
        <div class="row" key={i}>
          <TextInput label={t('optionValue')} value={o.value} onValue={(v) => setAt(i, { value: v })} />
          <TextInput label={t('labelEn')} value={o.label} onValue={(v) => setAt(i, { label: v })} />
          <TextInput label={t('labelJa')} value={o.labelJa ?? ''} onValue={(v) => setAt(i, { labelJa: v || undefined })} />
          <button type="button" class="danger small" aria-label={`${t('remove')} ${o.value}`} onClick={() => onChange(options.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <button type="button" class="secondary small" onClick={() => onChange([...options, { value: '', label: '' }])}>
        + {t('addOption')}
      </button>
    </fieldset>
  );
}

export function FormsPage({ api, readOnly }: PageProps) {
  const { items, reload } = useEntities<FormField[]>(api, 'form');
  const desks = useEntities<{ id: string; name: string }>(api, 'desk');
  const [formId, setFormId] = useState<string | undefined>(undefined);
  const [fields, setFields] = useState<FormField[]>([]);
  const [rev, setRev] = useState(0);
  const saver = useSaver(api, 'form', reload);
  const ids = ['default', ...(desks.items ?? []).map((d) => d.id)];
  const nameOf = (id: string) => (id === 'default' ? t('defaultForm') : (desks.items?.find((d) => d.id === id)?.value.name ?? id));
  const open = (id: string) => {
    saver.clear();
    const e = items?.find((x) => x.id === id);
    setFormId(id);
    setRev(e?.rev ?? 0);
    // A desk without its own form starts from a copy of the default.
    setFields(structuredClone(e?.value ?? items?.find((x) => x.id === 'default')?.value ?? []));
  };
  const setAt = (i: number, patch: Partial<FormField>) => setFields(fields.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  const move = (i: number, by: number) => {
    const next = [...fields];
    const [f] = next.splice(i, 1);
    if (f) next.splice(i + by, 0, f);
    setFields(next);
  };
  return (
    <div class="split">
      <nav class="list" aria-label={t('forms')}>
        <ul>
          {ids.map((id) => (
            <li key={id}>
              <button type="button" aria-current={formId === id ? 'true' : undefined} onClick={() => open(id)}>
                {nameOf(id)} {items?.some((x) => x.id === id) ? '' : <span class="muted">—</span>}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {formId && (
        <form
          class="editor"
          aria-label={nameOf(formId)}
          onSubmit={(e) => {
            e.preventDefault();
            void saver.save(formId, fields, rev).then((saved) => saved && setRev(saved.rev));
          }}
        >
          <ReadOnlyNote readOnly={readOnly} />
          {formId !== 'default' && rev === 0 && <p class="note">{t('useOwnForm')}</p>}
          <Banner outcome={saver.outcome} onReload={() => void saver.reloadAfterConflict().then(() => setFormId(undefined))} />
          <fieldset disabled={readOnly}>
            {fields.map((f, i) => (
              <fieldset class="form-field card" key={i} data-var={f.var}>
                <legend>
                  {t('field')} {i + 1}: {f.var}
                </legend>
                <div class="row">
                  <TextInput label={t('fieldVar')} name={`var-${i}`} value={f.var} error={saver.errorFor(`${i}.var`)} onValue={(v) => setAt(i, { var: v.trim() })} />
                  <Field label={t('fieldType')} error={saver.errorFor(`${i}.type`)}>
                    {(id) => (
                      <select
                        id={id}
                        name={`type-${i}`}
                        value={f.type}
                        onChange={(e) => {
                          const type = (e.currentTarget as HTMLSelectElement).value as FormField['type'];
                          setAt(i, { type, options: type === 'select' ? (f.options ?? []) : undefined });
                        }}
                      >
                        {TYPES.map((ty) => (
                          <option key={ty} value={ty}>
                            {ty}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  <label class="check">
                    <input type="checkbox" name={`required-${i}`} checked={f.required} onChange={(e) => setAt(i, { required: (e.currentTarget as HTMLInputElement).checked })} />{' '}
                    {t('required')}
                  </label>
                </div>
                <div class="row">
                  <TextInput label={t('labelEn')} name={`label-${i}`} value={f.label} error={saver.errorFor(`${i}.label`)} onValue={(v) => setAt(i, { label: v })} />
                  <TextInput label={t('labelJa')} name={`labelJa-${i}`} value={f.labelJa ?? ''} error={saver.errorFor(`${i}.labelJa`)} onValue={(v) => setAt(i, { labelJa: v || undefined })} />
                </div>
                {f.type === 'select' && <OptionsEditor options={f.options ?? []} error={saver.errorFor(`${i}.options`)} onChange={(options) => setAt(i, { options })} />}
                <div class="actions small">
                  <button type="button" class="secondary small" disabled={i === 0} onClick={() => move(i, -1)}>
                    ↑ {t('moveUp')}
                  </button>
                  <button type="button" class="secondary small" disabled={i === fields.length - 1} onClick={() => move(i, 1)}>
                    ↓ {t('moveDown')}
                  </button>
                  <button type="button" class="danger small" onClick={() => setFields(fields.filter((_, j) => j !== i))}>
                    {t('remove')}
                  </button>
                </div>
              </fieldset>
            ))}
            <button type="button" class="secondary" onClick={() => setFields([...fields, { var: '', label: '', type: 'text', required: false }])}>
              + {t('addField')}
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
