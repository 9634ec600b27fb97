/** The listing parameters of volumes and snapshots: Cinder's filters, sort keys, limit/marker and offset. */
import type { FastifyRequest } from 'fastify';
import { parseListParams, querySingle, withQuery, type Link, type Page, type QueryInput, type SortKey } from '../../core/pagination/index.js';
import type { SnapshotListRequest, VolumeListRequest } from '../service/index.js';
import { errors } from '../errors.js';
import { parseBool, queryDict } from './body.js';

/** Cinder's osapi_max_limit. */
const MAX_LIMIT = 1000;

function query(request: FastifyRequest): QueryInput {
  return request.query as QueryInput;
}

function offset(q: QueryInput): number | undefined {
  const text = querySingle(q, 'offset');
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw errors.invalidInput(`offset must be a non-negative integer, got ${text}.`);
  return Number(text);
}

function allTenants(q: QueryInput): boolean {
  const text = querySingle(q, 'all_tenants');
  return text !== undefined && (text === '' || parseBool(text, 'all_tenants'));
}

export function volumeListRequest(request: FastifyRequest): VolumeListRequest {
  const q = query(request);
  const params = parseListParams(q, {
    sortKeys: ['created_at', 'updated_at', 'id', 'name', 'display_name', 'size', 'status', 'availability_zone'] as const,
    defaultSort: [{ key: 'created_at', dir: 'desc' }],
    maxLimit: MAX_LIMIT,
  });
  const result: VolumeListRequest = { allTenants: allTenants(q), params: { ...params, sort: renameDisplayName(params.sort) } };
  const name = querySingle(q, 'name') ?? querySingle(q, 'display_name');
  if (name !== undefined) result.name = name;
  const status = querySingle(q, 'status');
  if (status !== undefined) result.status = status;
  const az = querySingle(q, 'availability_zone');
  if (az !== undefined) result.availabilityZone = az;
  const groupId = querySingle(q, 'group_id');
  if (groupId !== undefined) result.groupId = groupId;
  const bootable = querySingle(q, 'bootable');
  if (bootable !== undefined) result.bootable = parseBool(bootable, 'bootable');
  const metadata = querySingle(q, 'metadata');
  if (metadata !== undefined) result.metadata = queryDict(metadata, 'metadata');
  const project = querySingle(q, 'project_id');
  if (project !== undefined) result.projectId = project;
  const skip = offset(q);
  if (skip !== undefined) result.offset = skip;
  return result;
}

export function snapshotListRequest(request: FastifyRequest): SnapshotListRequest {
  const q = query(request);
  const params = parseListParams(q, {
    sortKeys: ['created_at', 'updated_at', 'id', 'name', 'display_name', 'size', 'status'] as const,
    defaultSort: [{ key: 'created_at', dir: 'desc' }],
    maxLimit: MAX_LIMIT,
  });
  const result: SnapshotListRequest = { allTenants: allTenants(q), params: { ...params, sort: renameDisplayName(params.sort) } };
  const name = querySingle(q, 'name') ?? querySingle(q, 'display_name');
  if (name !== undefined) result.name = name;
  const status = querySingle(q, 'status');
  if (status !== undefined) result.status = status;
  const volumeId = querySingle(q, 'volume_id');
  if (volumeId !== undefined) result.volumeId = volumeId;
  const skip = offset(q);
  if (skip !== undefined) result.offset = skip;
  return result;
}

/**
 * `<collection>_links`: as Cinder, a next link whenever the page is full
 * (even when nothing follows), marked with the page's last id; the marker
 * replaces any offset.
 */
export function pageLinks(url: string, page: Page<{ id: string }>, limit: number | null): Link[] | undefined {
  const last = page.rows[page.rows.length - 1];
  const full = limit !== null && limit > 0 && page.rows.length === limit;
  if (!last || (!full && page.nextMarker === null)) return undefined;
  return [{ rel: 'next', href: withQuery(url, { marker: last.id, offset: null }) }];
}

/** Cinder still accepts its v1 name for the name sort key. */
function renameDisplayName<K extends string>(sort: Array<SortKey<K | 'display_name'>>): Array<SortKey<Exclude<K, 'display_name'> | 'name'>> {
  return sort.map(({ key, dir }) => ({ key: key === 'display_name' ? 'name' : (key as Exclude<K, 'display_name'>), dir }));
}
