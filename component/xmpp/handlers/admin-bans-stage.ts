/**
 * The blacklist command (`admin-bans`): supervisors read it (a result table), admins choose
 * bans to lift (list-multi, by ticket: never by the customer's address) and complete.
 */
import type { AdminService } from '../../services/admin/admin-types.js';
import type { Element } from '../../protocol/xml.js';
import { banRef, bansTable, unbanFields } from './admin-lists.js';
import { actions, forbidden, note, type Run } from './admin-run.js';
import { hidden } from './admin-stages.js';
import { renderForm, type Values } from './data-form.js';

export function createBansStage(admin: AdminService) {
  async function show(run: Run, error?: string): Promise<Element> {
    const bans = await admin.bans(run.actor);
    if (bans.length === 0 || run.access === 'view') {
      run.done();
      return run.reply('completed', bans.length === 0 ? note('info', 'Nobody is blacklisted.') : renderForm(bansTable(bans)));
    }
    const form = renderForm({ type: 'form', title: 'Blacklist', fields: [...unbanFields(bans), hidden('stage', 'bans')] });
    return run.reply('executing', actions('complete', 'complete'), error ? note('error', error) : undefined, form);
  }

  async function unban(run: Run, values: Values): Promise<Element> {
    if (run.access !== 'edit') throw forbidden('Supervisors see the blacklist read-only');
    const chosen = new Set(values.get('unban') ?? []);
    if (chosen.size === 0) return show(run, 'Lift the ban of [unban]: choose at least one. Nothing was changed.');
    const lifted = (await admin.bans(run.actor)).filter((b) => chosen.has(banRef(b)));
    for (const b of lifted) await admin.unban(run.actor, b.customerKey);
    run.done();
    return run.reply('completed', note('info', `Lifted ${lifted.length} ban${lifted.length === 1 ? '' : 's'}.`));
  }

  return { show, unban };
}
