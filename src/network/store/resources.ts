/**
 * Rows of `neutron_resource`: the standard attributes as columns, the rest of
 * a resource's attributes as JSON. Functions take the Kysely handle (or a
 * transaction) they run on, so the service composes them in one transaction.
 */
import type { Kysely } from 'kysely';
import { parseJson } from '../../core/db/values.js';
import { nowIso } from '../../core/time.js';
import type { NetworkTables, ResourceRow } from './tables.js';

export type NetworkDb = Kysely<NetworkTables>;

export type ResourceKind =
  | 'network'
  | 'subnet'
  | 'port'
  | 'router'
  | 'floatingip'
  | 'security_group'
  | 'security_group_rule'
  | 'rbac_policy'
  | 'subnetpool'
  | 'address_scope'
  | 'auto_allocated_topology'
  | 'flavor'
  | 'service_profile'
  | 'agent'
  | 'metering_label'
  /** Parent: its label. */
  | 'metering_label_rule'
  /** A network's DHCP agent (Neutron's networkdhcpagentbindings): parent the network, `agent_id` in attrs. */
  | 'dhcp_binding'
  | 'qos_policy'
  /** Parent: its QoS policy; `type` in attrs. */
  | 'qos_rule'
  /** Parent: its network; the network's provider segment is its oldest. */
  | 'segment';

export type Attrs = Record<string, unknown>;

export interface Resource<A extends Attrs = Attrs> {
  id: string;
  kind: ResourceKind;
  projectId: string;
  parentId: string | null;
  name: string;
  createdAt: string;
  updatedAt: string;
  revisionNumber: number;
  tags: string[];
  attrs: A;
}

function fromRow<A extends Attrs>(row: ResourceRow): Resource<A> {
  return {
    id: row.id,
    kind: row.kind as ResourceKind,
    projectId: row.project_id,
    parentId: row.parent_id,
    name: row.name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    revisionNumber: Number(row.revision_number),
    tags: parseJson<string[]>(row.tags, []),
    attrs: parseJson<A>(row.attrs, {} as A),
  };
}

export interface NewResource<A extends Attrs> {
  id: string;
  kind: ResourceKind;
  projectId: string;
  parentId?: string | null;
  name: string;
  attrs: A;
}

export async function insertResource<A extends Attrs>(db: NetworkDb, input: NewResource<A>): Promise<Resource<A>> {
  const now = nowIso();
  const row: ResourceRow = {
    id: input.id,
    kind: input.kind,
    project_id: input.projectId,
    parent_id: input.parentId ?? null,
    name: input.name,
    created_at: now,
    updated_at: now,
    revision_number: 0,
    tags: '[]',
    attrs: JSON.stringify(input.attrs),
  };
  await db.insertInto('neutron_resource').values(row).execute();
  return fromRow<A>(row);
}

export async function getResource<A extends Attrs>(db: NetworkDb, kind: ResourceKind, id: string): Promise<Resource<A> | null> {
  const row = await db.selectFrom('neutron_resource').selectAll().where('kind', '=', kind).where('id', '=', id).executeTakeFirst();
  return row ? fromRow<A>(row) : null;
}

export interface ResourceQuery {
  projectId?: string;
  parentId?: string;
  parentIds?: string[];
  ids?: string[];
}

/** Every row of `kind` matching the query, oldest first (the api sorts and pages). */
export async function listResources<A extends Attrs>(db: NetworkDb, kind: ResourceKind, query: ResourceQuery = {}): Promise<Array<Resource<A>>> {
  let select = db.selectFrom('neutron_resource').selectAll().where('kind', '=', kind);
  if (query.projectId !== undefined) select = select.where('project_id', '=', query.projectId);
  if (query.parentId !== undefined) select = select.where('parent_id', '=', query.parentId);
  if (query.parentIds !== undefined) {
    if (query.parentIds.length === 0) return [];
    select = select.where('parent_id', 'in', query.parentIds);
  }
  if (query.ids !== undefined) {
    if (query.ids.length === 0) return [];
    select = select.where('id', 'in', query.ids);
  }
  const rows = await select.orderBy('created_at').orderBy('id').execute();
  return rows.map((row) => fromRow<A>(row));
}

export async function countResources(db: NetworkDb, kind: ResourceKind, query: ResourceQuery): Promise<number> {
  return (await listResources(db, kind, query)).length;
}

/** Writes name, attrs and tags, bumping revision_number and updated_at. */
export async function saveResource<A extends Attrs>(db: NetworkDb, resource: Resource<A>): Promise<Resource<A>> {
  const updated: Resource<A> = { ...resource, revisionNumber: resource.revisionNumber + 1, updatedAt: nowIso() };
  await db
    .updateTable('neutron_resource')
    .set({
      name: updated.name,
      attrs: JSON.stringify(updated.attrs),
      tags: JSON.stringify(updated.tags),
      revision_number: updated.revisionNumber,
      updated_at: updated.updatedAt,
    })
    .where('id', '=', resource.id)
    .execute();
  return updated;
}

/**
 * Takes the row's write lock for the rest of the transaction (a no-op update),
 * so transactions that allocate from one subnet pool run one after the other
 * on PostgreSQL; SQLite runs write transactions one at a time anyway.
 * False when the row is gone.
 */
export async function lockResource(db: NetworkDb, kind: ResourceKind, id: string): Promise<boolean> {
  const result = await db
    .updateTable('neutron_resource')
    .set((eb) => ({ revision_number: eb.ref('revision_number') }))
    .where('kind', '=', kind)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteResource(db: NetworkDb, id: string): Promise<void> {
  await db.deleteFrom('neutron_resource').where('id', '=', id).execute();
}
