/** Host aggregates (os-aggregates): named sets of hosts with metadata; `availability_zone` metadata is the hosts' zone. */
import { parseJson } from '../../core/db/values.js';
import { nowIso } from '../../core/time.js';
import { nextId, type ComputeDb } from './db.js';
import type { Selectable } from 'kysely';
import type { AggregateTable } from './tables.js';

export interface Aggregate {
  id: number;
  uuid: string;
  name: string;
  /** Mirrors `metadata.availability_zone` (kept as a column for listing zones). */
  availabilityZone: string | null;
  hosts: string[];
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string | null;
}

export function aggregateFromRow(row: Selectable<AggregateTable>): Aggregate {
  return {
    id: Number(row.id),
    uuid: row.uuid,
    name: row.name,
    availabilityZone: row.availability_zone,
    hosts: parseJson<string[]>(row.hosts, []),
    metadata: parseJson<Record<string, string>>(row.metadata, {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function insertAggregate(db: ComputeDb, input: { uuid: string; name: string; metadata: Record<string, string> }): Promise<Aggregate> {
  const row: Selectable<AggregateTable> = {
    id: await nextId(db, 'aggregate'),
    uuid: input.uuid,
    name: input.name,
    availability_zone: input.metadata.availability_zone ?? null,
    hosts: '[]',
    metadata: JSON.stringify(input.metadata),
    created_at: nowIso(),
    updated_at: null,
  };
  await db.insertInto('compute_aggregate').values(row).execute();
  return aggregateFromRow(row);
}

export async function getAggregate(db: ComputeDb, id: number): Promise<Aggregate | null> {
  const row = await db.selectFrom('compute_aggregate').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? aggregateFromRow(row) : null;
}

export async function aggregateByName(db: ComputeDb, name: string): Promise<Aggregate | null> {
  const row = await db.selectFrom('compute_aggregate').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? aggregateFromRow(row) : null;
}

export async function listAggregates(db: ComputeDb): Promise<Aggregate[]> {
  const rows = await db.selectFrom('compute_aggregate').selectAll().orderBy('id').execute();
  return rows.map(aggregateFromRow);
}

/** Writes name, hosts and metadata (the zone column follows the metadata). */
/**
 * Writes `next` only if the row still holds `current`'s name, hosts and
 * metadata (compare-and-swap: every write stores JSON.stringify of the
 * values, so equal values are equal text); the saved aggregate, or null
 * when another write came first.
 */
export async function swapAggregate(db: ComputeDb, current: Aggregate, next: Pick<Aggregate, 'name' | 'hosts' | 'metadata'>): Promise<Aggregate | null> {
  const result = await db
    .updateTable('compute_aggregate')
    .set({
      name: next.name,
      hosts: JSON.stringify(next.hosts),
      metadata: JSON.stringify(next.metadata),
      availability_zone: next.metadata.availability_zone ?? null,
      updated_at: nowIso(),
    })
    .where('id', '=', current.id)
    .where('name', '=', current.name)
    .where('hosts', '=', JSON.stringify(current.hosts))
    .where('metadata', '=', JSON.stringify(current.metadata))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? getAggregate(db, current.id) : null;
}

/** The availability zone of each host in an aggregate that names one; other hosts are in the default zone. */
export async function hostZones(db: ComputeDb): Promise<Map<string, string>> {
  const zones = new Map<string, string>();
  for (const aggregate of await listAggregates(db)) {
    if (!aggregate.availabilityZone) continue;
    for (const host of aggregate.hosts) zones.set(host, aggregate.availabilityZone);
  }
  return zones;
}

export async function deleteAggregate(db: ComputeDb, id: number): Promise<void> {
  await db.deleteFrom('compute_aggregate').where('id', '=', id).execute();
}
