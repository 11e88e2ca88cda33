/**
 * The organisational settings this process runs on (issue 16): the current OrgSnapshot, swapped
 * whole when a newer revision is read (after this process's own change, or when another
 * instance's change is announced: store/org-sync.ts). On first start, when Redis has no settings
 * yet, the YAML's organisational part is written (recorded as by `seed`); after that Redis is the
 * source of truth. Listeners (org-reconcile.ts) apply each swap to the running desk.
 */
import type { Logger } from 'pino';
import { entitiesOf } from '../../../config/org-settings.js';
import type { OrgSettings } from '../../../config/org-schema.js';
import type { OrgStore } from '../../store/org-store.js';
import type { OrgSnapshot } from './admin-types.js';
import type { OrgAudit } from './org-audit.js';
import { entitiesFromStore, fieldOf, snapshotOf, unstoredSnapshot } from './org-snapshot.js';

export type OrgListener = (prev: OrgSnapshot, next: OrgSnapshot) => Promise<void>;

export function createLiveOrg(deps: { store: OrgStore; seed: OrgSettings; audit: OrgAudit; log: Pick<Logger, 'info' | 'warn'> }) {
  let current = unstoredSnapshot(deps.seed);
  let loaded = false;
  const listeners: OrgListener[] = [];
  let chain: Promise<void> = Promise.resolve();
  let started: Promise<void> | undefined;

  async function load(): Promise<void> {
    const read = await deps.store.read();
    if (loaded && read.rev <= current.rev) return;
    const prev = current;
    current = snapshotOf(read.rev, entitiesFromStore(read.entities));
    const first = !loaded;
    loaded = true;
    if (first) return; // start-up: app.ts syncs the operators itself, and the link's onOnline publishes and dispatches
    for (const listener of listeners) {
      try {
        await listener(prev, current);
      } catch (err) {
        deps.log.warn({ err: (err as Error).message, rev: current.rev }, 'settings change not fully applied');
      }
    }
  }

  async function seed(): Promise<void> {
    const entities = entitiesOf(deps.seed);
    const r = await deps.store.write(
      'seed',
      entities.map((e) => ({ field: fieldOf(e.kind, e.id), expectedRev: 0, value: e.value })),
    );
    if (!r.ok) return; // another instance seeded first: Redis is the source of truth
    deps.log.info({ rev: r.rev, entities: entities.length }, 'organisational settings seeded from the config file');
    await deps.audit.record(
      'seed',
      entities.map((e) => ({ kind: e.kind, id: e.id, action: 'create', old: null, new: e.value })),
    );
  }

  const live = {
    current: (): OrgSnapshot => current,
    /** Seeds (first start) and loads once; every admin call and the start-up wait for it. */
    ready(): Promise<void> {
      started ??= (async () => {
        if ((await deps.store.rev()) === 0) await seed();
        await live.reload();
      })().catch((err: Error) => {
        started = undefined; // retried by the next caller
        throw err;
      });
      return started;
    },
    /** Re-reads the settings; a newer revision replaces the snapshot and runs the listeners (one reload at a time). */
    reload(): Promise<void> {
      const run = chain.then(load);
      chain = run.catch(() => undefined);
      return run;
    },
    onChange(listener: OrgListener): void {
      listeners.push(listener);
    },
  };
  return live;
}
export type LiveOrg = ReturnType<typeof createLiveOrg>;
