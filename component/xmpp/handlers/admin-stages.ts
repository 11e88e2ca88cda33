/**
 * The admin commands' nodes and the forms of their stages (pure: data in, XEP-0004 forms out):
 * stage 1 chooses an entity and edit or delete; stage 2 is the entity's form or a delete
 * confirmation, each carrying `stage`, `entity` and `rev` as hidden fields (XEP-0004 §3.3: a
 * client returns hidden fields as they were), so no session state is kept.
 */
import type { OrgEntity, OrgSnapshot } from '../../services/admin/admin-types.js';
import { deskEditor, operatorEditor, type Editor, type FieldError } from './admin-editor.js';
import { cannedEditor, formEditor } from './admin-editors-content.js';
import { hoursEditor, routingEditor, widgetEditor } from './admin-editors-settings.js';
import { withSubmitted, type DataForm, type Field, type Values } from './data-form.js';

export type Access = 'edit' | 'view';
export interface NodeSpec {
  node: string;
  name: string;
  /** What a supervisor may do here (admins: everything). */
  supervisor?: 'view';
  editor?: Editor;
  list?: 'bans' | 'audit';
}

export const ADMIN_NODES: readonly NodeSpec[] = [
  { node: 'admin-desks', name: 'Desks', editor: deskEditor, supervisor: 'view' },
  { node: 'admin-operators', name: 'Operators', editor: operatorEditor, supervisor: 'view' },
  { node: 'admin-canned', name: 'Canned replies', editor: cannedEditor, supervisor: 'view' },
  { node: 'admin-forms', name: 'Pre-chat forms', editor: formEditor, supervisor: 'view' },
  { node: 'admin-widget', name: 'Widget look', editor: widgetEditor },
  { node: 'admin-routing', name: 'Routing', editor: routingEditor },
  { node: 'admin-hours', name: 'Desk hours', editor: hoursEditor, supervisor: 'view' },
  { node: 'admin-bans', name: 'Blacklist', list: 'bans', supervisor: 'view' },
  { node: 'admin-audit', name: 'Audit log', list: 'audit' },
];

/** The "new …" choice of stage 1. */
export const NEW = '+new';

export const hidden = (v: string, value: string): Field => ({ var: v, type: 'hidden', values: [value] });

/** An error note naming the field by its label and var. */
export const fieldNote = (fields: Field[], e: FieldError): string =>
  `${fields.find((f) => f.var === e.field)?.label ?? e.field} [${e.field}]: ${e.message}. Nothing was saved.`;

/** Stage 1: which entity (existing ones, and for admins the ones that may be created), and edit or delete. */
export function chooseForm(spec: NodeSpec, editor: Editor, access: Access, entities: OrgEntity[], snap: OrgSnapshot): DataForm | undefined {
  const byId = new Map(entities.map((e) => [e.id, e]));
  const extra = access === 'edit' ? (editor.extraIds?.(snap) ?? []) : [];
  const ids = [...new Set([...extra, ...entities.map((e) => e.id)])];
  const options = ids.map((id) => ({ value: id, label: editor.label(id, byId.get(id)?.value as never, snap) }));
  if (access === 'edit' && editor.idField) options.push({ value: NEW, label: `New ${editor.noun}…` });
  if (options.length === 0) return undefined;
  const label = `${editor.noun[0]?.toUpperCase()}${editor.noun.slice(1)}`;
  const fields: Field[] = [
    hidden('stage', 'choose'),
    { var: 'entity', type: 'list-single', label, required: true, values: [options[0]?.value ?? ''], options },
  ];
  if (access === 'edit' && ids.some((id) => editor.deletable(id))) {
    const choices = ['edit', 'delete'].map((a) => ({ value: a, label: a }));
    fields.push({ var: 'action', type: 'list-single', label: 'Action', required: true, values: ['edit'], options: choices });
  }
  return { type: 'form', title: spec.name, fields };
}

/** Stage 2: the entity's form, pre-filled (or with what was submitted, after an error). */
export function entityForm(
  spec: NodeSpec,
  editor: Editor,
  snap: OrgSnapshot,
  id: string | undefined,
  entity: { rev: number; value: unknown } | undefined,
  submitted?: Values,
): DataForm {
  let fields = editor.fields(entity?.value as never, snap);
  if (submitted) fields = withSubmitted(fields, submitted);
  const label = id === undefined ? '' : editor.label(id, entity?.value as never, snap);
  return {
    type: 'form',
    title: id === undefined ? `New ${editor.noun}` : editor.singleton ? label : `${spec.name}: ${label}`,
    instructions: editor.instructions,
    fields: [...fields, hidden('stage', 'edit'), hidden('entity', id ?? NEW), hidden('rev', String(entity?.rev ?? 0))],
  };
}

export function deleteForm(editor: Editor, snap: OrgSnapshot, id: string, rev: number): DataForm {
  const label = editor.label(id, undefined, snap);
  return {
    type: 'form',
    title: `Delete ${editor.noun}`,
    fields: [
      { type: 'fixed', values: [`Delete the ${editor.noun} ${label}? This takes effect at once.`] },
      { var: 'confirm', type: 'boolean', label: 'Yes, delete it', required: true, values: ['0'] },
      hidden('stage', 'delete'),
      hidden('entity', id),
      hidden('rev', String(rev)),
    ],
  };
}

/** What a supervisor sees: the same fields as a result form, nothing to submit. */
export function readOnlyForm(spec: NodeSpec, editor: Editor, snap: OrgSnapshot, entity: OrgEntity): DataForm {
  const title = `${spec.name}: ${editor.label(entity.id, entity.value as never, snap)} (read-only)`;
  return { type: 'result', title, instructions: editor.instructions, fields: editor.fields(entity.value as never, snap) };
}
