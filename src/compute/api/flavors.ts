/** /flavors: list (brief and detail), show, admin create/update/delete, extra specs, flavor access. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequest } from '../../core/errors.js';
import type { Microversion } from '../../core/microversions.js';
import { atLeast } from '../microversion.js';
import type { Flavor } from '../store/index.js';
import type { FlavorListQuery } from '../service/flavors.js';
import { nextLinks, resourceLinks, versionOf, V21, type ComputeApi } from './context.js';
import * as v from './validate.js';

export function flavorView(api: ComputeApi, flavor: Flavor, version: Microversion, options: { extraSpecs?: boolean } = {}) {
  const view: Record<string, unknown> = {
    id: flavor.id,
    name: flavor.name,
    ram: flavor.memoryMb,
    disk: flavor.rootGb,
    swap: flavor.swap === 0 && !atLeast(version, '2.75') ? '' : flavor.swap,
    'OS-FLV-EXT-DATA:ephemeral': flavor.ephemeralGb,
    'OS-FLV-DISABLED:disabled': flavor.disabled,
    vcpus: flavor.vcpus,
    'os-flavor-access:is_public': flavor.isPublic,
    rxtx_factor: flavor.rxtxFactor,
    links: resourceLinks(api.root, 'flavors', flavor.id),
  };
  if (atLeast(version, '2.55')) view.description = flavor.description;
  if (atLeast(version, '2.61') && options.extraSpecs) view.extra_specs = flavor.extraSpecs;
  return view;
}

function briefView(api: ComputeApi, flavor: Flavor, version: Microversion) {
  const view: Record<string, unknown> = { id: flavor.id, name: flavor.name, links: resourceLinks(api.root, 'flavors', flavor.id) };
  if (atLeast(version, '2.55')) view.description = flavor.description;
  return view;
}

const SORT_KEYS = ['flavorid', 'name', 'memory_mb', 'vcpus', 'root_gb', 'swap', 'ephemeral_gb', 'rxtx_factor', 'id', 'created_at'];

function listQuery(request: FastifyRequest): FlavorListQuery {
  const q = request.query;
  const isPublic = v.queryValue(q, 'is_public');
  const sortKey = v.queryValue(q, 'sort_key') ?? 'flavorid';
  const sortDir = v.queryValue(q, 'sort_dir') ?? 'asc';
  if (!SORT_KEYS.includes(sortKey)) throw new BadRequest(`Invalid input for query parameters sort_key. Value: ${sortKey}.`);
  if (sortDir !== 'asc' && sortDir !== 'desc') throw new BadRequest(`Invalid input for query parameters sort_dir. Value: ${sortDir}.`);
  const marker = v.queryValue(q, 'marker');
  return {
    isPublic: isPublic === undefined ? true : isPublic.toLowerCase() === 'none' ? null : v.boolean(isPublic, 'is_public'),
    minDisk: v.queryInt(q, 'minDisk'),
    minRam: v.queryInt(q, 'minRam'),
    sortKey: sortKey as FlavorListQuery['sortKey'],
    sortDir,
    limit: v.queryInt(q, 'limit'),
    ...(marker !== undefined ? { marker } : {}),
  };
}

export function flavorRoutes(app: FastifyInstance, api: ComputeApi): void {
  const { ops } = api;
  const list = (detail: boolean) => async (request: FastifyRequest) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    const query = listQuery(request);
    const flavors = await ops.flavors.list(auth, query);
    const extraSpecs = ops.flavors.canSeeExtraSpecs(auth);
    const links = nextLinks(api, request, detail ? 'flavors/detail' : 'flavors', flavors, query.limit);
    return {
      flavors: flavors.map((f) => (detail ? flavorView(api, f, version, { extraSpecs }) : briefView(api, f, version))),
      ...(links ? { flavors_links: links } : {}),
    };
  };
  app.get(`${V21}/flavors`, list(false));
  app.get(`${V21}/flavors/detail`, list(true));

  app.get<{ Params: { id: string } }>(`${V21}/flavors/:id`, async (request) => {
    const auth = await api.authenticate(request);
    const flavor = await ops.flavors.get(auth, request.params.id);
    return { flavor: flavorView(api, flavor, versionOf(request), { extraSpecs: ops.flavors.canSeeExtraSpecs(auth) }) };
  });

  app.post(`${V21}/flavors`, async (request) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    const body = v.envelope(request.body, 'flavor');
    const allowed = ['name', 'id', 'ram', 'vcpus', 'disk', 'OS-FLV-EXT-DATA:ephemeral', 'swap', 'rxtx_factor', 'os-flavor-access:is_public'];
    if (atLeast(version, '2.55')) allowed.push('description');
    v.onlyKeys(body, allowed, 'flavor');
    const id = body.id === undefined || body.id === null ? null : v.string(body.id, 'id', { min: 1, max: 255, pattern: /^(?! )[a-zA-Z0-9. _-]+(?<! )$/ });
    const flavor = await ops.flavors.create(auth, {
      name: v.string(body.name, 'name', { min: 1, max: 255, trim: true }),
      id,
      ram: v.integer(body.ram, 'ram', { min: 1 }),
      vcpus: v.integer(body.vcpus, 'vcpus', { min: 1 }),
      disk: v.integer(body.disk, 'disk', { min: 0 }),
      ephemeral: body['OS-FLV-EXT-DATA:ephemeral'] === undefined ? 0 : v.integer(body['OS-FLV-EXT-DATA:ephemeral'], 'OS-FLV-EXT-DATA:ephemeral', { min: 0 }),
      swap: body.swap === undefined || body.swap === '' ? 0 : v.integer(body.swap, 'swap', { min: 0 }),
      rxtxFactor: body.rxtx_factor === undefined ? 1 : rxtx(body.rxtx_factor),
      isPublic: body['os-flavor-access:is_public'] === undefined ? true : v.boolean(body['os-flavor-access:is_public'], 'os-flavor-access:is_public'),
      description: body.description === undefined || body.description === null ? null : v.string(body.description, 'description', { max: 65535 }),
    });
    return { flavor: flavorView(api, flavor, version, { extraSpecs: ops.flavors.canSeeExtraSpecs(auth) }) };
  });

  app.put<{ Params: { id: string } }>(`${V21}/flavors/:id`, async (request) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    if (!atLeast(version, '2.55')) throw new BadRequest('Updating a flavor requires microversion 2.55 or later.', {});
    const body = v.envelope(request.body, 'flavor');
    v.onlyKeys(body, ['description'], 'flavor');
    if (!('description' in body)) throw new BadRequest("Invalid input for field/attribute flavor. 'description' is a required property");
    const description = body.description === null ? null : v.string(body.description, 'description', { max: 65535 });
    const flavor = await ops.flavors.updateDescription(auth, request.params.id, description);
    return { flavor: flavorView(api, flavor, version, { extraSpecs: ops.flavors.canSeeExtraSpecs(auth) }) };
  });

  app.delete<{ Params: { id: string } }>(`${V21}/flavors/:id`, async (request, reply) => {
    const auth = await api.authenticate(request);
    await ops.flavors.delete(auth, request.params.id);
    return reply.code(202).send();
  });

  extraSpecRoutes(app, api);
  accessRoutes(app, api);
}

function rxtx(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) throw v.invalid('rxtx_factor', value, 'must be a number greater than 0');
  return n;
}

function extraSpecRoutes(app: FastifyInstance, api: ComputeApi): void {
  const { ops } = api;
  const base = `${V21}/flavors/:id/os-extra_specs`;
  app.get<{ Params: { id: string } }>(base, async (request) => {
    const auth = await api.authenticate(request);
    return { extra_specs: await ops.flavors.extraSpecs(auth, request.params.id) };
  });
  app.post<{ Params: { id: string } }>(base, async (request) => {
    const auth = await api.authenticate(request);
    const specs = v.stringMap(v.envelope(request.body, 'extra_specs'), 'extra_specs');
    return { extra_specs: await ops.flavors.setExtraSpecs(auth, request.params.id, specs, 'create') };
  });
  app.get<{ Params: { id: string; key: string } }>(`${base}/:key`, async (request) => {
    const auth = await api.authenticate(request);
    const value = await ops.flavors.extraSpec(auth, request.params.id, request.params.key);
    return { [request.params.key]: value };
  });
  app.put<{ Params: { id: string; key: string } }>(`${base}/:key`, async (request) => {
    const auth = await api.authenticate(request);
    const specs = v.stringMap(request.body, 'extra_specs');
    const keys = Object.keys(specs);
    if (keys.length !== 1) throw new BadRequest('Request body contains too many items');
    if (keys[0] !== request.params.key) throw new BadRequest('Request body and URI mismatch');
    await ops.flavors.setExtraSpecs(auth, request.params.id, specs, 'update');
    return specs;
  });
  app.delete<{ Params: { id: string; key: string } }>(`${base}/:key`, async (request, reply) => {
    const auth = await api.authenticate(request);
    await ops.flavors.deleteExtraSpec(auth, request.params.id, request.params.key);
    return reply.code(200).send();
  });
}

function accessRoutes(app: FastifyInstance, api: ComputeApi): void {
  const { ops } = api;
  const view = (flavorId: string, projects: string[]) => ({ flavor_access: projects.map((tenant_id) => ({ flavor_id: flavorId, tenant_id })) });
  app.get<{ Params: { id: string } }>(`${V21}/flavors/:id/os-flavor-access`, async (request) => {
    const auth = await api.authenticate(request);
    return view(request.params.id, await ops.flavors.access(auth, request.params.id));
  });
  app.post<{ Params: { id: string } }>(`${V21}/flavors/:id/action`, async (request) => {
    const auth = await api.authenticate(request);
    const body = v.object(request.body, 'body');
    const [action] = Object.keys(body);
    if (action !== 'addTenantAccess' && action !== 'removeTenantAccess') throw new BadRequest('There is no such action: ' + String(action));
    const tenant = v.string(v.object(body[action], action).tenant, 'tenant', { min: 1, max: 255 });
    const projects = action === 'addTenantAccess' ? await ops.flavors.addAccess(auth, request.params.id, tenant) : await ops.flavors.removeAccess(auth, request.params.id, tenant);
    return view(request.params.id, projects);
  });
}
