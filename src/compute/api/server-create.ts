/**
 * Parsing POST /servers per microversion (nova/api/openstack/compute/schemas/servers.py):
 * networks as uuid/port/fixed_ip (tag 2.32), 'auto'/'none' and required
 * from 2.37; description 2.19; tags 2.52; user_data base64 up to 65535
 * bytes; metadata keys 1-255, values up to 255; block devices in
 * block-devices.ts (imageRef may then be omitted or empty).
 */
import type { FastifyRequest } from 'fastify';
import { isIP } from 'node:net';
import { BadRequest } from '../../core/errors.js';
import { normalizeIp } from '../../core/net/ip.js';
import type { Microversion } from '../../core/microversions.js';
import { atLeast } from '../microversion.js';
import { MAX_SERVERS_PER_REQUEST } from '../service/instance-quota.js';
import { MAX_TAGS, type CreateServerRequest } from '../service/servers.js';
import type { RequestedNetwork } from '../store/index.js';
import { MAX_DEVICES_PER_LIST, parseBlockDevices } from './block-devices.js';
import * as v from './validate.js';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const MAX_USER_DATA = 65535;

/** An image or flavor reference: an id, or a URL whose last segment is the id. */
function ref(value: unknown, field: string): string {
  const text = v.string(value, field, { min: 1, max: 255 });
  return text.split('/').pop() as string;
}

function networks(value: unknown, version: Microversion): 'auto' | 'none' | RequestedNetwork[] {
  if (value === 'auto' || value === 'none') {
    if (!atLeast(version, '2.37')) throw v.invalid('networks', value, `'${value}' is not of type 'array'`);
    return value;
  }
  return v.list(value, 'networks', MAX_DEVICES_PER_LIST).map((raw, i) => {
    const net = v.object(raw, `networks[${i}]`);
    v.onlyKeys(net, atLeast(version, '2.32') ? ['uuid', 'port', 'fixed_ip', 'tag'] : ['uuid', 'port', 'fixed_ip'], 'networks');
    const out: RequestedNetwork = {};
    if (net.uuid !== undefined) out.uuid = v.string(net.uuid, 'uuid');
    if (net.port !== undefined && net.port !== null) {
      out.port = v.string(net.port, 'port');
      if (!UUID.test(out.port)) throw v.invalid('port', net.port, `'${out.port}' is not a 'uuid'`);
    }
    if (net.fixed_ip !== undefined) {
      out.fixedIp = v.string(net.fixed_ip, 'fixed_ip');
      if (!isIP(out.fixedIp)) throw v.invalid('fixed_ip', net.fixed_ip, `'${out.fixedIp}' is not a 'ip-address'`);
    }
    if (net.tag !== undefined) out.tag = v.string(net.tag, 'tag', { min: 1, max: 60 });
    if (out.uuid === undefined && out.port === undefined) throw new BadRequest('Bad networks format: network uuid is not in proper format or a port id must be given');
    if (out.uuid !== undefined && !UUID.test(out.uuid)) throw new BadRequest(`Bad networks format: network uuid is not in proper format (${out.uuid})`);
    return out;
  });
}

function userData(value: unknown): string {
  const text = v.string(value, 'user_data');
  // The size first: it bounds the work of the base64 check.
  if (text.length > MAX_USER_DATA) throw new BadRequest(`User data too large. User data must be no larger than ${MAX_USER_DATA} bytes once base64 encoded. Your data is ${text.length} bytes`);
  if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(text) || Buffer.from(text, 'base64').length === 0 && text.trim() !== '') {
    throw new BadRequest('User data needs to be valid base 64.');
  }
  return text;
}

/** An access address, stored in canonical form as Nova's IP column does (`0:0::babe:220.12.22.2` → `::babe:dc0c:1602`). */
export function accessIp(value: unknown, field: 'accessIPv4' | 'accessIPv6'): string {
  const text = v.string(value, field);
  if (text === '') return text;
  if (isIP(text) !== (field === 'accessIPv4' ? 4 : 6)) throw v.invalid(field, value, `'${text}' is not a '${field === 'accessIPv4' ? 'ipv4' : 'ipv6'}'`);
  return normalizeIp(text) ?? text;
}

/**
 * Servers a same_host / different_host hint may name: the scheduler looks
 * their hosts up in one query, kept far below SQLite's and PostgreSQL's
 * limits on bound parameters (Nova's schema has no maxItems).
 */
const MAX_HINT_SERVERS = 1000;

/** A hint naming servers (Nova: one uuid, or a list of them), distinct. */
function serverIds(hint: unknown, key: string): string[] {
  const ids = typeof hint === 'string' ? [hint] : v.list(hint, key, MAX_HINT_SERVERS);
  return [...new Set(ids.map((id) => {
    const text = v.string(id, key);
    if (!UUID.test(text)) throw v.invalid(key, id, `'${text}' is not a 'uuid'`);
    return text;
  }))];
}

function hints(value: unknown): Record<string, string[]> {
  const raw = v.object(value, 'os:scheduler_hints');
  const out: Record<string, string[]> = {};
  for (const [key, hint] of Object.entries(raw)) {
    if (key === 'same_host' || key === 'different_host') {
      out[key] = serverIds(hint, key);
      continue;
    }
    const list = Array.isArray(hint) ? hint : [hint];
    out[key] = list.map((h) => String(h));
    if (key === 'group' && !UUID.test(out[key]![0] ?? '')) throw v.invalid('group', hint, `'${String(hint)}' is not a 'uuid'`);
  }
  return out;
}

export function parseCreate(request: FastifyRequest, version: Microversion): CreateServerRequest {
  const body = v.object(request.body, 'body');
  const server = v.envelope(body, 'server');
  const allowed = ['name', 'imageRef', 'flavorRef', 'networks', 'key_name', 'user_data', 'metadata', 'security_groups', 'availability_zone', 'min_count', 'max_count', 'return_reservation_id', 'adminPass', 'accessIPv4', 'accessIPv6', 'config_drive', 'OS-DCF:diskConfig', 'block_device_mapping', 'block_device_mapping_v2'];
  if (atLeast(version, '2.19')) allowed.push('description');
  if (atLeast(version, '2.52')) allowed.push('tags');
  if (!atLeast(version, '2.57')) allowed.push('personality');
  if (atLeast(version, '2.63')) allowed.push('trusted_image_certificates');
  if (atLeast(version, '2.74')) allowed.push('host', 'hypervisor_hostname');
  v.onlyKeys(server, allowed, 'server');
  for (const key of Object.keys(body)) {
    if (key !== 'server' && key !== 'os:scheduler_hints' && key !== 'OS-SCH-HNT:scheduler_hints') throw new BadRequest(`Additional properties are not allowed ('${key}' was unexpected)`);
  }
  if (server.trusted_image_certificates !== undefined && server.trusted_image_certificates !== null) {
    throw new BadRequest('Image signature certificate validation is not supported by this cloud.');
  }
  if (server.host !== undefined || server.hypervisor_hostname !== undefined) {
    throw new BadRequest('Requesting a host is not supported yet.');
  }
  const minCount = server.min_count === undefined ? 1 : v.positiveInteger(server.min_count, 'min_count');
  const maxCount = server.max_count === undefined ? minCount : v.positiveInteger(server.max_count, 'max_count');
  if (minCount > maxCount) throw new BadRequest('min_count must be <= max_count');
  // A larger max_count is honoured as far as this bound (as far as the quota in Nova); a min_count cannot be.
  if (minCount > MAX_SERVERS_PER_REQUEST) throw v.invalid('min_count', server.min_count, `${minCount} is greater than the maximum of ${MAX_SERVERS_PER_REQUEST}`);
  // Before 2.37 networks are optional (the build uses what is available).
  if (server.networks === undefined && atLeast(version, '2.37')) {
    throw new BadRequest("Invalid input for field/attribute server. 'networks' is a required property");
  }
  const imageGiven = server.imageRef !== undefined && server.imageRef !== null && server.imageRef !== '';
  const blockDevices = parseBlockDevices(server, version, imageGiven);
  // Booting from a volume, imageRef may be left out or empty (Nova's _image_from_req_data).
  if (!imageGiven && blockDevices.length === 0) throw new BadRequest('Missing imageRef attribute');
  const sg = server.security_groups === undefined ? [] : v.list(server.security_groups, 'security_groups');
  const tags = server.tags === undefined ? [] : v.list(server.tags, 'tags', MAX_TAGS);
  const schedulerHints = body['os:scheduler_hints'] ?? body['OS-SCH-HNT:scheduler_hints'];
  const diskConfig = server['OS-DCF:diskConfig'] === undefined ? 'MANUAL' : v.string(server['OS-DCF:diskConfig'], 'OS-DCF:diskConfig');
  if (diskConfig !== 'AUTO' && diskConfig !== 'MANUAL') throw v.invalid('OS-DCF:diskConfig', diskConfig, "is not one of ['AUTO', 'MANUAL']");
  return {
    name: v.name(server.name, 'name'),
    imageRef: imageGiven ? ref(server.imageRef, 'imageRef') : '',
    blockDevices,
    flavorRef: ref(server.flavorRef, 'flavorRef'),
    ...(server.networks !== undefined ? { networks: networks(server.networks, version) } : {}),
    strictNetworks: atLeast(version, '2.37'),
    ...(server.key_name !== undefined ? { keyName: v.string(server.key_name, 'key_name', { min: 1, max: 255 }) } : {}),
    ...(server.user_data !== undefined && server.user_data !== null ? { userData: userData(server.user_data) } : {}),
    metadata: server.metadata === undefined ? {} : v.stringMap(server.metadata, 'metadata'),
    injectedFiles: server.personality === undefined ? [] : v.personality(server.personality),
    // Distinct names, as Nova: a repeated group is one group (and one lookup).
    securityGroups: [...new Set(sg.map((g, i) => v.string(v.object(g, `security_groups[${i}]`).name, 'name', { min: 1, max: 255 })))],
    ...(server.availability_zone !== undefined ? { availabilityZone: v.string(server.availability_zone, 'availability_zone', { min: 1, max: 255 }) } : {}),
    minCount,
    maxCount,
    ...(server.adminPass !== undefined ? { adminPass: v.string(server.adminPass, 'adminPass') } : {}),
    ...(server.accessIPv4 !== undefined ? { accessIPv4: accessIp(server.accessIPv4, 'accessIPv4') } : {}),
    ...(server.accessIPv6 !== undefined ? { accessIPv6: accessIp(server.accessIPv6, 'accessIPv6') } : {}),
    tags: tags.map((t) => v.string(t, 'tags', { min: 1, max: 60, pattern: /^[^,/]*$/ })),
    ...(server.description !== undefined ? { description: server.description === null ? null : v.string(server.description, 'description', { max: 255 }) } : {}),
    configDrive: server.config_drive === undefined ? false : server.config_drive === '' ? false : v.boolean(server.config_drive, 'config_drive'),
    diskConfig,
    schedulerHints: schedulerHints === undefined ? {} : hints(schedulerHints),
    requestId: request.id,
  };
}

export function returnReservationId(request: FastifyRequest): boolean {
  const server = (request.body as { server?: { return_reservation_id?: unknown } }).server;
  return server?.return_reservation_id === undefined ? false : v.boolean(server.return_reservation_id, 'return_reservation_id');
}
