/**
 * Address, MAC and segmentation-id bookkeeping. Each table's primary key is
 * what makes an allocation unique, so two concurrent requests can never both
 * hold one value: the loser's insert fails with a unique violation and the
 * service picks another value or gives up.
 */
import { toCount } from '../../core/db/values.js';
import type { NetworkDb } from './resources.js';

export interface IpAllocation {
  subnetId: string;
  ipAddress: string;
  networkId: string;
  portId: string;
}

export async function allocatedAddresses(db: NetworkDb, subnetId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('neutron_ip_allocation').select('ip_address').where('subnet_id', '=', subnetId).execute();
  return new Set(rows.map((r) => r.ip_address));
}

export async function insertAllocation(db: NetworkDb, allocation: IpAllocation): Promise<void> {
  await db
    .insertInto('neutron_ip_allocation')
    .values({ subnet_id: allocation.subnetId, ip_address: allocation.ipAddress, network_id: allocation.networkId, port_id: allocation.portId })
    .execute();
}

export async function allocationsOfPort(db: NetworkDb, portId: string): Promise<IpAllocation[]> {
  const rows = await db.selectFrom('neutron_ip_allocation').selectAll().where('port_id', '=', portId).execute();
  return rows.map((r) => ({ subnetId: r.subnet_id, ipAddress: r.ip_address, networkId: r.network_id, portId: r.port_id }));
}

export async function allocationsOfSubnet(db: NetworkDb, subnetId: string): Promise<IpAllocation[]> {
  const rows = await db.selectFrom('neutron_ip_allocation').selectAll().where('subnet_id', '=', subnetId).execute();
  return rows.map((r) => ({ subnetId: r.subnet_id, ipAddress: r.ip_address, networkId: r.network_id, portId: r.port_id }));
}

export async function deleteAllocationsOfPort(db: NetworkDb, portId: string): Promise<void> {
  await db.deleteFrom('neutron_ip_allocation').where('port_id', '=', portId).execute();
}

export async function deleteAllocation(db: NetworkDb, subnetId: string, ipAddress: string): Promise<void> {
  await db.deleteFrom('neutron_ip_allocation').where('subnet_id', '=', subnetId).where('ip_address', '=', ipAddress).execute();
}

export async function insertMac(db: NetworkDb, mac: string, portId: string): Promise<void> {
  await db.insertInto('neutron_mac_address').values({ mac_address: mac, port_id: portId }).execute();
}

export async function deleteMacsOfPort(db: NetworkDb, portId: string): Promise<void> {
  await db.deleteFrom('neutron_mac_address').where('port_id', '=', portId).execute();
}

export async function usedSegmentationIds(db: NetworkDb, networkType: string, physicalNetwork: string): Promise<Set<number>> {
  const rows = await db
    .selectFrom('neutron_segment')
    .select('segmentation_id')
    .where('network_type', '=', networkType)
    .where('physical_network', '=', physicalNetwork)
    .execute();
  return new Set(rows.map((r) => Number(r.segmentation_id)));
}

export async function insertSegment(db: NetworkDb, networkType: string, physicalNetwork: string, segmentationId: number, networkId: string): Promise<void> {
  await db
    .insertInto('neutron_segment')
    .values({ network_type: networkType, physical_network: physicalNetwork, segmentation_id: segmentationId, network_id: networkId })
    .execute();
}

export async function deleteSegment(db: NetworkDb, networkType: string, physicalNetwork: string, segmentationId: number): Promise<void> {
  await db
    .deleteFrom('neutron_segment')
    .where('network_type', '=', networkType)
    .where('physical_network', '=', physicalNetwork)
    .where('segmentation_id', '=', segmentationId)
    .execute();
}

export async function deleteSegmentsOfNetwork(db: NetworkDb, networkId: string): Promise<void> {
  await db.deleteFrom('neutron_segment').where('network_id', '=', networkId).execute();
}

/** Allocated addresses per subnet, for the subnets given (absent: none). */
export async function allocationCounts(db: NetworkDb, subnetIds: string[]): Promise<Map<string, number>> {
  if (subnetIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('neutron_ip_allocation')
    .select((eb) => ['subnet_id', eb.fn.countAll<string | number>().as('used')])
    .where('subnet_id', 'in', subnetIds)
    .groupBy('subnet_id')
    .execute();
  return new Map(rows.map((r) => [r.subnet_id, toCount(r.used)]));
}
