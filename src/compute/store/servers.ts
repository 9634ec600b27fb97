/**
 * Server (instance) rows. Writes are compare-and-swap on `revision`: a caller
 * reads a server, decides, and `saveServer` succeeds only if nobody wrote in
 * between (Nova's `expected_task_state`, generalised).
 */
import { parseJson, toBool } from '../../core/db/values.js';
import { paginate, type ListParams } from '../../core/pagination/index.js';
import { nowIso } from '../../core/time.js';
import type { ComputeDb } from './db.js';
import type { Insertable, Selectable } from 'kysely';
import type { ServerTable } from './tables.js';
import type { BlockDevice } from './block-devices.js';

/** A flavor as the server keeps it (Nova's instance.flavor): later flavor changes do not touch it. */
export interface FlavorSnapshot {
  id: string;
  name: string;
  vcpus: number;
  memoryMb: number;
  rootGb: number;
  ephemeralGb: number;
  swap: number;
  extraSpecs: Record<string, string>;
}

export interface Fault {
  code: number;
  message: string;
  details: string;
  created: string;
}

/** A personality file (before 2.57): the path in the guest and the contents as sent, base64. */
export interface InjectedFile {
  path: string;
  contents: string;
}

/** One requested network of a create request, after parsing. */
export interface RequestedNetwork {
  uuid?: string;
  port?: string;
  fixedIp?: string;
  tag?: string;
}

export interface ServerAttrs {
  flavor: FlavorSnapshot;
  /** The flavor before a resize, until it is confirmed or reverted. */
  oldFlavor: FlavorSnapshot | null;
  metadata: Record<string, string>;
  tags: string[];
  keyName: string | null;
  keyData: string | null;
  accessIPv4: string;
  accessIPv6: string;
  description: string | null;
  userData: string | null;
  /** Personality files of the last create or rebuild (absent on servers made before they were kept). */
  injectedFiles?: InjectedFile[];
  availabilityZone: string | null;
  reservationId: string;
  launchIndex: number;
  hostname: string;
  /** Security group names requested at create (Nova keeps names). */
  securityGroups: string[];
  /** The networks and ports to attach, resolved at create ('auto' and 'none' become lists). */
  networks: RequestedNetwork[];
  fault: Fault | null;
  lockedReason: string | null;
  /** Who locked: 'admin' or 'owner' (Nova's locked_by). */
  lockedBy: 'admin' | 'owner' | null;
  launchedAt: string | null;
  terminatedAt: string | null;
  configDrive: string;
  diskConfig: 'MANUAL' | 'AUTO';
  schedulerHints: Record<string, string[]>;
  serverGroup: string | null;
  /** The migration of a resize in progress (its uuid is the Placement consumer of the old allocation). */
  migrationUuid: string | null;
  /** The host a resize came from, whose copy is kept until confirm or revert. */
  resizeSourceHost: string | null;
  /** The snapshot a shelved server is unshelved from (deleted at unshelve). */
  shelvedImageId?: string | null;
  /** When the server was last shelved (Nova's shelved_at), until it is unshelved. */
  shelvedAt?: string | null;
  /** When the server was soft deleted (reclaim_instance_interval > 0), until it is restored or reclaimed. */
  softDeletedAt?: string | null;
  /** Ports created by Nova for this server (deleted with it); ports the user passed are only detached. */
  ownedPorts: string[];
  /** Volumes asked for in block_device_mapping(_v2) at create; absent on servers without any. */
  blockDevices?: BlockDevice[];
}

export interface Server {
  id: string;
  projectId: string;
  userId: string;
  name: string;
  vmState: string;
  taskState: string | null;
  powerState: number;
  host: string | null;
  node: string | null;
  flavorId: string;
  imageRef: string | null;
  locked: boolean;
  deleted: boolean;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  revision: number;
  attrs: ServerAttrs;
}

function fromRow(row: Selectable<ServerTable>): Server {
  return {
    id: row.id,
    projectId: row.project_id,
    userId: row.user_id,
    name: row.name,
    vmState: row.vm_state,
    taskState: row.task_state,
    powerState: Number(row.power_state),
    host: row.host,
    node: row.node,
    flavorId: row.flavor_id,
    imageRef: row.image_ref,
    locked: toBool(row.locked),
    deleted: toBool(row.deleted),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
    revision: Number(row.revision),
    attrs: parseJson<ServerAttrs>(row.attrs, {} as ServerAttrs),
  };
}

function toRow(server: Server): Insertable<ServerTable> & Selectable<ServerTable> {
  return {
    id: server.id,
    project_id: server.projectId,
    user_id: server.userId,
    name: server.name,
    vm_state: server.vmState,
    task_state: server.taskState,
    power_state: server.powerState,
    host: server.host,
    node: server.node,
    flavor_id: server.flavorId,
    image_ref: server.imageRef,
    locked: server.locked,
    deleted: server.deleted,
    created_at: server.createdAt,
    updated_at: server.updatedAt,
    deleted_at: server.deletedAt,
    revision: server.revision,
    attrs: JSON.stringify(server.attrs),
  };
}

export async function insertServer(db: ComputeDb, server: Server): Promise<void> {
  await db.insertInto('compute_server').values(toRow(server)).execute();
}

export async function getServer(db: ComputeDb, id: string): Promise<Server | null> {
  const row = await db.selectFrom('compute_server').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : null;
}

/** Conditions on the server's columns (everything else a listing filters on lives in `attrs`). */
export interface ServerQuery {
  projectId?: string;
  /** true: deleted only; false: live only; undefined: both. */
  deleted?: boolean;
  host?: string;
  ids?: string[];
  node?: string;
  userId?: string;
  vmStates?: string[];
  imageRef?: string;
  flavorId?: string;
  locked?: boolean;
  /** updated_at bounds, inclusive (changes-since, changes-before). */
  updatedSince?: string;
  updatedBefore?: string;
}

/** Sort keys of GET /servers that are columns, and their column. */
export const SERVER_SORT_COLUMNS = {
  created_at: 'created_at',
  updated_at: 'updated_at',
  display_name: 'name',
  uuid: 'id',
  vm_state: 'vm_state',
  task_state: 'task_state',
  power_state: 'power_state',
  host: 'host',
  node: 'node',
  image_ref: 'image_ref',
  instance_type_id: 'flavor_id',
  project_id: 'project_id',
  user_id: 'user_id',
  locked: 'locked',
  // Nova's integer id follows creation.
  id: 'created_at',
} as const;
export type ServerSortColumnKey = keyof typeof SERVER_SORT_COLUMNS;

function selectServers(db: ComputeDb, query: ServerQuery) {
  let select = db.selectFrom('compute_server').selectAll();
  if (query.projectId !== undefined) select = select.where('project_id', '=', query.projectId);
  if (query.deleted !== undefined) select = select.where('deleted', '=', query.deleted);
  if (query.host !== undefined) select = select.where('host', '=', query.host);
  if (query.ids !== undefined) select = select.where('id', 'in', query.ids);
  if (query.node !== undefined) select = select.where('node', '=', query.node);
  if (query.userId !== undefined) select = select.where('user_id', '=', query.userId);
  if (query.vmStates !== undefined) select = select.where('vm_state', 'in', query.vmStates);
  if (query.imageRef !== undefined) select = select.where('image_ref', '=', query.imageRef);
  if (query.flavorId !== undefined) select = select.where('flavor_id', '=', query.flavorId);
  if (query.locked !== undefined) select = select.where('locked', '=', query.locked);
  if (query.updatedSince !== undefined) select = select.where('updated_at', '>=', query.updatedSince);
  if (query.updatedBefore !== undefined) select = select.where('updated_at', '<=', query.updatedBefore);
  return select;
}

const matchesNothing = (query: ServerQuery) => query.ids?.length === 0 || query.vmStates?.length === 0;

/** Matching servers, oldest first (for callers that filter further in memory). */
export async function listServers(db: ComputeDb, query: ServerQuery = {}): Promise<Server[]> {
  if (matchesNothing(query)) return [];
  const rows = await selectServers(db, query).orderBy('created_at').orderBy('id').execute();
  return rows.map(fromRow);
}

/**
 * One page of matching servers, sorted and paged in SQL with a keyset after
 * the marker (oslo.db's paginate_query, as Nova does). The marker is looked
 * up within `markerScope` (the caller's tenancy, without the other filters),
 * so a server that stopped matching between two pages still marks the place.
 */
export async function pageServers(db: ComputeDb, query: ServerQuery, markerScope: ServerQuery, params: ListParams<ServerSortColumnKey>): Promise<Server[]> {
  if (matchesNothing(query)) return [];
  const page = await paginate(selectServers(db, query), params, { id: 'id', columns: SERVER_SORT_COLUMNS, markerScope: selectServers(db, markerScope) });
  return page.rows.map(fromRow);
}

/**
 * Writes `next` if the row is still at `current.revision`; returns the saved
 * server (revision and updated_at advanced) or null when someone else wrote first.
 */
export async function saveServer(db: ComputeDb, current: Server, next: Server): Promise<Server | null> {
  const saved: Server = { ...next, revision: current.revision + 1, updatedAt: nowIso() };
  const { id: _id, created_at: _created, ...set } = toRow(saved);
  const result = await db.updateTable('compute_server').set(set).where('id', '=', current.id).where('revision', '=', current.revision).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? saved : null;
}

/** Removes soft-deleted rows (for a purge; Nova's `nova-manage db archive_deleted_rows`). */
export async function purgeServer(db: ComputeDb, id: string): Promise<void> {
  await db.deleteFrom('compute_server').where('id', '=', id).where('deleted', '=', true).execute();
}
