/**
 * Server (instance) rows. Writes are compare-and-swap on `revision`: a caller
 * reads a server, decides, and `saveServer` succeeds only if nobody wrote in
 * between (Nova's `expected_task_state`, generalised).
 */
import { parseJson, toBool } from '../../core/db/values.js';
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

export interface ServerQuery {
  projectId?: string;
  /** true: deleted only; false: live only; undefined: both. */
  deleted?: boolean;
  host?: string;
  ids?: string[];
}

/** Matching servers, oldest first (the service filters, sorts and pages). */
export async function listServers(db: ComputeDb, query: ServerQuery = {}): Promise<Server[]> {
  let select = db.selectFrom('compute_server').selectAll();
  if (query.projectId !== undefined) select = select.where('project_id', '=', query.projectId);
  if (query.deleted !== undefined) select = select.where('deleted', '=', query.deleted);
  if (query.host !== undefined) select = select.where('host', '=', query.host);
  if (query.ids !== undefined) {
    if (query.ids.length === 0) return [];
    select = select.where('id', 'in', query.ids);
  }
  const rows = await select.orderBy('created_at').orderBy('id').execute();
  return rows.map(fromRow);
}

/**
 * Writes `next` if the row is still at `current.revision`; returns the saved
 * server (revision and updated_at advanced) or null when someone else wrote first.
 */
export async function saveServer(db: ComputeDb, current: Server, next: Server): Promise<Server | null> {
  const saved: Server = { ...next, revision: current.revision + 1, updatedAt: nowIso() };
  const { id: _id, created_at: _created, ...set } = toRow(saved);
  const result = await db
    .updateTable('compute_server')
    .set(set)
    .where('id', '=', current.id)
    .where('revision', '=', current.revision)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? saved : null;
}

/** Removes soft-deleted rows (for a purge; Nova's `nova-manage db archive_deleted_rows`). */
export async function purgeServer(db: ComputeDb, id: string): Promise<void> {
  await db.deleteFrom('compute_server').where('id', '=', id).where('deleted', '=', true).execute();
}
