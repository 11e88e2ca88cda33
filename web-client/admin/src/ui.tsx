/**
 * The console's shared pieces: labelled inputs with their error beside them, the status banner
 * (saved, refused, "someone else changed it" with a reload), and the hooks that load a kind of
 * entity and save one with its revision (nothing is half-saved: the server takes the whole value
 * or refuses it, and the form keeps what was typed).
 */
import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, type Api, orgPath } from './api.js';
import { t } from './i18n.js';

export interface Entity<V> {
  kind: string;
  id: string;
  rev: number;
  value: V;
}

export interface PageProps {
  api: Api;
  readOnly: boolean;
}

let ids = 0;
const nextId = () => `f${++ids}`;

export interface FieldProps {
  label: string;
  error?: string;
  children: (id: string, described: string | undefined) => ComponentChildren;
}

/** A label, the control, and the server's message for this field right under it. */
export function Field({ label, error, children }: FieldProps) {
  const [id] = useState(nextId);
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children(id, error ? `${id}-error` : undefined)}
      {error && (
        <p class="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'label' | 'onInput' | 'value'> & {
  label: string;
  value: string | number;
  error?: string;
  onValue: (v: string) => void;
};

export function TextInput({ label, value, error, onValue, ...rest }: InputProps) {
  return (
    <Field label={label} error={error}>
      {(id, described) => (
        <input
          {...rest}
          id={id}
          value={value}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={described}
          onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)}
        />
      )}
    </Field>
  );
}

export function TextArea({
  label,
  value,
  error,
  onValue,
  disabled,
  rows = 2,
}: { label: string; value: string; error?: string; onValue: (v: string) => void; disabled?: boolean; rows?: number }) {
  return (
    <Field label={label} error={error}>
      {(id, described) => (
        <textarea
          id={id}
          value={value}
          rows={rows}
          disabled={disabled}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={described}
          onInput={(e) => onValue((e.currentTarget as HTMLTextAreaElement).value)}
        />
      )}
    </Field>
  );
}

export interface Outcome {
  kind: 'saved' | 'conflict' | 'error';
  text: string;
  /** The field the server named (400). */
  field?: string;
}

/** The result of a save, announced to screen readers; a conflict offers to reload. */
export function Banner({ outcome, onReload }: { outcome?: Outcome; onReload: () => void }) {
  if (!outcome) return null;
  return (
    <div class={`banner ${outcome.kind}`} role={outcome.kind === 'saved' ? 'status' : 'alert'}>
      <span>{outcome.text}</span>
      {outcome.kind === 'conflict' && (
        <button type="button" onClick={onReload}>
          {t('reload')}
        </button>
      )}
    </div>
  );
}

export function ReadOnlyNote({ readOnly }: { readOnly: boolean }) {
  return readOnly ? <p class="note">{t('readOnly')}</p> : null;
}

/** The entities of a kind, reloadable. */
export function useEntities<V>(api: Api, kind: string) {
  const [items, setItems] = useState<Entity<V>[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const reload = useCallback(async () => {
    try {
      setItems((await api.get<{ items: Entity<V>[] }>(orgPath(kind))).items);
      setError(undefined);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [api, kind]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { items, error, reload };
}

/** Saving and removing with the revision read; the outcome says what happened, and which field was refused. */
export function useSaver(api: Api, kind: string, onDone: () => Promise<void> | void) {
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const fail = (err: unknown) => {
    if (err instanceof ApiError && err.status === 409) setOutcome({ kind: 'conflict', text: t('conflict') });
    else if (err instanceof ApiError && err.status === 403) setOutcome({ kind: 'error', text: t('forbidden') + err.message });
    else if (err instanceof ApiError) setOutcome({ kind: 'error', text: t('failed') + err.message, field: err.field });
    else setOutcome({ kind: 'error', text: t('failed') + (err as Error).message });
  };
  return {
    outcome,
    clear: () => setOutcome(undefined),
    /** The server's message when it named this field (or one inside it). */
    errorFor: (field: string) =>
      outcome?.field && (outcome.field === field || outcome.field.startsWith(`${field}.`)) ? outcome.text : undefined,
    async save<V>(id: string, value: V, rev: number): Promise<Entity<V> | undefined> {
      try {
        const saved = await api.send<Entity<V>>('PUT', orgPath(kind, id), { rev, value });
        setOutcome({ kind: 'saved', text: t('saved') });
        await onDone();
        return saved;
      } catch (err) {
        fail(err);
        return undefined;
      }
    },
    async remove(id: string, rev: number): Promise<boolean> {
      try {
        await api.send('DELETE', orgPath(kind, id), { rev });
        setOutcome({ kind: 'saved', text: t('saved') });
        await onDone();
        return true;
      } catch (err) {
        fail(err);
        return false;
      }
    },
    reloadAfterConflict: async () => {
      setOutcome(undefined);
      await onDone();
    },
  };
}
