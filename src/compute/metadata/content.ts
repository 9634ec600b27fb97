/**
 * What a guest learns about itself (nova/api/metadata/base.py's
 * InstanceMetadata): the OpenStack tree (`/openstack/<version>/meta_data.json`,
 * `user_data`, `network_data.json`, `vendor_data.json`, `vendor_data2.json`)
 * and the EC2 tree (`/<version>/meta-data/...`, `/<version>/user-data`). The
 * same content is served over HTTP (handler.ts) and written to config drives.
 */
import { randomBytes } from 'node:crypto';
import type { Json } from '../../core/json.js';
import { portDeviceName } from '../drivers/driver.js';
import type { Server } from '../store/index.js';

/** Nova's metadata versions, oldest first (EC2 and OpenStack trees). */
export const EC2_VERSIONS = ['1.0', '2007-01-19', '2007-03-01', '2007-08-29', '2007-10-10', '2007-12-15', '2008-02-01', '2008-09-01', '2009-04-04'];
export const OPENSTACK_VERSIONS = [
  '2012-08-10',
  '2013-04-04',
  '2013-10-17',
  '2015-10-15',
  '2016-06-30',
  '2016-10-06',
  '2017-02-22',
  '2018-08-27',
  '2020-10-14',
];
const [, GRIZZLY, HAVANA, LIBERTY, NEWTON_ONE, NEWTON_TWO] = OPENSTACK_VERSIONS as [string, string, string, string, string, string];

/** Nova's [api] dhcp_domain default, appended to hostnames. */
const DHCP_DOMAIN = 'novalocal';

export interface MetadataPort {
  id: string;
  network_id: string;
  mac_address: string;
  fixed_ips: Array<{ subnet_id: string; ip_address: string }>;
  device_id: string;
  device_owner: string;
  'binding:vif_type': string;
}

export interface MetadataSubnet {
  id: string;
  network_id: string;
  ip_version: number;
  cidr: string;
  gateway_ip: string | null;
  enable_dhcp: boolean;
  dns_nameservers: string[];
  host_routes: Array<{ destination: string; nexthop: string }>;
}

/** Everything the content is made from, gathered once per request (or config drive). */
export interface InstanceFacts {
  server: Server;
  availabilityZone: string;
  /** The server's ports, in attach order. */
  ports: MetadataPort[];
  subnets: MetadataSubnet[];
  mtus: Record<string, number>;
  floatingIps: string[];
  keypair: { name: string; type: string; public_key: string } | null;
  /** The registered vendor data providers' answers, by name (vendor_data2.json). */
  vendorData: Record<string, Json>;
}

/** A node of a metadata tree: text, a list (one per line) or a directory. */
export type MetadataNode = string | string[] | { [name: string]: MetadataNode };

export class InstanceMetadata {
  readonly #userData: string | null;

  constructor(readonly facts: InstanceFacts) {
    const raw = facts.server.attrs.userData;
    this.#userData = raw === null ? null : Buffer.from(raw, 'base64').toString('utf8');
  }

  get hostname(): string {
    return `${this.facts.server.attrs.hostname}.${DHCP_DOMAIN}`;
  }

  /** `/openstack/<version>/...` → content, or undefined (404). `version` is a dated one or `latest`. */
  openstack(version: string, item: string | undefined): MetadataNode | undefined {
    const v = version === 'latest' ? OPENSTACK_VERSIONS[OPENSTACK_VERSIONS.length - 1]! : version;
    if (!OPENSTACK_VERSIONS.includes(v)) return undefined;
    const at = (required: string) => v >= required;
    const items: Record<string, () => MetadataNode | undefined> = {
      'meta_data.json': () => JSON.stringify(this.metaData(v)),
      user_data: () => this.#userData ?? undefined,
      'vendor_data.json': () => (at(HAVANA) ? '{}' : undefined),
      'network_data.json': () => (at(LIBERTY) ? JSON.stringify(this.networkData()) : undefined),
      'vendor_data2.json': () => (at(NEWTON_TWO) ? JSON.stringify(this.facts.vendorData) : undefined),
    };
    if (item === undefined) {
      return Object.keys(items).filter((name) => items[name]!() !== undefined);
    }
    return items[item]?.();
  }

  metaData(version: string): Record<string, unknown> {
    const { server, keypair, availabilityZone } = this.facts;
    const md: Record<string, unknown> = { uuid: server.id };
    if (Object.keys(server.attrs.metadata).length > 0) md.meta = server.attrs.metadata;
    if (server.attrs.keyName && server.attrs.keyData) {
      md.public_keys = { [server.attrs.keyName]: server.attrs.keyData };
      if (keypair) md.keys = [{ name: keypair.name, type: keypair.type, data: keypair.public_key }];
    }
    md.hostname = this.hostname;
    md.name = server.name;
    md.launch_index = server.attrs.launchIndex;
    md.availability_zone = availabilityZone;
    if (version >= GRIZZLY) md.random_seed = randomBytes(512).toString('base64');
    if (version >= LIBERTY) md.project_id = server.projectId;
    // Device role tagging: no device of a Nimbus server carries a tag.
    if (version >= NEWTON_ONE) md.devices = [];
    return md;
  }

  /** nova/virt/netutils.py get_network_metadata: links (ports), networks (subnets on them), services (DNS). */
  networkData(): { links: unknown[]; networks: unknown[]; services: unknown[] } {
    const links: unknown[] = [];
    const networks: unknown[] = [];
    const dns = new Set<string>();
    for (const port of this.facts.ports) {
      const link = portDeviceName(port.id);
      links.push({
        id: link,
        vif_id: port.id,
        type: port['binding:vif_type'] || 'bridge',
        mtu: this.facts.mtus[port.network_id] ?? null,
        ethernet_mac_address: port.mac_address,
      });
      for (const ip of port.fixed_ips) {
        const subnet = this.facts.subnets.find((s) => s.id === ip.subnet_id);
        if (!subnet) continue;
        const id = `network${networks.length}`;
        const family = `ipv${subnet.ip_version}`;
        if (subnet.enable_dhcp) {
          networks.push({ id, type: `${family}_dhcp`, link, network_id: port.network_id });
          continue;
        }
        subnet.dns_nameservers.forEach((d) => dns.add(d));
        networks.push({
          id,
          type: family,
          link,
          ip_address: ip.ip_address,
          netmask: subnet.ip_version === 4 ? ipv4Netmask(subnet.cidr) : subnet.cidr.split('/')[1],
          routes: routes(subnet),
          network_id: port.network_id,
          services: subnet.dns_nameservers.map((address) => ({ type: 'dns', address })),
        });
      }
    }
    return { links, networks, services: [...dns].map((address) => ({ type: 'dns', address })) };
  }

  /** `/<version>/...` of the EC2 tree (version checked by the caller). */
  ec2(version: string): { [name: string]: MetadataNode } {
    const v = version === 'latest' ? EC2_VERSIONS[EC2_VERSIONS.length - 1]! : version;
    const { server, availabilityZone } = this.facts;
    const fixed = this.facts.ports.flatMap((p) => p.fixed_ips.map((ip) => ip.ip_address)).find((ip) => !ip.includes(':')) ?? '';
    const at = (required: string) => EC2_VERSIONS.indexOf(v) >= EC2_VERSIONS.indexOf(required);
    const md: { [name: string]: MetadataNode } = {
      'ami-id': ec2Id('ami', server.imageRef ?? ''),
      'ami-launch-index': String(server.attrs.launchIndex),
      'ami-manifest-path': 'FIXME',
      'instance-id': ec2Id('i', server.id),
      hostname: this.hostname,
      'local-ipv4': fixed,
      'reservation-id': server.attrs.reservationId,
      'security-groups': server.attrs.securityGroups,
    };
    if (server.attrs.keyName && server.attrs.keyData) {
      // Nova lists public-keys/ as "0=<name>", and public-keys/0/ as openssh-key.
      md['public-keys'] = { '0': { _name: `0=${server.attrs.keyName}`, 'openssh-key': server.attrs.keyData } };
    }
    if (at('2007-01-19')) {
      md['local-hostname'] = this.hostname;
      md['public-hostname'] = this.hostname;
      md['public-ipv4'] = this.facts.floatingIps[0] ?? '';
    }
    if (at('2007-08-29')) md['instance-type'] = server.attrs.flavor.name;
    if (at('2007-12-15')) md['block-device-mapping'] = { ami: 'vda', root: '/dev/vda' };
    if (at('2008-02-01')) md.placement = { 'availability-zone': availabilityZone };
    if (at('2008-09-01')) md['instance-action'] = 'none';
    const tree: { [name: string]: MetadataNode } = { 'meta-data': md };
    if (this.#userData !== null) tree['user-data'] = this.#userData;
    return tree;
  }

  /** The config drive's files (Nova's metadata_for_config_drive): every OpenStack version, and the EC2 tree as JSON. */
  configDriveFiles(): Record<string, string> {
    const files: Record<string, string> = {};
    for (const version of [...OPENSTACK_VERSIONS, 'latest']) {
      for (const item of this.openstack(version, undefined) as string[]) {
        files[`openstack/${version}/${item}`] = this.openstack(version, item) as string;
      }
    }
    for (const version of ['2009-04-04', 'latest']) {
      const tree = this.ec2(version);
      files[`ec2/${version}/meta-data.json`] = JSON.stringify(tree['meta-data']);
      if (typeof tree['user-data'] === 'string') files[`ec2/${version}/user-data`] = tree['user-data'];
    }
    return files;
  }
}

/** Nova's ec2_md_print: a directory lists its names (subdirectories with '/'), a list one item a line. */
export function renderNode(node: MetadataNode): string {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.join('\n');
  return Object.keys(node)
    .filter((k) => k !== '_name')
    .sort()
    .map((k) => {
      const child = node[k]!;
      if (typeof child === 'object' && !Array.isArray(child)) return typeof child._name === 'string' ? child._name : `${k}/`;
      return k;
    })
    .join('\n');
}

/** EC2-style ids from uuids ('i-' + 8 hex digits), stable per server/image. */
function ec2Id(prefix: string, uuid: string): string {
  return `${prefix}-${uuid.replace(/-/g, '').slice(0, 8).padStart(8, '0')}`;
}

function ipv4Netmask(cidr: string): string {
  const bits = Number(cidr.split('/')[1]);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return [24, 16, 8, 0].map((s) => (mask >>> s) & 255).join('.');
}

function routes(subnet: MetadataSubnet): unknown[] {
  const v4 = subnet.ip_version === 4;
  const list = subnet.host_routes.map((r) => {
    const [network = '', bits = '0'] = r.destination.split('/');
    return { network, netmask: v4 ? ipv4Netmask(`x/${bits}`) : bits, gateway: r.nexthop, services: [] };
  });
  if (subnet.gateway_ip) list.unshift({ network: v4 ? '0.0.0.0' : '::', netmask: v4 ? '0.0.0.0' : '0', gateway: subnet.gateway_ip, services: [] });
  return list;
}
