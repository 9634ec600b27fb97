/**
 * How a server looks on the wire, per microversion (Nova's views/servers.py
 * plus the extended attributes): brief {id, name, links}; detail with
 * status, addresses, OS-EXT-* (admin), fault, locked (2.9), description
 * (2.19), tags (2.26), embedded flavor (2.47), trusted certificates (2.63),
 * server groups (2.71, show only), locked_reason (2.73).
 */
import type { Microversion } from '../../core/microversions.js';
import { atLeast } from '../microversion.js';
import type { Server, VolumeAttachment } from '../store/index.js';
import type { AddressEntry } from '../service/networking.js';
import { statusOf } from '../service/states.js';
import { resourceLinks } from './context.js';
import { createHash } from 'node:crypto';

export interface ServerViewContext {
  root: string;
  version: Microversion;
  /** May see OS-EXT-SRV-ATTR:* (os_compute_api:os-extended-server-attributes). */
  extendedAttributes: boolean;
  /** May see the flavor's extra specs (2.47+). */
  flavorExtraSpecs: boolean;
  /** Admin: sees fault details. */
  admin: boolean;
  addresses: Map<string, Record<string, AddressEntry[]>>;
  securityGroups: Map<string, string[]>;
  /** Attached Cinder volumes by server id (os-extended-volumes:volumes_attached). */
  volumes: Map<string, VolumeAttachment[]>;
  /** For show (2.71): the server groups the server is in. */
  serverGroups?: string[];
}

const PROGRESS_STATUSES = ['ACTIVE', 'BUILD', 'REBUILD', 'RESIZE', 'VERIFY_RESIZE', 'MIGRATING'];

export function briefView(root: string, server: Server) {
  return { id: server.id, name: server.name, links: resourceLinks(root, 'servers', server.id) };
}

/** Nova's hostId: a hash of the project and the host, so projects cannot compare hosts. */
export function hostIdOf(projectId: string, host: string | null): string {
  if (!host) return '';
  const key = projectId + host;
  let id = hostIds.get(key);
  if (id === undefined) {
    if (hostIds.size >= HOST_ID_CACHE_SIZE) hostIds.clear();
    id = createHash('sha224').update(key).digest('hex');
    hostIds.set(key, id);
  }
  return id;
}

/** A page of 1,000 servers on a few hosts hashed the same few pairs 1,000 times; the pairs are few, so they are kept. */
const HOST_ID_CACHE_SIZE = 10_000;
const hostIds = new Map<string, string>();

export function detailView(ctx: ServerViewContext, server: Server): Record<string, unknown> {
  const { version, root } = ctx;
  const status = statusOf(server.vmState, server.taskState);
  const flavor = server.attrs.flavor;
  const view: Record<string, unknown> = {
    id: server.id,
    name: server.name,
    status,
    tenant_id: server.projectId,
    user_id: server.userId,
    metadata: server.attrs.metadata,
    hostId: hostIdOf(server.projectId, server.host),
    image: server.imageRef ? { id: server.imageRef, links: [{ rel: 'bookmark', href: `${root}/images/${server.imageRef}` }] } : '',
    flavor: atLeast(version, '2.47')
      ? {
          vcpus: flavor.vcpus,
          ram: flavor.memoryMb,
          disk: flavor.rootGb,
          ephemeral: flavor.ephemeralGb,
          swap: flavor.swap,
          original_name: flavor.name,
          ...(ctx.flavorExtraSpecs ? { extra_specs: flavor.extraSpecs } : {}),
        }
      : { id: flavor.id, links: [{ rel: 'bookmark', href: `${root}/flavors/${flavor.id}` }] },
    created: isoSeconds(server.createdAt),
    updated: isoSeconds(server.updatedAt),
    addresses: ctx.addresses.get(server.id) ?? {},
    accessIPv4: server.attrs.accessIPv4,
    accessIPv6: server.attrs.accessIPv6,
    links: resourceLinks(root, 'servers', server.id),
    'OS-DCF:diskConfig': server.attrs.diskConfig,
    key_name: server.attrs.keyName,
    'OS-SRV-USG:launched_at': server.attrs.launchedAt ? microseconds(server.attrs.launchedAt) : null,
    'OS-SRV-USG:terminated_at': server.attrs.terminatedAt ? microseconds(server.attrs.terminatedAt) : null,
    'OS-EXT-AZ:availability_zone': server.attrs.availabilityZone ?? (server.host ? 'nova' : ''),
    'OS-EXT-STS:task_state': server.taskState,
    'OS-EXT-STS:vm_state': server.vmState,
    'OS-EXT-STS:power_state': server.powerState,
    'os-extended-volumes:volumes_attached': (ctx.volumes.get(server.id) ?? []).map((a) =>
      // delete_on_termination joined the entries in 2.3.
      atLeast(version, '2.3') ? { id: a.volumeId, delete_on_termination: a.deleteOnTermination } : { id: a.volumeId },
    ),
    config_drive: server.attrs.configDrive,
  };
  if (PROGRESS_STATUSES.includes(status)) view.progress = status === 'ACTIVE' ? 100 : 0;
  const groups = ctx.securityGroups.get(server.id) ?? server.attrs.securityGroups;
  if (groups.length > 0) view.security_groups = groups.map((name) => ({ name }));
  if (server.attrs.fault && (status === 'ERROR' || status === 'DELETED')) {
    const f = server.attrs.fault;
    view.fault = { code: f.code, created: isoSeconds(f.created), message: f.message, ...(ctx.admin || f.code !== 500 ? { details: f.details } : {}) };
  }
  if (ctx.extendedAttributes) {
    view['OS-EXT-SRV-ATTR:host'] = server.host;
    view['OS-EXT-SRV-ATTR:instance_name'] = `instance-${server.id}`;
    view['OS-EXT-SRV-ATTR:hypervisor_hostname'] = server.host;
    if (atLeast(version, '2.3')) {
      view['OS-EXT-SRV-ATTR:reservation_id'] = server.attrs.reservationId;
      view['OS-EXT-SRV-ATTR:launch_index'] = server.attrs.launchIndex;
      view['OS-EXT-SRV-ATTR:hostname'] = server.attrs.hostname;
      view['OS-EXT-SRV-ATTR:kernel_id'] = '';
      view['OS-EXT-SRV-ATTR:ramdisk_id'] = '';
      view['OS-EXT-SRV-ATTR:root_device_name'] = '/dev/vda';
      view['OS-EXT-SRV-ATTR:user_data'] = server.attrs.userData;
    }
  }
  if (atLeast(version, '2.9')) view.locked = server.locked;
  if (atLeast(version, '2.16') && ctx.extendedAttributes) view.host_status = server.host ? 'UP' : '';
  if (atLeast(version, '2.19')) view.description = server.attrs.description;
  if (atLeast(version, '2.26')) view.tags = server.attrs.tags;
  if (atLeast(version, '2.63')) view.trusted_image_certificates = null;
  if (atLeast(version, '2.71') && ctx.serverGroups) view.server_groups = ctx.serverGroups;
  if (atLeast(version, '2.73')) view.locked_reason = server.attrs.lockedReason;
  return view;
}

/** Nova prints API timestamps to the second with a Z. */
export function isoSeconds(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z');
}

/** launched_at/terminated_at keep microseconds and no zone in Nova ("2013-09-23T13:53:12.000000"). */
function microseconds(iso: string): string {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z?$/.exec(iso);
  if (!match) return iso;
  return `${match[1]}.${(match[2] ?? '').padEnd(6, '0').slice(0, 6)}`;
}

/** Addresses without the OS-EXT-IPS extension fields (the /ips API, and update/rebuild replies before 2.75). */
export function plainAddresses(addresses: Record<string, Array<{ version: number; addr: string }>>): Record<string, Array<{ version: number; addr: string }>> {
  return Object.fromEntries(Object.entries(addresses).map(([net, list]) => [net, list.map(({ version, addr }) => ({ version, addr }))]));
}
