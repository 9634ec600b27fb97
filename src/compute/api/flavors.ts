/** /flavors: list (brief and detail), show, admin create/update/delete, extra specs, flavor access. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Microversion } from '../../core/microversions.js';
import { flavorErrors, requestErrors } from '../errors.js';
import { atLeast } from '../microversion.js';
import type { Flavor } from '../store/index.js';
import type { FlavorListQuery } from '../service/flavors.js';
import { nextLinks, resourceLinks, versionOf, V21, type ComputeApi } from './context.js';
import { withBody, withVersionedBody } from './schema.js';
import { createExtraSpecs, createFlavor, flavorAccessAction, updateExtraSpec, updateFlavor } from './schemas/flavors.js';
import * as v from './validate.js';

/** A flavor create body as its schema admits it: sizes may be strings of digits. */
interface FlavorBody {
  name: string;
  id?: string | number | null;
  ram: number | string;
  vcpus: number | string;
  disk: number | string;
  'OS-FLV-EXT-DATA:ephemeral'?: number | string;
  swap?: number | string;
  rxtx_factor?: number | string;
  'os-flavor-access:is_public'?: boolean | string;
  description?: string | null;
}

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
  if (!SORT_KEYS.includes(sortKey)) throw requestErrors.invalidQuery('sort_key', sortKey);
  if (sortDir !== 'asc' && sortDir !== 'desc') throw requestErrors.invalidQuery('sort_dir', sortDir);
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

  app.post<{ Body: { flavor: FlavorBody } }>(`${V21}/flavors`, withVersionedBody(api, createFlavor), async (request) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    const body = request.body.flavor;
    // Nova strips the name before it stores it: all blanks are no name.
    const name = body.name.trim();
    if (name === '') throw requestErrors.invalidField('name', body.name, `'${body.name}' is too short`);
    // Numbers may come as strings of digits: converted (and their range checked) here, as Nova's validator does.
    const flavor = await ops.flavors.create(auth, {
      name,
      id: typeof body.id === 'number' ? String(body.id) : (body.id ?? null),
      ram: v.integer(body.ram, 'ram', { min: 1 }),
      vcpus: v.integer(body.vcpus, 'vcpus', { min: 1 }),
      disk: v.integer(body.disk, 'disk', { min: 0 }),
      ephemeral: body['OS-FLV-EXT-DATA:ephemeral'] === undefined ? 0 : v.integer(body['OS-FLV-EXT-DATA:ephemeral'], 'OS-FLV-EXT-DATA:ephemeral', { min: 0 }),
      swap: body.swap === undefined || body.swap === '' ? 0 : v.integer(body.swap, 'swap', { min: 0 }),
      rxtxFactor: body.rxtx_factor === undefined ? 1 : rxtx(body.rxtx_factor),
      isPublic: body['os-flavor-access:is_public'] === undefined ? true : v.boolean(body['os-flavor-access:is_public'], 'os-flavor-access:is_public'),
      description: body.description ?? null,
    });
    return { flavor: flavorView(api, flavor, version, { extraSpecs: ops.flavors.canSeeExtraSpecs(auth) }) };
  });

  app.put<{ Params: { id: string }; Body: { flavor: { description: string | null } } }>(
    `${V21}/flavors/:id`,
    withVersionedBody(api, updateFlavor),
    async (request) => {
      const auth = await api.authenticate(request);
      const version = versionOf(request);
      if (!atLeast(version, '2.55')) throw flavorErrors.updateNeeds255();
      const flavor = await ops.flavors.updateDescription(auth, request.params.id, request.body.flavor.description);
      return { flavor: flavorView(api, flavor, version, { extraSpecs: ops.flavors.canSeeExtraSpecs(auth) }) };
    },
  );

  app.delete<{ Params: { id: string } }>(`${V21}/flavors/:id`, async (request, reply) => {
    const auth = await api.authenticate(request);
    await ops.flavors.delete(auth, request.params.id);
    return reply.code(202).send();
  });

  extraSpecRoutes(app, api);
  accessRoutes(app, api);
}

function rxtx(value: number | string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw requestErrors.invalidField('rxtx_factor', String(value), 'must be a number greater than 0');
  return n;
}

function extraSpecRoutes(app: FastifyInstance, api: ComputeApi): void {
  const { ops } = api;
  const base = `${V21}/flavors/:id/os-extra_specs`;
  app.get<{ Params: { id: string } }>(base, async (request) => {
    const auth = await api.authenticate(request);
    return { extra_specs: await ops.flavors.extraSpecs(auth, request.params.id) };
  });
  app.post<{ Params: { id: string }; Body: { extra_specs: Record<string, string> } }>(base, withBody(api, createExtraSpecs), async (request) => {
    const auth = await api.authenticate(request);
    const specs = request.body.extra_specs;
    return { extra_specs: await ops.flavors.setExtraSpecs(auth, request.params.id, specs, 'create') };
  });
  app.get<{ Params: { id: string; key: string } }>(`${base}/:key`, async (request) => {
    const auth = await api.authenticate(request);
    const value = await ops.flavors.extraSpec(auth, request.params.id, request.params.key);
    return { [request.params.key]: value };
  });
  app.put<{ Params: { id: string; key: string }; Body: Record<string, string> }>(`${base}/:key`, withBody(api, updateExtraSpec), async (request) => {
    const auth = await api.authenticate(request);
    const specs = request.body;
    const keys = Object.keys(specs);
    if (keys.length !== 1) throw requestErrors.tooManyItems();
    if (keys[0] !== request.params.key) throw requestErrors.bodyUriMismatch();
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
  type AccessBody = { addTenantAccess?: { tenant: string }; removeTenantAccess?: { tenant: string } };
  app.post<{ Params: { id: string }; Body: AccessBody }>(`${V21}/flavors/:id/action`, withBody(api, flavorAccessAction), async (request) => {
    const auth = await api.authenticate(request);
    const [action] = Object.keys(request.body);
    if (action !== 'addTenantAccess' && action !== 'removeTenantAccess') throw requestErrors.noSuchAction(String(action));
    const tenant = (request.body[action] as { tenant: string }).tenant;
    const projects =
      action === 'addTenantAccess'
        ? await ops.flavors.addAccess(auth, request.params.id, tenant)
        : await ops.flavors.removeAccess(auth, request.params.id, tenant);
    return view(request.params.id, projects);
  });
}
