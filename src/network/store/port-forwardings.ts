/** Rows of `neutron_port_forwarding` (see migrations/0002-port-forwardings.ts). */
import type { Selectable } from 'kysely';
import type { NetworkDb } from './resources.js';
import type { PortForwardingTable } from './tables.js';

export type PortForwardingRow = Selectable<PortForwardingTable>;

export async function insertPortForwarding(db: NetworkDb, row: PortForwardingRow): Promise<void> {
  await db.insertInto('neutron_port_forwarding').values(row).execute();
}

export async function updatePortForwarding(db: NetworkDb, row: PortForwardingRow): Promise<void> {
  const { id, ...rest } = row;
  await db.updateTable('neutron_port_forwarding').set(rest).where('id', '=', id).execute();
}

export async function getPortForwarding(db: NetworkDb, floatingipId: string, id: string): Promise<PortForwardingRow | null> {
  return (await db.selectFrom('neutron_port_forwarding').selectAll().where('floatingip_id', '=', floatingipId).where('id', '=', id).executeTakeFirst()) ?? null;
}

/** Forwardings of some floating IPs, or to one internal port, in id order. */
export async function portForwardingsOf(db: NetworkDb, by: { floatingipIds: string[] } | { internalPortId: string }): Promise<PortForwardingRow[]> {
  let select = db.selectFrom('neutron_port_forwarding').selectAll();
  if ('floatingipIds' in by) {
    if (by.floatingipIds.length === 0) return [];
    select = select.where('floatingip_id', 'in', by.floatingipIds);
  } else select = select.where('internal_port_id', '=', by.internalPortId);
  return select.orderBy('id').execute();
}

export async function deletePortForwarding(db: NetworkDb, id: string): Promise<void> {
  await db.deleteFrom('neutron_port_forwarding').where('id', '=', id).execute();
}
