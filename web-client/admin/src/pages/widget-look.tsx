/** Widget appearance: title, colours, logo, position and each state's button, with a live preview and the tag to copy. */
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n.js';
import { Banner, type Entity, Field, type PageProps, ReadOnlyNote, TextInput, useEntities, useSaver } from '../ui.js';

interface ButtonLook {
  label?: string;
  labelJa?: string;
  imageUrl?: string;
}
type State = 'open' | 'busy' | 'closed';
interface WidgetLook {
  title: string;
  titleJa?: string;
  colors: { primary: string; background: string; text: string };
  logoUrl?: string;
  position: 'bottom-right' | 'bottom-left';
  button: Record<State, ButtonLook>;
}
export interface SiteConfig {
  websocketUrl: string;
  componentDomain: string;
  guestDomain: string;
}
const STATES: State[] = ['open', 'busy', 'closed'];
const DEFAULT_LABEL: Record<State, string> = { open: 'Chat with us', busy: 'All operators busy', closed: 'Leave a message' };
const opt = (v: string) => v || undefined;

/** The one tag a site puts on its pages (web-client/demo, README "Embed the widget"). */
export const snippet = (c: SiteConfig, origin: string) =>
  `<script src="${origin}/widget.js" data-portal="${origin}" data-ws="${c.websocketUrl}" data-domain="${c.guestDomain}" data-component="${c.componentDomain}" async></script>`;

function Preview({ look, lang }: { look: WidgetLook; lang: 'en' | 'ja' }) {
  return (
    <div class="preview" style={{ background: '#f3f4f6' }}>
      {STATES.map((s) => {
        const b = look.button[s] ?? {};
        const label = (lang === 'ja' ? b.labelJa : undefined) ?? b.label ?? DEFAULT_LABEL[s];
        return (
          <figure key={s} class={`preview-state ${look.position}`} data-state={s}>
            <figcaption>{t(`state_${s}`)}</figcaption>
            <span
              class="preview-button"
              style={{ background: s === 'open' ? look.colors.primary : '#6b7280', color: look.colors.background, opacity: s === 'closed' ? 0.85 : 1 }}
            >
              {b.imageUrl ? <img src={b.imageUrl} alt={label} /> : label}
            </span>
            <span class="preview-panel" style={{ background: look.colors.background, color: look.colors.text, borderTopColor: look.colors.primary }}>
              {look.logoUrl && <img src={look.logoUrl} alt="" />}
              {(lang === 'ja' ? look.titleJa : undefined) ?? look.title}
            </span>
          </figure>
        );
      })}
    </div>
  );
}

export function WidgetLookPage({ api, readOnly, site }: PageProps & { site: SiteConfig }) {
  const { items, reload } = useEntities<WidgetLook>(api, 'widget');
  const [draft, setDraft] = useState<Entity<WidgetLook> | undefined>(undefined);
  const [copied, setCopied] = useState(false);
  const saver = useSaver(api, 'widget', reload);
  useEffect(() => {
    const e = items?.find((x) => x.id === 'default');
    if (e && (!draft || draft.rev !== e.rev)) setDraft(structuredClone(e));
  }, [items]);
  if (!draft) return <p>{t('loading')}</p>;
  const look = draft.value;
  const set = (patch: Partial<WidgetLook>) => setDraft({ ...draft, value: { ...look, ...patch } });
  const setButton = (s: State, patch: Partial<ButtonLook>) => set({ button: { ...look.button, [s]: { ...look.button[s], ...patch } } });
  const tag = snippet(site, location.origin);
  return (
    <div class="split wide">
      <form
        class="editor"
        aria-label={t('widget')}
        onSubmit={(e) => {
          e.preventDefault();
          void saver.save('default', look, draft.rev).then((saved) => saved && setDraft(structuredClone(saved)));
        }}
      >
        <ReadOnlyNote readOnly={readOnly} />
        <Banner outcome={saver.outcome} onReload={() => void saver.reloadAfterConflict()} />
        <fieldset disabled={readOnly}>
          <div class="row">
            <TextInput label={t('titleEn')} name="title" value={look.title} error={saver.errorFor('title')} onValue={(v) => set({ title: v })} />
            <TextInput label={t('titleJa')} name="titleJa" value={look.titleJa ?? ''} onValue={(v) => set({ titleJa: opt(v) })} />
          </div>
          <div class="row">
            {(['primary', 'background', 'text'] as const).map((c) => (
              <TextInput
                key={c}
                label={t(c)}
                name={`color-${c}`}
                type="color"
                value={look.colors[c]}
                error={saver.errorFor(`colors.${c}`)}
                onValue={(v) => set({ colors: { ...look.colors, [c]: v } })}
              />
            ))}
          </div>
          <div class="row">
            <TextInput label={t('logoUrl')} name="logoUrl" value={look.logoUrl ?? ''} error={saver.errorFor('logoUrl')} onValue={(v) => set({ logoUrl: opt(v) })} />
            <Field label={t('position')}>
              {(id) => (
                <select id={id} value={look.position} onChange={(e) => set({ position: (e.currentTarget as HTMLSelectElement).value as WidgetLook['position'] })}>
                  <option value="bottom-right">bottom-right</option>
                  <option value="bottom-left">bottom-left</option>
                </select>
              )}
            </Field>
          </div>
          {STATES.map((s) => (
            <fieldset key={s} class="row">
              <legend>
                {t('button')}: {t(`state_${s}`)}
              </legend>
              <TextInput label={t('labelEn')} name={`label-${s}`} value={look.button[s]?.label ?? ''} onValue={(v) => setButton(s, { label: opt(v) })} />
              <TextInput label={t('labelJa')} name={`labelJa-${s}`} value={look.button[s]?.labelJa ?? ''} onValue={(v) => setButton(s, { labelJa: opt(v) })} />
              <TextInput
                label={t('imageUrl')}
                name={`image-${s}`}
                value={look.button[s]?.imageUrl ?? ''}
                error={saver.errorFor(`button.${s}`)}
                onValue={(v) => setButton(s, { imageUrl: opt(v) })}
              />
            </fieldset>
          ))}
        </fieldset>
        {!readOnly && (
          <div class="actions">
            <button type="submit">{t('save')}</button>
          </div>
        )}
      </form>
      <aside class="side">
        <h2>{t('preview')}</h2>
        <Preview look={look} lang="en" />
        <Preview look={look} lang="ja" />
        <h2>{t('snippet')}</h2>
        <pre class="snippet" tabIndex={0}>
          {tag}
        </pre>
        <button
          type="button"
          class="secondary"
          onClick={() =>
            void navigator.clipboard?.writeText(tag).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {t('copy')}
        </button>{' '}
        <span role="status">{copied ? t('copied') : ''}</span>
      </aside>
    </div>
  );
}
