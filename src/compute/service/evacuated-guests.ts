/**
 * nova-compute's `_destroy_evacuated_instances`, run by a compute agent as it
 * starts, before its power sync: servers evacuated from this host while it was
 * down were rebuilt elsewhere, and their guests still held here are stale. For
 * each evacuation from this host that was accepted, in progress or done, the
 * guest is destroyed here (a guest already gone is success) and the migration
 * becomes `completed`, so the next start leaves it alone. Placement needs
 * nothing: the evacuation moved the server's allocation off this host in one
 * write (service/moves.ts). The power sync that follows reads only servers
 * whose host is this one, so it does not touch the evacuated servers.
 */
import * as store from '../store/index.js';
import type { ComputeDeps } from './deps.js';

/** Nova's filter: an evacuation accepted, under way on its destination, or done. */
const STALE_AFTER = new Set(['accepted', 'pre-migrating', 'done']);

export async function destroyEvacuatedGuests(deps: Pick<ComputeDeps, 'db' | 'driver' | 'log'>, host: string): Promise<number> {
  const evacuations = await store.searchMigrations(deps.db, { sourceCompute: host, migrationType: 'evacuation' });
  let destroyed = 0;
  for (const migration of evacuations.filter((m) => STALE_AFTER.has(m.status))) {
    deps.log.info({ server: migration.instance_uuid, migration: migration.uuid }, 'destroying the guest of a server evacuated from this host');
    await deps.driver.destroy(host, migration.instance_uuid);
    await store.setMigrationStatus(deps.db, migration.uuid, 'completed');
    destroyed++;
  }
  return destroyed;
}
