/** /servers: create, list (brief, detail), show, update, delete. Actions are in server-actions.ts. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import { requestErrors } from '../errors.js';
import { atLeast } from '../microversion.js';
import { volumeAttachmentsOf, type Server } from '../store/index.js';
import { allowed, isAdmin } from '../service/access.js';
import { isSortKey, type ServerListFilters, type ServerListQuery } from '../service/server-list.js';
import { nextLinks, resourceLinks, versionOf, V21, type ComputeApi } from './context.js';
import type { DiskConfig } from '../service/servers.js';
import { accessIp, parseCreate, returnReservationId, type CreateBody } from './server-create.js';
import { checkName, withVersionedBody } from './schema.js';
import { createServerBody, updateServerBody } from './schemas/servers.js';
import { briefView, detailView, plainAddresses, type ServerViewContext } from './server-views.js';
import * as v from './validate.js';

/** Everything a server view needs about a set of servers, fetched once for the page. */
export async function viewContext(
  api: ComputeApi,
  request: FastifyRequest,
  auth: CallerContext,
  servers: Server[],
  options: { groups?: boolean } = {},
): Promise<ServerViewContext> {
  const { deps, networking } = api.ops.runtime;
  const ids = servers.map((s) => s.id);
  const [{ addresses, securityGroups }, volumes] = await Promise.all([networking.portViews(ids), volumeAttachmentsOf(deps.db, ids)]);
  const ctx: ServerViewContext = {
    root: api.root,
    version: versionOf(request),
    extendedAttributes: allowed(deps, auth, 'os_compute_api:os-extended-server-attributes'),
    flavorExtraSpecs: allowed(deps, auth, 'os_compute_api:os-flavor-extra-specs:index'),
    admin: isAdmin(deps, auth),
    addresses,
    securityGroups,
    volumes,
  };
  if (options.groups && servers[0]) ctx.serverGroups = servers[0].attrs.serverGroup ? [servers[0].attrs.serverGroup] : [];
  return ctx;
}

/**
 * The server in an update or rebuild reply: before 2.75 Nova's base view,
 * without the extended attributes (OS-EXT-*, key_name, security groups...);
 * from 2.75 the same as show.
 */
export async function updatedServerView(api: ComputeApi, request: FastifyRequest, auth: CallerContext, server: Server): Promise<Record<string, unknown>> {
  const version = versionOf(request);
  const view = detailView(await viewContext(api, request, auth, [server], { groups: atLeast(version, '2.71') }), server);
  if (!atLeast(version, '2.75')) {
    for (const key of Object.keys(view))
      if (/^(OS-EXT-|OS-SRV-USG|key_name$|security_groups$|config_drive$|os-extended-volumes|host_status$)/.test(key)) delete view[key];
    view.addresses = plainAddresses(view.addresses as Record<string, Array<{ version: number; addr: string }>>);
  }
  return view;
}

export async function showServer(api: ComputeApi, request: FastifyRequest, auth: CallerContext, server: Server) {
  return { server: detailView(await viewContext(api, request, auth, [server], { groups: true }), server) };
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/i;

function timestamp(value: string, field: string): Date {
  const date = new Date(value.replace(' ', 'T'));
  if (!TIMESTAMP.test(value) || Number.isNaN(date.getTime())) throw requestErrors.invalidQueryDateTime(field, value);
  return date;
}

/*
 * Servers show `updated` to the second (as Nova's database keeps it) while
 * the store keeps milliseconds; the change filters compare what is shown, so
 * `changes-before` set to a server's own `updated` includes it and
 * `changes-since` a fraction past it does not.
 */
const SECOND_MS = 1000;

/** The stored times whose shown second is at or after `since`: from the next whole second. */
function shownSince(since: Date): string {
  return new Date(Math.ceil(since.getTime() / SECOND_MS) * SECOND_MS).toISOString();
}

/** The stored times whose shown second is at or before `before`: up to that second's last millisecond. */
function shownBefore(before: Date): string {
  return new Date(Math.floor(before.getTime() / SECOND_MS) * SECOND_MS + SECOND_MS - 1).toISOString();
}

function list(value: string | undefined): string[] | undefined {
  return value === undefined
    ? undefined
    : value
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== '');
}

function listQuery(request: FastifyRequest): ServerListQuery {
  const q = request.query;
  const get = (key: string) => v.queryValue(q, key);
  const version = versionOf(request);
  const filters: ServerListFilters = {};
  const set = <K extends keyof ServerListFilters>(key: K, value: ServerListFilters[K] | undefined) => {
    if (value !== undefined) filters[key] = value;
  };
  set('name', get('name'));
  set('status', get('status'));
  set('image', get('image')?.split('/').pop());
  set('flavor', get('flavor')?.split('/').pop());
  const since = get('changes-since');
  if (since !== undefined) filters.changesSince = shownSince(timestamp(since, 'changes-since'));
  const before = atLeast(version, '2.66') ? get('changes-before') : undefined;
  if (before !== undefined) filters.changesBefore = shownBefore(timestamp(before, 'changes-before'));
  set('ip', get('ip'));
  set('ip6', get('ip6'));
  if (atLeast(version, '2.26')) {
    set('tags', list(get('tags')));
    set('tagsAny', list(get('tags-any')));
    set('notTags', list(get('not-tags')));
    set('notTagsAny', list(get('not-tags-any')));
  }
  const locked = atLeast(version, '2.73') ? get('locked') : undefined;
  if (locked !== undefined) filters.locked = v.boolean(locked, 'locked');
  set('host', get('host'));
  set('node', get('node'));
  set('availabilityZone', get('availability_zone'));
  set('keyName', get('key_name'));
  set('userId', get('user_id'));
  set('reservationId', get('reservation_id'));
  set('uuid', get('uuid'));
  set('description', get('description'));
  const allTenants = get('all_tenants');
  if (allTenants !== undefined) filters.allProjects = allTenants === '' ? true : v.boolean(allTenants, 'all_tenants');
  set('projectId', get('project_id') ?? get('tenant_id'));
  const deleted = get('deleted');
  if (deleted !== undefined) filters.deleted = v.boolean(deleted, 'deleted');

  const keys = ((q as Record<string, string | string[]>)['sort_key'] ?? []) as string | string[];
  const dirs = ((q as Record<string, string | string[]>)['sort_dir'] ?? []) as string | string[];
  const keyList = Array.isArray(keys) ? keys : [keys];
  const dirList = Array.isArray(dirs) ? dirs : [dirs];
  const sort = keyList.map((key, i) => {
    if (!isSortKey(key)) throw requestErrors.invalidQuery('sort_key', key);
    const dir = dirList[i] ?? dirList[0] ?? 'desc';
    if (dir !== 'asc' && dir !== 'desc') throw requestErrors.invalidQuery('sort_dir', dir);
    return { key, dir: dir as 'asc' | 'desc' };
  });
  const marker = get('marker');
  return { filters, sort, limit: v.queryInt(q, 'limit'), ...(marker !== undefined ? { marker } : {}) };
}

export function serverRoutes(app: FastifyInstance, api: ComputeApi): void {
  const { ops } = api;

  app.post<{ Body: CreateBody }>(`${V21}/servers`, withVersionedBody(api, createServerBody), async (request, reply) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    const input = parseCreate(request, version);
    const created = await ops.servers.create(auth, input);
    if (returnReservationId(request)) return reply.code(202).send({ reservation_id: created.reservationId });
    const server = created.servers[0] as Server;
    const names = input.securityGroups.length > 0 ? input.securityGroups : ['default'];
    return reply
      .code(202)
      .header('location', `${api.root}${V21}/servers/${server.id}`)
      .send({
        server: {
          id: server.id,
          links: resourceLinks(api.root, 'servers', server.id),
          'OS-DCF:diskConfig': server.attrs.diskConfig,
          security_groups: names.map((name) => ({ name })),
          adminPass: created.adminPass,
        },
      });
  });

  app.get(`${V21}/servers`, async (request) => {
    const auth = await api.authenticate(request);
    const query = listQuery(request);
    const servers = await ops.servers.list(auth, query, false);
    const links = nextLinks(api, request, 'servers', servers, query.limit);
    return { servers: servers.map((s) => briefView(api.root, s)), ...(links ? { servers_links: links } : {}) };
  });

  app.get(`${V21}/servers/detail`, async (request) => {
    const auth = await api.authenticate(request);
    const query = listQuery(request);
    const servers = await ops.servers.list(auth, query, true);
    const ctx = await viewContext(api, request, auth, servers);
    const links = nextLinks(api, request, 'servers/detail', servers, query.limit);
    return { servers: servers.map((s) => detailView(ctx, s)), ...(links ? { servers_links: links } : {}) };
  });

  app.get<{ Params: { id: string } }>(`${V21}/servers/:id`, async (request) => {
    const auth = await api.authenticate(request);
    const server = await ops.servers.get(auth, request.params.id);
    return showServer(api, request, auth, server);
  });

  type UpdateBody = { server: { name?: string; description?: string | null; accessIPv4?: string; accessIPv6?: string; 'OS-DCF:diskConfig'?: DiskConfig } };
  app.put<{ Params: { id: string }; Body: UpdateBody }>(`${V21}/servers/:id`, withVersionedBody(api, updateServerBody), async (request) => {
    const auth = await api.authenticate(request);
    const body = request.body.server;
    const server = await ops.servers.update(auth, request.params.id, {
      ...(body.name !== undefined ? { name: checkName(body.name) } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.accessIPv4 !== undefined ? { accessIPv4: accessIp(body.accessIPv4, 'accessIPv4') } : {}),
      ...(body.accessIPv6 !== undefined ? { accessIPv6: accessIp(body.accessIPv6, 'accessIPv6') } : {}),
      ...(body['OS-DCF:diskConfig'] !== undefined ? { diskConfig: body['OS-DCF:diskConfig'] } : {}),
    });
    return { server: await updatedServerView(api, request, auth, server) };
  });

  app.delete<{ Params: { id: string } }>(`${V21}/servers/:id`, async (request, reply) => {
    const auth = await api.authenticate(request);
    await ops.servers.delete(auth, request.params.id, request.id);
    return reply.code(204).send();
  });
}
