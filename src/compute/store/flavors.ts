/** Flavors, their extra specs (JSON) and the projects a private flavor is shared with. */
import { parseJson, toBool } from '../../core/db/values.js';
import { nowIso } from '../../core/time.js';
import type { ComputeDb } from './db.js';
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { FlavorTable } from './tables.js';

export interface Flavor {
  id: string;
  name: string;
  memoryMb: number;
  vcpus: number;
  rootGb: number;
  ephemeralGb: number;
  swap: number;
  rxtxFactor: number;
  isPublic: boolean;
  disabled: boolean;
  description: string | null;
  extraSpecs: Record<string, string>;
  createdAt: string;
}

function fromRow(row: Selectable<FlavorTable>): Flavor {
  return {
    id: row.id,
    name: row.name,
    memoryMb: Number(row.memory_mb),
    vcpus: Number(row.vcpus),
    rootGb: Number(row.root_gb),
    ephemeralGb: Number(row.ephemeral_gb),
    swap: Number(row.swap),
    rxtxFactor: Number(row.rxtx_factor),
    isPublic: toBool(row.is_public),
    disabled: toBool(row.disabled),
    description: row.description,
    extraSpecs: parseJson<Record<string, string>>(row.extra_specs, {}),
    createdAt: row.created_at,
  };
}

export async function insertFlavor(db: ComputeDb, flavor: Omit<Flavor, 'createdAt'>): Promise<Flavor> {
  const row: Insertable<FlavorTable> & Selectable<FlavorTable> = {
    id: flavor.id,
    name: flavor.name,
    memory_mb: flavor.memoryMb,
    vcpus: flavor.vcpus,
    root_gb: flavor.rootGb,
    ephemeral_gb: flavor.ephemeralGb,
    swap: flavor.swap,
    rxtx_factor: flavor.rxtxFactor,
    is_public: flavor.isPublic,
    disabled: flavor.disabled,
    description: flavor.description,
    extra_specs: JSON.stringify(flavor.extraSpecs),
    created_at: nowIso(),
    updated_at: null,
  };
  await db.insertInto('compute_flavor').values(row).execute();
  return fromRow(row);
}

export async function getFlavor(db: ComputeDb, id: string): Promise<Flavor | null> {
  const row = await db.selectFrom('compute_flavor').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : null;
}

export async function flavorByName(db: ComputeDb, name: string): Promise<Flavor | null> {
  const row = await db.selectFrom('compute_flavor').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? fromRow(row) : null;
}

/** Every flavor, ordered by Nova's default sort (flavorid ascending as text). */
export async function listFlavors(db: ComputeDb): Promise<Flavor[]> {
  const rows = await db.selectFrom('compute_flavor').selectAll().orderBy('id').execute();
  return rows.map(fromRow);
}

export async function updateFlavor(db: ComputeDb, id: string, changes: { description?: string | null; extraSpecs?: Record<string, string> }): Promise<void> {
  const set: Updateable<FlavorTable> = { updated_at: nowIso() };
  if (changes.description !== undefined) set.description = changes.description;
  if (changes.extraSpecs !== undefined) set.extra_specs = JSON.stringify(changes.extraSpecs);
  await db.updateTable('compute_flavor').set(set).where('id', '=', id).execute();
}

export async function deleteFlavor(db: ComputeDb, id: string): Promise<void> {
  await db.deleteFrom('compute_flavor').where('id', '=', id).execute();
}

export async function flavorProjects(db: ComputeDb, flavorId: string): Promise<string[]> {
  const rows = await db.selectFrom('compute_flavor_access').select('project_id').where('flavor_id', '=', flavorId).orderBy('project_id').execute();
  return rows.map((r) => r.project_id);
}

export async function flavorsSharedWith(db: ComputeDb, projectId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('compute_flavor_access').select('flavor_id').where('project_id', '=', projectId).execute();
  return new Set(rows.map((r) => r.flavor_id));
}

export async function addFlavorAccess(db: ComputeDb, flavorId: string, projectId: string): Promise<void> {
  await db.insertInto('compute_flavor_access').values({ flavor_id: flavorId, project_id: projectId }).execute();
}

export async function removeFlavorAccess(db: ComputeDb, flavorId: string, projectId: string): Promise<boolean> {
  const result = await db.deleteFrom('compute_flavor_access').where('flavor_id', '=', flavorId).where('project_id', '=', projectId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
