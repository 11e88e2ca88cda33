/**
 * The admin commands (issue 16): every AdminService action as a multi-stage XEP-0050 command on
 * the component's domain JID, with XEP-0004 forms, so Gajim or Psi can administer the desks.
 * Stage 1 chooses the entity (and edit or delete); stage 2 is its form, pre-filled, with hidden
 * `stage`, `entity` and `rev`; complete saves with expectedRev = rev. The forms carry the state
 * (adhoc-sessions.ts seals the session id). A wrong value or a conflict shows the form again with
 * an error note; nothing is saved. Admins run every command, supervisors read their desks'
 * settings (result forms), anyone else gets `forbidden` and sees no command.
 * References: https://xmpp.org/extensions/xep-0050.html, https://xmpp.org/extensions/xep-0004.html
 */
import { bareJid } from '../../../src/jid.js';
import { isDomainError } from '../../../src/errors.js';
import type { Actor, AdminService, OrgEntity, OrgKind } from '../../services/admin/admin-types.js';
import { NS_COMMANDS, NS_DATA, NS_DISCO_INFO, NS_DISCO_ITEMS } from '../../protocol/namespaces.js';
import { StanzaFailure } from '../../protocol/stanzas.js';
import { xml, type Element } from '../../protocol/xml.js';
import { createAdhocSessions } from './adhoc-sessions.js';
import { fieldOfRefusal, type Editor } from './admin-editor.js';
import { auditTable } from './admin-lists.js';
import { createBansStage } from './admin-bans-stage.js';
import { actions, badPayload, cmdError, forbidden, note, type Run } from './admin-run.js';
import {
  ADMIN_NODES,
  chooseForm,
  deleteForm,
  entityForm,
  fieldNote,
  NEW,
  readOnlyForm,
  type Access,
  type NodeSpec,
} from './admin-stages.js';
import { bool, one, renderForm, submittedValues, type Values } from './data-form.js';

export { ADMIN_NODES };
const BY_NODE = new Map(ADMIN_NODES.map((s) => [s.node, s]));
const ACTIONS = ['execute', 'cancel', 'prev', 'next', 'complete'];
const AUDIT_LIMIT = 25;

const codeOf = (err: unknown) => (isDomainError(err) ? (err.code as string) : undefined);

export interface AdminAdhocDeps {
  admin: AdminService;
  domain: string;
  /** Seals session ids (the component secret: every instance can check them). */
  secret: string;
  now: () => number;
}

export function createAdminAdhoc(deps: AdminAdhocDeps) {
  const { admin } = deps;
  const sessions = createAdhocSessions({ secret: deps.secret, now: deps.now });
  const bans = createBansStage(admin);

  function accessOf(actor: Actor, spec: NodeSpec): Access | undefined {
    const role = admin.roleOf(actor);
    return role === 'admin' ? 'edit' : role === 'supervisor' ? spec.supervisor : undefined;
  }

  const errorNote = (error?: string) => (error ? note('error', error) : undefined);

  async function choose(run: Run, editor: Editor, error?: string): Promise<Element> {
    const entities = (await admin.list(run.actor, editor.kind)) as OrgEntity[];
    const form = chooseForm(run.spec, editor, run.access, entities, admin.snapshot());
    if (!form) return run.reply('completed', note('info', `There is no ${editor.noun} you may see.`));
    return run.reply('executing', actions('next', 'next'), errorNote(error), renderForm(form));
  }

  function editForm(
    run: Run,
    editor: Editor,
    id: string | undefined,
    entity: { rev: number; value: unknown } | undefined,
    shown?: { values?: Values; error?: string },
  ): Element {
    const form = entityForm(run.spec, editor, admin.snapshot(), id, entity, shown?.values);
    const acts = editor.singleton ? actions('complete', 'complete') : actions('complete', 'prev', 'complete');
    return run.reply('executing', acts, errorNote(shown?.error), renderForm(form));
  }

  function confirmDelete(run: Run, editor: Editor, id: string, rev: number, error?: string): Element {
    return run.reply(
      'executing',
      actions('complete', 'prev', 'complete'),
      errorNote(error),
      renderForm(deleteForm(editor, admin.snapshot(), id, rev)),
    );
  }

  function readOnly(run: Run, editor: Editor, entity: OrgEntity): Element {
    run.done();
    return run.reply('completed', renderForm(readOnlyForm(run.spec, editor, admin.snapshot(), entity)));
  }

  async function start(run: Run): Promise<Element> {
    const { spec } = run;
    if (spec.list === 'audit') {
      run.done();
      return run.reply('completed', renderForm(auditTable(await admin.audit(run.actor, { limit: AUDIT_LIMIT }))));
    }
    if (spec.list === 'bans') return bans.show(run);
    const editor = spec.editor as Editor;
    if (!editor.singleton) return choose(run, editor);
    const entity = await admin.get(run.actor, editor.kind, editor.singleton);
    return run.access === 'view' && entity ? readOnly(run, editor, entity) : editForm(run, editor, editor.singleton, entity);
  }

  async function chosen(run: Run, editor: Editor, values: Values): Promise<Element> {
    const id = one(values, 'entity');
    if (id === NEW) {
      if (run.access !== 'edit' || !editor.idField) throw forbidden('Only admins create settings');
      return editForm(run, editor, undefined, undefined);
    }
    if (!id) return choose(run, editor, `Choose a ${editor.noun}.`);
    const entity = await admin.get(run.actor, editor.kind, id);
    if (run.access === 'view') {
      if (entity) return readOnly(run, editor, entity);
      run.done();
      return run.reply('completed', note('info', `${editor.label(id, undefined, admin.snapshot())} has no ${editor.noun} of its own.`));
    }
    if (one(values, 'action') === 'delete') {
      if (!entity || !editor.deletable(id))
        return choose(run, editor, `${editor.label(id, undefined, admin.snapshot())} cannot be deleted.`);
      return confirmDelete(run, editor, id, entity.rev);
    }
    return editForm(run, editor, id, entity);
  }

  async function save(run: Run, editor: Editor, values: Values): Promise<Element> {
    if (run.access !== 'edit') throw forbidden('Supervisors see these settings read-only');
    const entityId = one(values, 'entity');
    const rev = Number(one(values, 'rev'));
    if (!entityId || !Number.isSafeInteger(rev) || rev < 0) throw badPayload('The form lacks its entity or revision');
    const isNew = entityId === NEW;
    const id = isNew ? undefined : entityId;
    const current = id === undefined ? undefined : await admin.get(run.actor, editor.kind, id);
    const shownEntity = current && { rev, value: current.value };
    const again = (error: string) => editForm(run, editor, id, shownEntity, { values, error });
    const snap = admin.snapshot();
    const parsed = editor.parse(values, id, current?.value as never, snap);
    if (!parsed.ok) return again(fieldNote(editor.fields(current?.value as never, snap), parsed.error));
    const target = parsed.value.id;
    try {
      const saved = await admin.put(run.actor, editor.kind as OrgKind, target, parsed.value.value, rev);
      run.done();
      return run.reply(
        'completed',
        note('info', `Saved: ${editor.label(target, saved.value as never, admin.snapshot())} (revision ${saved.rev}).`),
      );
    } catch (err) {
      if (codeOf(err) === 'bad-request') {
        const fields = editor.fields(current?.value as never, snap);
        const e = fieldOfRefusal((err as Error).message, fields, editor.mainField);
        return again(e ? fieldNote(fields, e) : `${(err as Error).message}. Nothing was saved.`);
      }
      if (codeOf(err) !== 'conflict') throw err;
      if (isNew) return again(`A ${editor.noun} "${target}" exists already: someone else created it meanwhile. Nothing was saved.`);
      const fresh = await admin.get(run.actor, editor.kind, target);
      if (!fresh) {
        run.done();
        return run.reply('completed', note('error', `Someone else deleted this ${editor.noun} meanwhile. Nothing was saved.`));
      }
      const msg = `Someone else changed this ${editor.noun} meanwhile (now revision ${fresh.rev}). The form shows their version: make your change again. Nothing was saved.`;
      return editForm(run, editor, target, fresh, { error: msg });
    }
  }

  async function remove(run: Run, editor: Editor, values: Values): Promise<Element> {
    if (run.access !== 'edit') throw forbidden('Supervisors see these settings read-only');
    const id = one(values, 'entity');
    const rev = Number(one(values, 'rev'));
    if (!id || id === NEW || !Number.isSafeInteger(rev)) throw badPayload('The form lacks its entity or revision');
    if (!bool(values, 'confirm'))
      return confirmDelete(run, editor, id, rev, 'Tick "Yes, delete it" [confirm] to delete. Nothing was deleted.');
    try {
      await admin.remove(run.actor, editor.kind, id, rev);
    } catch (err) {
      if (codeOf(err) !== 'conflict') throw err;
      const fresh = await admin.get(run.actor, editor.kind, id);
      if (!fresh) {
        run.done();
        return run.reply('completed', note('info', `It was deleted already.`));
      }
      return confirmDelete(
        run,
        editor,
        id,
        fresh.rev,
        `Someone else changed it meanwhile (now revision ${fresh.rev}): look at it again before deleting. Nothing was deleted.`,
      );
    }
    run.done();
    return run.reply('completed', note('info', `Deleted the ${editor.noun} ${id}.`));
  }

  return {
    /** disco#items, node http://jabber.org/protocol/commands, on the domain JID: what this requester may run. */
    items(from: string): Element {
      const actor = { jid: bareJid(from).toLowerCase() };
      const query = xml('query', { xmlns: NS_DISCO_ITEMS, node: NS_COMMANDS });
      for (const spec of ADMIN_NODES)
        if (accessOf(actor, spec)) query.append(xml('item', { jid: deps.domain, node: spec.node, name: spec.name }));
      return query;
    },

    /** The `admin-*` command nodes are this handler's (an unknown one is item-not-found here). */
    owns: (node: unknown): boolean => typeof node === 'string' && node.startsWith('admin-'),

    /** disco#info on a command node (XEP-0050 §2.2): the command, to those who may run it. */
    info(from: string, node: string): Element {
      const spec = BY_NODE.get(node);
      if (!spec || !accessOf({ jid: bareJid(from).toLowerCase() }, spec))
        throw new StanzaFailure({ type: 'cancel', condition: 'item-not-found', text: `No command ${node}` });
      return xml(
        'query',
        { xmlns: NS_DISCO_INFO, node },
        xml('identity', { category: 'automation', type: 'command-node', name: spec.name }),
        xml('feature', { var: NS_COMMANDS }),
        xml('feature', { var: NS_DATA }),
      );
    },

    async execute(request: Element): Promise<Element> {
      const cmd = request.getChild('command', NS_COMMANDS) as Element;
      const node = String(cmd.attrs.node ?? '');
      const spec = BY_NODE.get(node);
      if (!spec) throw new StanzaFailure({ type: 'cancel', condition: 'item-not-found', text: `No command ${node}` });
      const from = String(request.attrs.from);
      const actor = { jid: bareJid(from).toLowerCase() };
      const access = accessOf(actor, spec);
      if (!access) throw forbidden('Only the desk’s admins (and supervisors, read-only) may use this command');
      const action = String(cmd.attrs.action ?? 'execute');
      if (!ACTIONS.includes(action)) throw cmdError('modify', 'bad-request', 'malformed-action', `Unknown action "${action}"`);
      let sessionid = cmd.attrs.sessionid as string | undefined;
      if (sessionid) {
        const check = sessions.check(sessionid, node, from);
        if (check === 'bad-sessionid') throw cmdError('modify', 'bad-request', 'bad-sessionid', 'No such session of this command for you');
        if (check === 'session-expired')
          throw cmdError('cancel', 'not-allowed', 'session-expired', 'This command session has ended; start again');
      } else if (action !== 'execute')
        throw cmdError('modify', 'bad-request', 'bad-sessionid', `"${action}" needs the sessionid of a running command`);
      const isStart = !sessionid;
      sessionid ??= sessions.issue(node, from);
      const sid = sessionid;
      const run: Run = {
        spec,
        access,
        actor,
        reply: (status, ...children) =>
          xml('command', { xmlns: NS_COMMANDS, node, sessionid: sid, status }, ...children.filter((c) => c !== undefined)),
        done: () => sessions.finish(sid),
      };
      if (action === 'cancel') {
        run.done();
        return run.reply('canceled');
      }
      if (isStart) return start(run);
      const values = submittedValues(cmd);
      const stage = values ? one(values, 'stage') : '';
      if (action === 'prev') {
        if (!spec.editor || spec.editor.singleton || stage === 'choose')
          throw cmdError('modify', 'bad-request', 'bad-action', 'There is no previous stage');
        return choose(run, spec.editor);
      }
      if (!values) throw badPayload('Submit the form (type "submit")');
      const expected = stage === 'choose' ? 'next' : 'complete';
      if (action !== 'execute' && action !== expected) throw cmdError('modify', 'bad-request', 'bad-action', `Use "${expected}" here`);
      if (stage === 'bans' && spec.list === 'bans') return bans.unban(run, values);
      const editor = spec.editor;
      if (!editor) throw badPayload(`Unknown stage "${stage}"`);
      if (stage === 'choose' && !editor.singleton) return chosen(run, editor, values);
      if (stage === 'edit') return save(run, editor, values);
      if (stage === 'delete') return remove(run, editor, values);
      throw badPayload(`Unknown stage "${stage}"`);
    },
  };
}
export type AdminAdhoc = ReturnType<typeof createAdminAdhoc>;
