/**
 * Nova's floating IP proxy to the network service with the caller's
 * context: os-floating-ips (list, show, allocate from a pool, release) and
 * os-floating-ip-pools, gone at 2.36; the addFloatingIp/removeFloatingIp
 * server actions, gone at 2.44. Nova's answers and wording throughout
 * (nova/api/openstack/compute/floating_ips.py).
 */
import type { FastifyInstance } from 'fastify';
import { isIP } from 'node:net';
import type { CallerContext } from '../../core/context.js';
import { NimbusError } from '../../core/errors.js';
import type { FloatingIpInfo, NetworkInfo } from '../../network/operations.js';
import { proxyErrors, requestErrors } from '../errors.js';
import { authorize } from '../service/access.js';
import { V21, type ComputeApi } from './context.js';
import { orNotFound, proxyBody, proxyVersion } from './proxy-gate.js';
import { strictObject } from './schemas/parameter-types.js';
import { accepted } from './server-actions.js';
import { actionRoute, type ActionCall, type ServerActionRoute } from './server-action-route.js';

type IdParams = { Params: { id: string } };

/** The add/remove actions live until 2.43. */
const ACTIONS_GONE = '2.44';

const check = (api: ComputeApi, auth: CallerContext, rule: string) => authorize(api.ops.runtime.deps, auth, `os_compute_api:os-floating-ips:${rule}`);
const network = (api: ComputeApi) => api.ops.runtime.deps.peers.network();

/** Nova's view: the pool is the external network's name (its id when unnamed), the instance the port's device. */
async function floatingIpViews(api: ComputeApi, auth: CallerContext, ips: FloatingIpInfo[]) {
  const net = network(api);
  const networks = new Map((await net.networks.list(auth)).map((n) => [n.id, n]));
  const devices = new Map<string, string>();
  for (const ip of ips) {
    if (ip.portId === null || devices.has(ip.portId)) continue;
    const port = await net.ports.get(auth, ip.portId).catch(() => null);
    if (port) devices.set(ip.portId, port.deviceId);
  }
  return ips.map((ip) => ({
    id: ip.id,
    ip: ip.floatingIpAddress,
    pool: networks.get(ip.floatingNetworkId)?.name || ip.floatingNetworkId,
    fixed_ip: ip.fixedIpAddress,
    instance_id: ip.portId === null ? null : devices.get(ip.portId) || null,
  }));
}

async function floatingIpView(api: ComputeApi, auth: CallerContext, ip: FloatingIpInfo) {
  const [view] = await floatingIpViews(api, auth, [ip]);
  return { floating_ip: view };
}

/** The external network named (or with the id) `pool`: Nova's FloatingIpPoolNotFound otherwise. */
async function poolNetwork(api: ComputeApi, auth: CallerContext, pool: string): Promise<NetworkInfo> {
  const external = (await network(api).networks.list(auth)).filter((n) => n.external);
  const found = external.find((n) => n.id === pool) ?? external.find((n) => n.name === pool);
  if (!found) throw proxyErrors.floatingIpPoolNotFound();
  return found;
}

export function floatingIpRoutes(app: FastifyInstance, api: ComputeApi): void {
  const byId = (auth: CallerContext, id: string) =>
    orNotFound(
      () => network(api).floatingIps.get(auth, id),
      () => proxyErrors.floatingIpNotFound(id),
    );

  app.get(`${V21}/os-floating-ips`, async (request) => {
    const auth = await api.authenticate(request);
    proxyVersion(request);
    check(api, auth, 'list');
    const mine = (await network(api).floatingIps.list(auth)).filter((ip) => ip.projectId === auth.project?.id);
    return { floating_ips: await floatingIpViews(api, auth, mine) };
  });
  app.get<IdParams>(`${V21}/os-floating-ips/:id`, async (request) => {
    const auth = await api.authenticate(request);
    proxyVersion(request);
    check(api, auth, 'show');
    return floatingIpView(api, auth, await byId(auth, request.params.id));
  });
  app.post<{ Body: { pool?: string } | null }>(
    `${V21}/os-floating-ips`,
    proxyBody(api, { type: ['object', 'null'], properties: { pool: { type: ['string', 'null'] } }, additionalProperties: false }),
    async (request) => {
      const auth = await api.authenticate(request);
      check(api, auth, 'create');
      const pool = request.body?.pool ?? api.ops.runtime.deps.config.default_floating_pool;
      const external = await poolNetwork(api, auth, pool);
      const created = await network(api)
        .floatingIps.create(auth, { floatingNetworkId: external.id })
        .catch((error: unknown) => {
          if (error instanceof NimbusError && error.type === 'IpAddressGenerationFailure') throw proxyErrors.noMoreFloatingIps(pool);
          if (error instanceof NimbusError && error.type === 'OverQuota') throw proxyErrors.floatingIpOverQuota(pool);
          if (error instanceof NimbusError && error.status === 400) throw proxyErrors.refused(error.message);
          throw error;
        });
      return floatingIpView(api, auth, created);
    },
  );
  app.delete<IdParams>(`${V21}/os-floating-ips/:id`, async (request, reply) => {
    const auth = await api.authenticate(request);
    proxyVersion(request);
    check(api, auth, 'delete');
    const ip = await byId(auth, request.params.id);
    // Releasing an address also ends its association, as Neutron's delete does.
    await orNotFound(
      () => network(api).floatingIps.delete(auth, ip.id),
      () => proxyErrors.floatingIpNotFound(ip.id),
    );
    return reply.code(202).send();
  });

  app.get(`${V21}/os-floating-ip-pools`, async (request) => {
    const auth = await api.authenticate(request);
    proxyVersion(request);
    authorize(api.ops.runtime.deps, auth, 'os_compute_api:os-floating-ip-pools');
    const external = (await network(api).networks.list(auth)).filter((n) => n.external);
    return { floating_ip_pools: external.map((n) => ({ name: n.name || n.id })) };
  });
}

/** The floating IP at `address` the caller sees: Nova's "floating IP not found" otherwise. */
async function byAddress(api: ComputeApi, auth: CallerContext, address: string): Promise<FloatingIpInfo> {
  const ip = (await network(api).floatingIps.list(auth)).find((candidate) => candidate.floatingIpAddress === address);
  if (!ip) throw proxyErrors.floatingIpAddressNotFound();
  return ip;
}

const IP_ADDRESS = { type: 'string' };

/** Nova's ip_address parameter (ipv4 or ipv6 format), worded as jsonschema words a failed oneOf. */
function ipAddress(value: string, field: string): string {
  if (isIP(value) === 0) throw requestErrors.invalidField(field, value, `'${value}' is not valid under any of the given schemas`);
  return value;
}

async function addFloatingIp(call: ActionCall, input: { address: string; fixed_address?: string }): Promise<unknown> {
  const { api, auth } = call;
  ipAddress(input.address, 'address');
  if (input.fixed_address !== undefined) ipAddress(input.fixed_address, 'fixed_address');
  const server = await api.ops.servers.get(auth, call.req.serverId);
  check(api, auth, 'add');
  const ports = await network(api).ports.listWhere(auth, { deviceId: server.id });
  if (ports.length === 0) throw proxyErrors.networkNotReady();
  const fixed = ports.flatMap((port) => port.fixedIps.map((f) => ({ port, address: f.ipAddress })));
  if (fixed.length === 0) throw proxyErrors.noFixedIps();
  const chosen = input.fixed_address !== undefined ? fixed.find((f) => f.address === input.fixed_address) : fixed.find((f) => !f.address.includes(':'));
  if (!chosen) {
    if (input.fixed_address !== undefined) throw proxyErrors.fixedAddressNotOnServer();
    throw proxyErrors.noFixedIpv4(input.address, server.id);
  }
  const ip = await byAddress(api, auth, input.address);
  try {
    // Neutron moves an address already associated elsewhere, as Nova relies on.
    await network(api).floatingIps.associate(auth, ip.id, chosen.port.id, chosen.address);
  } catch (error) {
    if (!(error instanceof NimbusError) || error.status === 403 || error.status >= 500) throw error;
    throw proxyErrors.refused(
      `Unable to associate floating IP ${input.address} to fixed IP ${chosen.address} for instance ${server.id}. Error: ${error.message}`,
    );
  }
  return accepted(call);
}

async function removeFloatingIp(call: ActionCall, input: { address: string }): Promise<unknown> {
  const { api, auth } = call;
  const ip = await byAddress(api, auth, ipAddress(input.address, 'address'));
  const port =
    ip.portId === null
      ? null
      : await network(api)
          .ports.get(auth, ip.portId)
          .catch(() => null);
  if (port && port.deviceId) {
    // The server holding the address decides the policy target, as in Nova.
    const holder = await api.ops.servers.get(auth, port.deviceId);
    check(api, auth, 'remove');
    if (holder.id === call.req.serverId) {
      await network(api).floatingIps.disassociate(auth, ip.id);
      return accepted(call);
    }
  } else {
    check(api, auth, 'remove');
  }
  throw proxyErrors.floatingIpNotAssociated(input.address, call.req.serverId);
}

export const FLOATING_IP_ACTIONS: ServerActionRoute<never>[] = [
  actionRoute<{ address: string; fixed_address?: string }>({
    key: 'addFloatingIp',
    body: [
      { from: '2.1', to: '2.43', value: strictObject({ address: IP_ADDRESS, fixed_address: IP_ADDRESS }, ['address']) },
      { from: ACTIONS_GONE, value: null },
    ],
    perform: addFloatingIp,
  }),
  actionRoute<{ address: string }>({
    key: 'removeFloatingIp',
    body: [
      { from: '2.1', to: '2.43', value: strictObject({ address: IP_ADDRESS }, ['address']) },
      { from: ACTIONS_GONE, value: null },
    ],
    perform: removeFloatingIp,
  }),
];
