/**
 * The metadata API (nova-api-metadata behind Neutron's metadata proxy). The
 * network driver's proxy in a qrouter-/qdhcp- namespace forwards each guest
 * request with `X-Forwarded-For: <guest ip>` and `X-Neutron-Router-ID` or
 * `X-Neutron-Network-ID`; the instance is the server owning the port with
 * that fixed IP on the router's networks (or that network), as Neutron's
 * metadata agent resolves it. Unknown instance or path: 404.
 */
import { posix } from 'node:path';
import type { Json } from '../../core/json.js';
import type { Server } from '../store/index.js';
import { EC2_VERSIONS, InstanceMetadata, OPENSTACK_VERSIONS, renderNode, type MetadataNode, type MetadataPort, type MetadataSubnet } from './content.js';

/** Where the metadata comes from (the compute store and the network service, see sources.ts). */
export interface MetadataSources {
  ports(): Promise<MetadataPort[]>;
  subnets(): Promise<MetadataSubnet[]>;
  networkMtu(networkId: string): Promise<number | null>;
  floatingIps(portIds: string[]): Promise<string[]>;
  server(id: string): Promise<Server | null>;
  keypair(userId: string, name: string): Promise<{ name: string; type: string; public_key: string } | null>;
  availabilityZone(server: Server): string;
  /** The vendor data providers' answers for the server, by provider name. */
  vendorData(server: Server): Promise<Record<string, Json>>;
}

export interface MetadataRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface MetadataResponse {
  status: number;
  contentType: string;
  body: string;
}

const ROUTER_OWNERS = ['network:router_interface', 'network:router_interface_distributed', 'network:ha_router_replicated_interface'];

export async function handleMetadata(sources: MetadataSources, request: MetadataRequest): Promise<MetadataResponse> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Method not allowed');
  const ip = header(request, 'x-forwarded-for')?.split(',')[0]?.trim();
  const routerId = header(request, 'x-neutron-router-id');
  const networkId = header(request, 'x-neutron-network-id');
  if (!ip || (!routerId && !networkId)) return text(400, 'X-Forwarded-For and X-Neutron-Router-ID or X-Neutron-Network-ID are required');
  const server = await resolveServer(sources, ip, routerId, networkId);
  if (!server) return text(404, 'Instance not found');
  const metadata = new InstanceMetadata(await gatherFacts(sources, server));
  const found = lookup(metadata, request.path.split('?')[0] ?? '/');
  if (found === undefined) return text(404, 'Not Found');
  const json = found.name.endsWith('.json');
  return { status: 200, contentType: json ? 'application/json' : 'text/plain', body: renderNode(found.node) };
}

/** The server owning `ip` on the router's networks (or the network); null when there is none. */
export async function resolveServer(sources: MetadataSources, ip: string, routerId: string | undefined, networkId: string | undefined): Promise<Server | null> {
  const ports = await sources.ports();
  const networks = new Set<string>();
  if (networkId) networks.add(networkId);
  if (routerId) {
    for (const p of ports) if (p.device_id === routerId && ROUTER_OWNERS.includes(p.device_owner)) networks.add(p.network_id);
  }
  const port = ports.find((p) => networks.has(p.network_id) && p.device_owner.startsWith('compute:') && p.fixed_ips.some((f) => f.ip_address === ip));
  if (!port) return null;
  const server = await sources.server(port.device_id);
  return server && !server.deleted ? server : null;
}

/** Everything the content needs about a server (its ports in the order Nova attached them). */
export async function gatherFacts(sources: MetadataSources, server: Server): Promise<InstanceMetadata['facts']> {
  const ports = (await sources.ports()).filter((p) => p.device_id === server.id);
  const networkIds = [...new Set(ports.map((p) => p.network_id))];
  const mtus: Record<string, number> = {};
  for (const id of networkIds) {
    const mtu = await sources.networkMtu(id);
    if (mtu !== null) mtus[id] = mtu;
  }
  const { keyName } = server.attrs;
  return {
    server,
    availabilityZone: sources.availabilityZone(server),
    ports,
    subnets: (await sources.subnets()).filter((s) => networkIds.includes(s.network_id)),
    mtus,
    floatingIps: await sources.floatingIps(ports.map((p) => p.id)),
    keypair: keyName ? await sources.keypair(server.userId, keyName) : null,
    vendorData: await sources.vendorData(server),
  };
}

/** Nova's lookup: `/openstack/...` or the EC2 tree (`/`, `/<version>/...`). */
function lookup(metadata: InstanceMetadata, rawPath: string): { name: string; node: MetadataNode } | undefined {
  const tokens = posix
    .normalize(`/${decodeURIComponent(rawPath)}`)
    .split('/')
    .filter(Boolean);
  const name = tokens[tokens.length - 1] ?? '';
  if (tokens[0] === 'openstack') {
    if (tokens.length === 1) return { name, node: [...OPENSTACK_VERSIONS, 'latest'] };
    if (tokens.length > 3) return undefined;
    const node = metadata.openstack(tokens[1]!, tokens[2]);
    return node === undefined ? undefined : { name, node };
  }
  if (tokens.length === 0) return { name, node: [...EC2_VERSIONS, 'latest'] };
  const version = tokens[0]!;
  if (version !== 'latest' && !EC2_VERSIONS.includes(version)) return undefined;
  let node: MetadataNode | undefined = metadata.ec2(version);
  for (const token of tokens.slice(1)) {
    if (typeof node !== 'object' || Array.isArray(node) || token === '_name') return undefined;
    node = node[token];
    if (node === undefined) return undefined;
  }
  return { name, node };
}

function header(request: MetadataRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function text(status: number, body: string): MetadataResponse {
  return { status, contentType: 'text/plain', body };
}
