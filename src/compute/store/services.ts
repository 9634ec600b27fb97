/** nova-compute service rows: one per hypervisor host, with its state and the hypervisor it reports. */
import { parseJson, toBool } from '../../core/db/values.js';
import { nowIso } from '../../core/time.js';
import { nextId, type ComputeDb } from './db.js';
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { ComputeServiceTable } from './tables.js';

/** What the host's driver reported last (Nova's compute_nodes row). */
export interface HypervisorInfo {
  hypervisorType: string;
  hypervisorVersion: number;
  hypervisorHostname: string;
  hostIp: string;
  vcpus: number;
  memoryMb: number;
  localGb: number;
  cpuAllocationRatio: number;
  ramAllocationRatio: number;
  diskAllocationRatio: number;
  zone: string;
}

export interface ComputeService {
  id: string;
  /** The integer id Nova's API shows before 2.53 (for the service and its hypervisor). */
  seq: number;
  host: string;
  binary: string;
  nodeUuid: string;
  enabled: boolean;
  disabledReason: string | null;
  forcedDown: boolean;
  createdAt: string;
  updatedAt: string;
  hypervisor: HypervisorInfo;
}

function fromRow(row: Selectable<ComputeServiceTable>): ComputeService {
  return {
    id: row.id,
    seq: Number(row.seq),
    host: row.host,
    binary: row.binary,
    nodeUuid: row.node_uuid,
    enabled: toBool(row.enabled),
    disabledReason: row.disabled_reason,
    forcedDown: toBool(row.forced_down),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    hypervisor: parseJson<HypervisorInfo>(row.attrs, {} as HypervisorInfo),
  };
}

/** Registers the host or refreshes what its driver reports; keeps its enabled/forced_down state. */
export async function upsertService(db: ComputeDb, service: Omit<ComputeService, 'seq' | 'createdAt' | 'updatedAt'>): Promise<ComputeService> {
  const now = nowIso();
  const existing = await db.selectFrom('compute_service').selectAll().where('host', '=', service.host).executeTakeFirst();
  if (existing) {
    await db
      .updateTable('compute_service')
      .set({ attrs: JSON.stringify(service.hypervisor), updated_at: now })
      .where('id', '=', existing.id)
      .execute();
    return fromRow({ ...existing, attrs: JSON.stringify(service.hypervisor), updated_at: now });
  }
  const row: Insertable<ComputeServiceTable> & Selectable<ComputeServiceTable> = {
    id: service.id,
    seq: await nextId(db, 'service'),
    host: service.host,
    binary: service.binary,
    node_uuid: service.nodeUuid,
    enabled: service.enabled,
    disabled_reason: service.disabledReason,
    forced_down: service.forcedDown,
    created_at: now,
    updated_at: now,
    attrs: JSON.stringify(service.hypervisor),
  };
  await db.insertInto('compute_service').values(row).execute();
  return fromRow(row);
}

/**
 * A compute agent's heartbeat (Nova's report_state): `updated_at` set to the
 * real time, which liveness compares with; not a host write (it changes
 * nothing the scheduler's view copies). False when the host has no service.
 */
export async function touchService(db: ComputeDb, host: string): Promise<boolean> {
  const result = await db.updateTable('compute_service').set({ updated_at: new Date().toISOString() }).where('host', '=', host).executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function listServices(db: ComputeDb): Promise<ComputeService[]> {
  const rows = await db.selectFrom('compute_service').selectAll().orderBy('created_at').orderBy('host').execute();
  return rows.map(fromRow);
}

export async function getServiceByHost(db: ComputeDb, host: string): Promise<ComputeService | null> {
  const row = await db.selectFrom('compute_service').selectAll().where('host', '=', host).executeTakeFirst();
  return row ? fromRow(row) : null;
}

export async function setServiceStatus(
  db: ComputeDb,
  id: string,
  status: { enabled?: boolean; disabledReason?: string | null; forcedDown?: boolean },
): Promise<void> {
  const set: Updateable<ComputeServiceTable> = { updated_at: nowIso() };
  if (status.enabled !== undefined) set.enabled = status.enabled;
  if (status.disabledReason !== undefined) set.disabled_reason = status.disabledReason;
  if (status.forcedDown !== undefined) set.forced_down = status.forcedDown;
  await db.updateTable('compute_service').set(set).where('id', '=', id).execute();
}

export async function getService(db: ComputeDb, id: string): Promise<ComputeService | null> {
  const row = await db.selectFrom('compute_service').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : null;
}

export async function getServiceBySeq(db: ComputeDb, seq: number): Promise<ComputeService | null> {
  const row = await db.selectFrom('compute_service').selectAll().where('seq', '=', seq).executeTakeFirst();
  return row ? fromRow(row) : null;
}

export async function deleteService(db: ComputeDb, id: string): Promise<void> {
  await db.deleteFrom('compute_service').where('id', '=', id).execute();
}
