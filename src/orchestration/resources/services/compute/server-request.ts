/**
 * OS::Nova::Server's properties as compute's create request: names
 * resolved to ids, the networks (ports Heat makes itself where Nova cannot,
 * for a `subnet`), the block devices of block_device_mapping_v2 as Heat maps
 * them, and user_data in the format asked for.
 */
import type { CreateServerRequest, RequestedBlockDevice, ServerNetwork } from '../../../../compute/operations.js';
import type { JsonObject } from '../../../json.js';
import type { ResourceContext } from '../../types.js';
import { neutron, neutronByName, neutronId } from '../network/lookups.js';
import { flag, integer, map, maps, stringMap, strings, text } from '../support.js';
import { flavorId, imageId } from './lookups.js';
import { buildUserData } from './user-data.js';

/** Ports Heat made for the server (Nova does not take a subnet), kept to delete with it. */
export const INTERNAL_PORTS = 'internal_ports';

export function internalPorts(ctx: ResourceContext): string[] {
  const stored = ctx.resource.data[INTERNAL_PORTS];
  return stored === undefined ? [] : (JSON.parse(stored) as string[]);
}

/** A port on the entry's subnet, named after the server's resource so a retried create finds it instead of making another. */
async function internalPort(ctx: ResourceContext, entry: JsonObject, index: number): Promise<string> {
  const ports = neutron(ctx.services).ports;
  const name = `${ctx.resource.physicalName}-port-${index}`;
  const subnetId = await neutronId(ctx, 'subnets', text(entry, 'subnet') ?? '');
  const network = text(entry, 'network') ?? text(entry, 'uuid');
  const networkId =
    network !== undefined ? await neutronId(ctx, 'networks', network) : (await neutron(ctx.services).subnets.get(ctx.caller, subnetId)).networkId;
  const fixedIp = text(entry, 'fixed_ip');
  const port =
    (await neutronByName(ctx, ports, name)) ??
    (await ports.create(ctx.caller, { networkId, name, fixedIps: [{ subnetId, ...(fixedIp !== undefined && { ipAddress: fixedIp }) }] }));
  const kept = internalPorts(ctx);
  if (!kept.includes(port.id)) await ctx.setData(INTERNAL_PORTS, JSON.stringify([...kept, port.id]));
  return port.id;
}

async function networksOf(ctx: ResourceContext, p: JsonObject): Promise<CreateServerRequest['networks']> {
  const entries = maps(p, 'networks');
  if (entries.length === 0) return undefined;
  const special = text(entries[0]!, 'allocate_network');
  if (entries.length === 1 && (special === 'auto' || special === 'none')) return special;
  const networks: ServerNetwork[] = [];
  for (const [index, entry] of entries.entries()) {
    const tag = text(entry, 'tag');
    const port = text(entry, 'port');
    const network = text(entry, 'network') ?? text(entry, 'uuid');
    const fixedIp = text(entry, 'fixed_ip');
    let nic: ServerNetwork;
    if (port !== undefined) nic = { portId: await neutronId(ctx, 'ports', port) };
    else if (text(entry, 'subnet') !== undefined) nic = { portId: await internalPort(ctx, entry, index) };
    else nic = { networkId: await neutronId(ctx, 'networks', network ?? ''), ...(fixedIp !== undefined && { fixedIp }) };
    networks.push({ ...nic, ...(tag !== undefined && { tag }) });
  }
  return networks;
}

async function blockDevice(ctx: ResourceContext, m: JsonObject): Promise<RequestedBlockDevice> {
  const volume = text(m, 'volume_id');
  const snapshot = text(m, 'snapshot_id');
  const image = text(m, 'image');
  const swap = integer(m, 'swap_size');
  const common = { deviceName: text(m, 'device_name') ?? null, tag: null, volumeType: null };
  const given = { bootIndex: integer(m, 'boot_index'), size: integer(m, 'volume_size'), deleteOnTermination: flag(m, 'delete_on_termination') };
  const toVolume = (sourceType: 'volume' | 'snapshot' | 'image', sourceId: string): RequestedBlockDevice => ({
    ...common,
    sourceType,
    sourceId,
    destinationType: 'volume',
    guestFormat: null,
    bootIndex: given.bootIndex ?? 0,
    volumeSize: given.size ?? null,
    deleteOnTermination: given.deleteOnTermination ?? false,
  });
  if (volume !== undefined) return toVolume('volume', volume);
  if (snapshot !== undefined) return toVolume('snapshot', snapshot);
  if (image !== undefined) return toVolume('image', await imageId(ctx, image));
  const local = {
    ...common,
    sourceType: 'blank' as const,
    sourceId: null,
    destinationType: 'local' as const,
    bootIndex: given.bootIndex ?? -1,
    deleteOnTermination: true,
  };
  if (swap !== undefined) return { ...local, guestFormat: 'swap', volumeSize: swap };
  return { ...local, guestFormat: text(m, 'ephemeral_format') ?? null, volumeSize: integer(m, 'ephemeral_size') ?? null };
}

/** Nova's hints take a value or a list of values; compute's take lists. */
function schedulerHints(p: JsonObject): Record<string, string[]> | undefined {
  const hints = map(p, 'scheduler_hints');
  if (hints === undefined) return undefined;
  return Object.fromEntries(
    Object.entries(hints).map(([key, value]) => [key, (Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))]),
  );
}

/** The create request for the server named `name`. */
export async function serverRequest(ctx: ResourceContext, p: JsonObject, name: string): Promise<CreateServerRequest> {
  const image = text(p, 'image');
  const keyName = text(p, 'key_name');
  const zone = text(p, 'availability_zone');
  const adminPass = text(p, 'admin_pass');
  const hints = schedulerHints(p);
  const networks = await networksOf(ctx, p);
  const devices = await Promise.all(maps(p, 'block_device_mapping_v2').map((m) => blockDevice(ctx, m)));
  const userData = buildUserData(text(p, 'user_data') ?? '', text(p, 'user_data_format') ?? 'HEAT_CFNTOOLS');
  return {
    name,
    flavorId: await flavorId(ctx, text(p, 'flavor') ?? ''),
    ...(image !== undefined && { imageId: await imageId(ctx, image) }),
    ...(networks !== undefined && { networks }),
    ...(devices.length > 0 && { blockDevices: devices }),
    ...(keyName !== undefined && { keyName }),
    ...(userData !== '' && { userData: Buffer.from(userData).toString('base64') }),
    metadata: stringMap(p, 'metadata') ?? {},
    securityGroups: strings(p, 'security_groups'),
    ...(zone !== undefined && { availabilityZone: zone }),
    ...(adminPass !== undefined && { adminPass }),
    ...(strings(p, 'tags').length > 0 && { tags: strings(p, 'tags') }),
    ...(flag(p, 'config_drive') !== undefined && { configDrive: flag(p, 'config_drive') }),
    ...(hints !== undefined && { schedulerHints: hints }),
  };
}
