/** Queries on the state admins set on services (disabled with a reason, frozen). */
import { toBool } from '../../core/db/values.js';
import type { VolumeDb } from './db.js';

export interface ServiceState {
  disabled: boolean;
  disabled_reason: string | null;
  frozen: boolean;
}

export const SERVICE_DEFAULT_STATE: ServiceState = { disabled: false, disabled_reason: null, frozen: false };

/** Every service's set state, keyed `binary host`. */
export async function serviceStates(db: VolumeDb): Promise<Map<string, ServiceState>> {
  const rows = await db.selectFrom('cinder_service_state').selectAll().execute();
  return new Map(rows.map((r) => [`${r.binary} ${r.host}`, { disabled: toBool(r.disabled), disabled_reason: r.disabled_reason, frozen: toBool(r.frozen) }]));
}

export async function setServiceState(db: VolumeDb, host: string, binary: string, state: ServiceState, now: string): Promise<void> {
  await db
    .insertInto('cinder_service_state')
    .values({ host, binary, ...state, updated_at: now })
    .onConflict((oc) => oc.columns(['host', 'binary']).doUpdateSet({ ...state, updated_at: now }))
    .execute();
}
