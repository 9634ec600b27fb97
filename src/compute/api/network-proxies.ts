/**
 * Nova's read-only network proxies to the network service with the caller's
 * context, gone at 2.36 (404) as in Nova: os-networks (nova-network's
 * fields, of which Neutron fills only the id and label, more fields for
 * admins) and os-tenant-networks (id, label and the literal cidr "None"
 * Nova has always answered over Neutron).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import type { NetworkInfo } from '../../network/operations.js';
import { proxyErrors } from '../errors.js';
import { authorize, isAdmin } from '../service/access.js';
import { V21, type ComputeApi } from './context.js';
import { orNotFound, proxyVersion } from './proxy-gate.js';

type IdParams = { Params: { id: string } };

const NETWORK_FIELDS = ['cidr', 'netmask', 'gateway', 'broadcast', 'dns1', 'dns2', 'cidr_v6', 'gateway_v6', 'netmask_v6'];
const ADMIN_FIELDS = [
  'created_at',
  'updated_at',
  'deleted_at',
  'deleted',
  'injected',
  'bridge',
  'vlan',
  'vpn_public_address',
  'vpn_public_port',
  'vpn_private_address',
  'dhcp_start',
  'project_id',
  'host',
  'bridge_interface',
  'multi_host',
  'priority',
  'rxtx_base',
  'mtu',
  'dhcp_server',
  'enable_dhcp',
  'share_address',
];

function novaNetworkView(network: NetworkInfo, admin: boolean): Record<string, unknown> {
  const empty = [...NETWORK_FIELDS, ...(admin ? ADMIN_FIELDS : [])].map((field) => [field, null]);
  return { id: network.id, label: network.name, ...Object.fromEntries(empty) };
}

function tenantNetworkView(network: NetworkInfo) {
  return { id: network.id, cidr: 'None', label: network.name };
}

export function networkProxyRoutes(app: FastifyInstance, api: ComputeApi): void {
  const networks = () => api.ops.runtime.deps.peers.network().networks;
  const open = async (request: FastifyRequest, rule: string): Promise<CallerContext> => {
    const auth = await api.authenticate(request);
    proxyVersion(request);
    authorize(api.ops.runtime.deps, auth, rule);
    return auth;
  };
  const byId = (auth: CallerContext, id: string) =>
    orNotFound(
      () => networks().get(auth, id),
      () => proxyErrors.networkNotFound(),
    );

  app.get(`${V21}/os-networks`, async (request) => {
    const auth = await open(request, 'os_compute_api:os-networks:list');
    const admin = isAdmin(api.ops.runtime.deps, auth);
    return { networks: (await networks().list(auth)).map((n) => novaNetworkView(n, admin)) };
  });
  app.get<IdParams>(`${V21}/os-networks/:id`, async (request) => {
    const auth = await open(request, 'os_compute_api:os-networks:show');
    return { network: novaNetworkView(await byId(auth, request.params.id), isAdmin(api.ops.runtime.deps, auth)) };
  });
  app.get(`${V21}/os-tenant-networks`, async (request) => {
    const auth = await open(request, 'os_compute_api:os-tenant-networks:list');
    return { networks: (await networks().list(auth)).map(tenantNetworkView) };
  });
  app.get<IdParams>(`${V21}/os-tenant-networks/:id`, async (request) => {
    const auth = await open(request, 'os_compute_api:os-tenant-networks:show');
    return { network: tenantNetworkView(await byId(auth, request.params.id)) };
  });
}
