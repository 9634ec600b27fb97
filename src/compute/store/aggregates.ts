/** Host aggregates (os-aggregates): named host sets with metadata, an availability zone among it. */
import type { Selectable } from 'kysely';
import { parseJson } from '../../core/db/values.js';
import type { ComputeDb } from './db.js';
import type { AggregateTable } from './tables.js';

export interface Aggregate {
  id: number;
  uuid: string;
  name: string;
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

export async function listAggregates(db: ComputeDb): Promise<Aggregate[]> {
  const rows = await db.selectFrom('compute_aggregate').selectAll().orderBy('id').execute();
  return rows.map(aggregateFromRow);
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
