/**
 * GET /servers filters as Nova applies them (nova/api/openstack/compute/servers.py
 * and the DB API): regex name and ip matches, status → vm_state, image,
 * flavor, changes-since (deleted servers included), tags (2.26), locked
 * (2.73), admin-only filters; then sort keys and marker/limit.
 *
 * Filters and sort keys on server columns run in SQL, sorted and paged with
 * a keyset (`store.pageServers`), so a page costs the same at 10,000
 * servers as at 10. The rest (regexes, ips, tags and the attributes kept in
 * JSON) need the rows in memory: such a listing reads the rows the column
 * filters leave and filters, sorts and pages them here.
 */
import { requestErrors } from '../errors.js';
import { SERVER_SORT_COLUMNS, type Server, type ServerQuery, type ServerSortColumnKey } from '../store/index.js';
import type { AddressEntry } from './networking.js';
import { vmStatesForStatus } from './states.js';

export interface ServerListFilters {
  name?: string;
  status?: string;
  image?: string;
  flavor?: string;
  changesSince?: string;
  changesBefore?: string;
  ip?: string;
  ip6?: string;
  tags?: string[];
  tagsAny?: string[];
  notTags?: string[];
  notTagsAny?: string[];
  locked?: boolean;
  host?: string;
  node?: string;
  availabilityZone?: string;
  keyName?: string;
  userId?: string;
  reservationId?: string;
  uuid?: string;
  description?: string;
  /** Admins: every project (`all_tenants`), or one (`project_id`/`tenant_id`). */
  allProjects?: boolean;
  projectId?: string;
  /** Admins: `deleted=true` lists deleted servers only. */
  deleted?: boolean;
}

export interface ServerListQuery {
  filters: ServerListFilters;
  sort: Array<{ key: string; dir: 'asc' | 'desc' }>;
  limit?: number;
  marker?: string;
}

/** Nova's osapi_max_limit. */
export const MAX_LIMIT = 1000;

const SORT_FIELDS: Record<string, (s: Server) => string | number | null> = {
  created_at: (s) => s.createdAt,
  updated_at: (s) => s.updatedAt,
  display_name: (s) => s.name,
  uuid: (s) => s.id,
  vm_state: (s) => s.vmState,
  task_state: (s) => s.taskState,
  power_state: (s) => s.powerState,
  host: (s) => s.host,
  node: (s) => s.node,
  image_ref: (s) => s.imageRef,
  instance_type_id: (s) => s.flavorId,
  project_id: (s) => s.projectId,
  user_id: (s) => s.userId,
  key_name: (s) => s.attrs.keyName,
  launched_at: (s) => s.attrs.launchedAt,
  terminated_at: (s) => s.attrs.terminatedAt,
  locked: (s) => (s.locked ? 1 : 0),
  availability_zone: (s) => s.attrs.availabilityZone,
  display_description: (s) => s.attrs.description,
  access_ip_v4: (s) => s.attrs.accessIPv4,
  access_ip_v6: (s) => s.attrs.accessIPv6,
  hostname: (s) => s.attrs.hostname,
  root_device_name: () => null,
  kernel_id: () => null,
  ramdisk_id: () => null,
  config_drive: (s) => s.attrs.configDrive,
  progress: () => 0,
  launch_index: (s) => s.attrs.launchIndex,
  id: (s) => s.createdAt,
};

export function isSortKey(key: string): boolean {
  return key in SORT_FIELDS;
}

function regex(pattern: string, field: string): RegExp {
  try {
    return new RegExp(pattern, 'i');
  } catch {
    throw requestErrors.invalidRegex(field, pattern);
  }
}

/** Servers matching `filters`; `addresses` only needed for the ip filters. */
export function filterServers(servers: Server[], filters: ServerListFilters, addresses: Map<string, Record<string, AddressEntry[]>>): Server[] {
  let result = servers;
  const keep = (test: (s: Server) => boolean) => (result = result.filter(test));
  if (filters.name !== undefined) {
    const re = regex(filters.name, 'name');
    keep((s) => re.test(s.name));
  }
  if (filters.status !== undefined) {
    const states = vmStatesForStatus(filters.status) ?? [];
    keep((s) => states.includes(s.vmState));
  }
  if (filters.image !== undefined) keep((s) => s.imageRef === filters.image);
  if (filters.flavor !== undefined) keep((s) => s.flavorId === filters.flavor);
  if (filters.changesSince !== undefined) keep((s) => s.updatedAt >= (filters.changesSince as string));
  if (filters.changesBefore !== undefined) keep((s) => s.updatedAt <= (filters.changesBefore as string));
  for (const [key, version] of [
    ['ip', 4],
    ['ip6', 6],
  ] as const) {
    const pattern = filters[key];
    if (pattern === undefined) continue;
    const re = regex(pattern, key);
    keep((s) => Object.values(addresses.get(s.id) ?? {}).some((list) => list.some((a) => a.version === version && re.test(a.addr))));
  }
  const tags = (s: Server) => s.attrs.tags;
  if (filters.tags) keep((s) => (filters.tags as string[]).every((t) => tags(s).includes(t)));
  if (filters.tagsAny) keep((s) => (filters.tagsAny as string[]).some((t) => tags(s).includes(t)));
  if (filters.notTags) keep((s) => !(filters.notTags as string[]).every((t) => tags(s).includes(t)));
  if (filters.notTagsAny) keep((s) => !(filters.notTagsAny as string[]).some((t) => tags(s).includes(t)));
  if (filters.locked !== undefined) keep((s) => s.locked === filters.locked);
  if (filters.host !== undefined) keep((s) => s.host === filters.host);
  if (filters.node !== undefined) keep((s) => s.node === filters.node);
  if (filters.availabilityZone !== undefined) keep((s) => s.attrs.availabilityZone === filters.availabilityZone);
  if (filters.keyName !== undefined) keep((s) => s.attrs.keyName === filters.keyName);
  if (filters.userId !== undefined) keep((s) => s.userId === filters.userId);
  if (filters.reservationId !== undefined) keep((s) => s.attrs.reservationId === filters.reservationId);
  if (filters.uuid !== undefined) keep((s) => s.id === filters.uuid);
  if (filters.description !== undefined) {
    const re = regex(filters.description, 'description');
    keep((s) => re.test(s.attrs.description ?? ''));
  }
  return result;
}

export function sortAndPage(servers: Server[], query: ServerListQuery): Server[] {
  const sort = query.sort.length > 0 ? query.sort : [{ key: 'created_at', dir: 'desc' as const }];
  const withTieBreak = [...sort, { key: 'uuid', dir: sort[0]?.dir ?? 'desc' }];
  const sorted = [...servers].sort((a, b) => {
    for (const { key, dir } of withTieBreak) {
      const get = SORT_FIELDS[key] as (s: Server) => string | number | null;
      const x = get(a);
      const y = get(b);
      if (x === y) continue;
      if (x === null) return dir === 'asc' ? -1 : 1;
      if (y === null) return dir === 'asc' ? 1 : -1;
      return (x < y ? -1 : 1) * (dir === 'asc' ? 1 : -1);
    }
    return 0;
  });
  let page = sorted;
  if (query.marker !== undefined) {
    const at = sorted.findIndex((s) => s.id === query.marker);
    if (at < 0) throw requestErrors.markerNotFound(query.marker);
    page = sorted.slice(at + 1);
  }
  return page.slice(0, pageLimit(query));
}

/** Filters only the in-memory path can apply. */
const MEMORY_FILTERS = [
  'name',
  'ip',
  'ip6',
  'tags',
  'tagsAny',
  'notTags',
  'notTagsAny',
  'availabilityZone',
  'keyName',
  'reservationId',
  'description',
] as const;

const isColumnSort = (key: string): key is ServerSortColumnKey => key in SERVER_SORT_COLUMNS;

/** The query's sort when every key is a column (so SQL can page it), else null. */
export function columnSort(query: ServerListQuery): Array<{ key: ServerSortColumnKey; dir: 'asc' | 'desc' }> | null {
  if (MEMORY_FILTERS.some((key) => query.filters[key] !== undefined)) return null;
  const sort = query.sort.length > 0 ? query.sort : [{ key: 'created_at', dir: 'desc' as const }];
  const out: Array<{ key: ServerSortColumnKey; dir: 'asc' | 'desc' }> = [];
  for (const { key, dir } of sort) {
    if (!isColumnSort(key)) return null;
    out.push({ key, dir });
  }
  return out;
}

/** The filters that are conditions on server columns. */
export function columnConditions(filters: ServerListFilters): ServerQuery {
  const out: ServerQuery = {};
  if (filters.status !== undefined) out.vmStates = vmStatesForStatus(filters.status) ?? [];
  if (filters.image !== undefined) out.imageRef = filters.image;
  if (filters.flavor !== undefined) out.flavorId = filters.flavor;
  if (filters.changesSince !== undefined) out.updatedSince = filters.changesSince;
  if (filters.changesBefore !== undefined) out.updatedBefore = filters.changesBefore;
  if (filters.host !== undefined) out.host = filters.host;
  if (filters.node !== undefined) out.node = filters.node;
  if (filters.userId !== undefined) out.userId = filters.userId;
  if (filters.uuid !== undefined) out.ids = [filters.uuid];
  if (filters.locked !== undefined) out.locked = filters.locked;
  return out;
}

export const pageLimit = (query: ServerListQuery) => Math.min(query.limit ?? MAX_LIMIT, MAX_LIMIT);
