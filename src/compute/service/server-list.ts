/**
 * GET /servers filters as Nova applies them (nova/api/openstack/compute/servers.py
 * and the DB API): regex name and ip matches, status → vm_state, image,
 * flavor, changes-since (deleted servers included), tags (2.26), locked
 * (2.73), admin-only filters; then sort keys and marker/limit.
 */
import { BadRequest } from '../../core/errors.js';
import type { Server } from '../store/index.js';
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
    throw new BadRequest(`Invalid regular expression for ${field}: ${pattern}`);
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
  for (const [key, version] of [['ip', 4], ['ip6', 6]] as const) {
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
    if (at < 0) throw new BadRequest(`marker [${query.marker}] not found`);
    page = sorted.slice(at + 1);
  }
  return page.slice(0, Math.min(query.limit ?? MAX_LIMIT, MAX_LIMIT));
}
