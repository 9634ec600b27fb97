/**
 * POST /servers once its microversion's schema (schemas/servers.py) has
 * admitted the body: what a schema cannot say, with Nova's messages (names,
 * uuids and addresses, user_data's size then base64, counts, a network or a
 * port per entry, scheduler hints), and the service's request made of it.
 * Block devices in block-devices.ts (imageRef may then be omitted or empty).
 */
import type { FastifyRequest } from 'fastify';
import { isIP } from 'node:net';
import { normalizeIp } from '../../core/net/ip.js';
import type { Microversion } from '../../core/microversions.js';
import { requestErrors, serverErrors } from '../errors.js';
import { atLeast } from '../microversion.js';
import { MAX_SERVERS_PER_REQUEST } from '../service/instance-quota.js';
import type { CreateServerRequest } from '../service/servers.js';
import type { RequestedNetwork } from '../store/index.js';
import { parseBlockDevices } from './block-devices.js';
import { checkName } from './schema.js';
import * as v from './validate.js';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const MAX_USER_DATA = 65535;

/** An image or flavor reference: an id, or a URL whose last segment is the id. */
function lastSegment(ref: string): string {
  return ref.split('/').pop() as string;
}

/** POST /servers as its schema admits it. */
interface ServerBody {
  name: string;
  imageRef?: string | null;
  flavorRef: string;
  networks?: 'auto' | 'none' | Array<{ uuid?: string; port?: string | null; fixed_ip?: string; tag?: string }>;
  key_name?: string;
  user_data?: string | null;
  metadata?: Record<string, string>;
  security_groups?: Array<{ name: string }>;
  availability_zone?: string;
  min_count?: number | string;
  max_count?: number | string;
  return_reservation_id?: boolean | string;
  adminPass?: string;
  accessIPv4?: string;
  accessIPv6?: string;
  config_drive?: boolean | string;
  'OS-DCF:diskConfig'?: 'AUTO' | 'MANUAL';
  block_device_mapping?: unknown[];
  block_device_mapping_v2?: unknown[];
  description?: string | null;
  tags?: string[];
  personality?: Array<{ path?: string; contents?: string }>;
  trusted_image_certificates?: unknown[] | null;
  host?: string;
  hypervisor_hostname?: string;
}

export interface CreateBody {
  server: ServerBody;
  'os:scheduler_hints'?: Record<string, unknown>;
  'OS-SCH-HNT:scheduler_hints'?: Record<string, unknown>;
}

/** What the schema leaves to code: uuids and addresses, and a network or a port in each entry. */
function networks(value: NonNullable<ServerBody['networks']>): 'auto' | 'none' | RequestedNetwork[] {
  if (value === 'auto' || value === 'none') return value;
  return value.map((net) => {
    const out: RequestedNetwork = {};
    if (net.uuid !== undefined) out.uuid = net.uuid;
    if (net.port !== undefined && net.port !== null) {
      if (!UUID.test(net.port)) throw requestErrors.invalidField('port', net.port, `'${net.port}' is not a 'uuid'`);
      out.port = net.port;
    }
    if (net.fixed_ip !== undefined) {
      if (!isIP(net.fixed_ip)) throw requestErrors.invalidField('fixed_ip', net.fixed_ip, `'${net.fixed_ip}' is not a 'ip-address'`);
      out.fixedIp = net.fixed_ip;
    }
    if (net.tag !== undefined) out.tag = net.tag;
    if (out.uuid === undefined && out.port === undefined) throw serverErrors.badNetworksFormat();
    if (out.uuid !== undefined && !UUID.test(out.uuid)) throw serverErrors.badNetworkUuid(out.uuid);
    return out;
  });
}

export function userData(text: string): string {
  // The size first: it bounds the work of the base64 check.
  if (text.length > MAX_USER_DATA) throw serverErrors.userDataTooLarge(MAX_USER_DATA, text.length);
  if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(text) || (Buffer.from(text, 'base64').length === 0 && text.trim() !== '')) {
    throw serverErrors.userDataNotBase64();
  }
  return text;
}

/** Nova's `format: base64` (base64.decodebytes accepts it): the alphabet, padding, whitespace between. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Personality files (before 2.57): the schema checked their shape, contents must be base64. */
function personality(files: NonNullable<ServerBody['personality']>): Array<{ path: string; contents: string }> {
  return files.map(({ path = '', contents = '' }) => {
    if (!BASE64.test(contents.replace(/\s/g, ''))) throw requestErrors.invalidField('contents', contents, `'${contents}' is not a 'base64'`);
    return { path, contents };
  });
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
  return [
    ...new Set(
      ids.map((id) => {
        const text = v.string(id, key);
        if (!UUID.test(text)) throw v.invalid(key, id, `'${text}' is not a 'uuid'`);
        return text;
      }),
    ),
  ];
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

/** The create body as its microversion's schema admits it (schemas/servers.ts). */
export function parseCreate(request: FastifyRequest<{ Body: CreateBody }>, version: Microversion): CreateServerRequest {
  const body = request.body;
  const server = body.server;
  if (server.trusted_image_certificates !== undefined && server.trusted_image_certificates !== null) throw serverErrors.certificatesUnsupported();
  if (server.host !== undefined || server.hypervisor_hostname !== undefined) throw serverErrors.hostRequestUnsupported();
  const minCount = server.min_count === undefined ? 1 : v.positiveInteger(server.min_count, 'min_count');
  const maxCount = server.max_count === undefined ? minCount : v.positiveInteger(server.max_count, 'max_count');
  if (minCount > maxCount) throw serverErrors.minOverMax();
  // A larger max_count is honoured as far as this bound (as far as the quota in Nova); a min_count cannot be.
  if (minCount > MAX_SERVERS_PER_REQUEST)
    throw requestErrors.invalidField('min_count', String(server.min_count), `${minCount} is greater than the maximum of ${MAX_SERVERS_PER_REQUEST}`);
  const imageGiven = server.imageRef !== undefined && server.imageRef !== null && server.imageRef !== '';
  const blockDevices = parseBlockDevices(server, version, imageGiven);
  // Booting from a volume, imageRef may be left out or empty (Nova's _image_from_req_data).
  if (!imageGiven && blockDevices.length === 0) throw serverErrors.missingImageRef();
  const schedulerHints = body['os:scheduler_hints'] ?? body['OS-SCH-HNT:scheduler_hints'];
  return {
    name: checkName(server.name),
    imageRef: imageGiven ? lastSegment(server.imageRef as string) : '',
    blockDevices,
    flavorRef: lastSegment(server.flavorRef),
    // Before 2.37 networks are optional (the build uses what is available).
    ...(server.networks !== undefined ? { networks: networks(server.networks) } : {}),
    strictNetworks: atLeast(version, '2.37'),
    ...(server.key_name !== undefined ? { keyName: server.key_name } : {}),
    ...(server.user_data !== undefined && server.user_data !== null ? { userData: userData(server.user_data) } : {}),
    metadata: server.metadata ?? {},
    injectedFiles: server.personality === undefined ? [] : personality(server.personality),
    // Distinct names, as Nova: a repeated group is one group (and one lookup).
    securityGroups: [...new Set((server.security_groups ?? []).map((group) => group.name))],
    ...(server.availability_zone !== undefined ? { availabilityZone: server.availability_zone } : {}),
    minCount,
    maxCount,
    ...(server.adminPass !== undefined ? { adminPass: server.adminPass } : {}),
    ...(server.accessIPv4 !== undefined ? { accessIPv4: accessIp(server.accessIPv4, 'accessIPv4') } : {}),
    ...(server.accessIPv6 !== undefined ? { accessIPv6: accessIp(server.accessIPv6, 'accessIPv6') } : {}),
    tags: server.tags ?? [],
    ...(server.description !== undefined ? { description: server.description } : {}),
    configDrive: server.config_drive === undefined || server.config_drive === '' ? false : v.boolean(server.config_drive, 'config_drive'),
    diskConfig: server['OS-DCF:diskConfig'] ?? 'MANUAL',
    schedulerHints: schedulerHints === undefined ? {} : hints(schedulerHints),
    requestId: request.id,
  };
}

export function returnReservationId(request: FastifyRequest<{ Body: CreateBody }>): boolean {
  const flag = request.body.server.return_reservation_id;
  return flag === undefined ? false : v.boolean(flag, 'return_reservation_id');
}
