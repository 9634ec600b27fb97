/**
 * What a token says, packed the way Keystone's `token_formatters.py` packs it,
 * so that a Keystone holding the same key repository reads our tokens and we
 * read its tokens (for the kinds below):
 *
 *     msgpack([version, user, methods, <scope>, expires_at, audit_ids, <app cred>])
 *
 * - user, project and application credential ids are `[true, <16 bytes>]` when
 *   they are 32 lowercase hex digits, else `[false, "<id>"]`;
 * - a domain id is the bare 16 bytes or the bare string (Keystone reserves
 *   the string form for the default domain, `default`);
 * - methods are a bitmask with Keystone's default `[auth] methods` order
 *   (external 1, password 2, token 4, oauth1 8, mapped 16, application_credential 32);
 * - expires_at is a float64 of seconds since the epoch;
 * - each audit id is the 16 bytes behind its 22-character base64url text.
 *
 * Payload versions: 0 unscoped, 1 domain, 2 project, 3 trust (its project,
 * which may be absent: `[false, null]`, then the trust id as bare 16 bytes),
 * 7 OAuth1 (`[version, user, methods, project, access token, expires_at,
 * audit_ids]`: the access token comes before the expiry), 8 system,
 * 9 application credential (always project-scoped in Keystone).
 * Federation tokens (4–6, 10) are not issued by Nimbus and are rejected.
 */
import { randomBytes } from 'node:crypto';
import { decode, encode } from '@msgpack/msgpack';

export type AuthMethod = 'password' | 'token' | 'oauth1' | 'application_credential';

export type TokenScope =
  | { kind: 'unscoped' }
  | { kind: 'project'; projectId: string }
  | { kind: 'domain'; domainId: string }
  | { kind: 'system' } // system scope "all"
  | { kind: 'trust'; trustId: string; projectId: string | null };

export interface TokenPayload {
  userId: string;
  /** As a bitmask it keeps no order: they come back in Keystone's order, highest bit first. */
  methods: AuthMethod[];
  scope: TokenScope;
  /** Set when authenticated by an application credential; the scope is then a project. */
  applicationCredentialId?: string;
  /** Set when authenticated by an OS-OAUTH1 access token; the scope is then its project. */
  accessTokenId?: string;
  /** Millisecond precision survives; Keystone renders it as `.000000Z`. */
  expiresAt: Date;
  /** [own audit id] or [own, parent's] for a token obtained with another token. */
  auditIds: string[];
}

/** Bytes that decrypted fine but do not hold a payload this module can read. */
export class MalformedPayload extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`Malformed token payload: ${reason}`, options);
    this.name = 'MalformedPayload';
  }
}

const VERSION = { unscoped: 0, domain: 1, project: 2, trust: 3, oauth: 7, system: 8, applicationCredential: 9 } as const;
const METHOD_BITS: ReadonlyArray<readonly [AuthMethod, number]> = [
  ['application_credential', 32],
  ['oauth1', 8],
  ['token', 4],
  ['password', 2],
];
const SYSTEM_ALL = 'all';
const UUID_HEX = /^[0-9a-f]{32}$/;
const AUDIT_ID = /^[A-Za-z0-9_-]{22}$/;
const MSGPACK_FLOAT64 = 0xcb;
const MSGPACK_FIXARRAY = 0x90;

/** A new audit id as Keystone makes them: 16 random bytes, base64url without padding. */
export function newAuditId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * @throws TypeError for a payload no token can carry (a caller's bug): no
 *   method, an empty id, a malformed audit id, an application credential
 *   outside project scope, an invalid date.
 */
export function packPayload(payload: TokenPayload): Uint8Array {
  checkPayload(payload);
  const { scope, applicationCredentialId: appCredId } = payload;
  const head = (version: number): Uint8Array[] => [encode(version), encode(packId(payload.userId)), encode(packMethods(payload.methods))];
  const tail = [packFloat64(payload.expiresAt.getTime() / 1000), encode(payload.auditIds.map(packAuditId))];
  switch (scope.kind) {
    case 'unscoped':
      return packArray([...head(VERSION.unscoped), ...tail]);
    case 'domain':
      return packArray([...head(VERSION.domain), encode(packBareId(scope.domainId)), ...tail]);
    case 'system':
      return packArray([...head(VERSION.system), encode(SYSTEM_ALL), ...tail]);
    case 'trust':
      return packArray([
        ...head(VERSION.trust),
        encode(scope.projectId === null ? [false, null] : packId(scope.projectId)),
        ...tail,
        encode(packTrustId(scope.trustId)),
      ]);
    case 'project':
      if (payload.accessTokenId !== undefined) {
        return packArray([...head(VERSION.oauth), encode(packId(scope.projectId)), encode(packId(payload.accessTokenId)), ...tail]);
      }
      return appCredId === undefined
        ? packArray([...head(VERSION.project), encode(packId(scope.projectId)), ...tail])
        : packArray([...head(VERSION.applicationCredential), encode(packId(scope.projectId)), ...tail, encode(packId(appCredId))]);
  }
}

/** @throws MalformedPayload for anything but a well-formed payload of a supported version. */
export function unpackPayload(bytes: Uint8Array): TokenPayload {
  const fields = decodeArray(bytes);
  const [version, user, methods, ...rest] = fields;
  const common = { userId: unpackId(user, 'user id'), methods: unpackMethods(methods) };
  const expecting = (count: number): unknown[] => {
    if (rest.length !== count) throw new MalformedPayload(`version ${String(version)} has ${fields.length} fields`);
    return rest;
  };
  switch (version) {
    case VERSION.unscoped: {
      const [expires, audit] = expecting(2);
      return { ...common, scope: { kind: 'unscoped' }, ...unpackTail(expires, audit) };
    }
    case VERSION.domain: {
      const [domain, expires, audit] = expecting(3);
      return { ...common, scope: { kind: 'domain', domainId: unpackBareId(domain) }, ...unpackTail(expires, audit) };
    }
    case VERSION.project: {
      const [project, expires, audit] = expecting(3);
      return { ...common, scope: { kind: 'project', projectId: unpackId(project, 'project id') }, ...unpackTail(expires, audit) };
    }
    case VERSION.trust: {
      const [project, expires, audit, trust] = expecting(4);
      const projectId = Array.isArray(project) && project[0] === false && project[1] === null ? null : unpackId(project, 'project id');
      return { ...common, scope: { kind: 'trust', trustId: unpackTrustId(trust), projectId }, ...unpackTail(expires, audit) };
    }
    case VERSION.oauth: {
      const [project, accessToken, expires, audit] = expecting(4);
      return {
        ...common,
        scope: { kind: 'project', projectId: unpackId(project, 'project id') },
        accessTokenId: unpackId(accessToken, 'access token id'),
        ...unpackTail(expires, audit),
      };
    }
    case VERSION.system: {
      const [system, expires, audit] = expecting(3);
      if (system !== SYSTEM_ALL) throw new MalformedPayload(`unknown system scope ${JSON.stringify(system)}`);
      return { ...common, scope: { kind: 'system' }, ...unpackTail(expires, audit) };
    }
    case VERSION.applicationCredential: {
      const [project, expires, audit, appCred] = expecting(4);
      return {
        ...common,
        scope: { kind: 'project', projectId: unpackId(project, 'project id') },
        applicationCredentialId: unpackId(appCred, 'application credential id'),
        ...unpackTail(expires, audit),
      };
    }
    default:
      throw new MalformedPayload(`unsupported payload version ${String(version)}`);
  }
}

function decodeArray(bytes: Uint8Array): unknown[] {
  let fields: unknown;
  try {
    fields = decode(bytes);
  } catch (error) {
    throw new MalformedPayload('not MessagePack', { cause: error });
  }
  if (!Array.isArray(fields)) throw new MalformedPayload('not an array');
  return fields as unknown[];
}

function checkPayload(payload: TokenPayload): void {
  const ids = [payload.userId, payload.applicationCredentialId, payload.accessTokenId, scopeId(payload.scope)];
  if (ids.some((id) => id === '')) throw new TypeError('Token ids must not be empty');
  if (payload.methods.length === 0) throw new TypeError('A token needs at least one authentication method');
  if (payload.auditIds.length < 1 || payload.auditIds.length > 2) {
    throw new TypeError("A token carries its own audit id, and its parent's if rescoped");
  }
  if (payload.applicationCredentialId !== undefined && payload.scope.kind !== 'project') {
    throw new TypeError('An application credential token is always project-scoped');
  }
  if (payload.accessTokenId !== undefined && (payload.scope.kind !== 'project' || payload.applicationCredentialId !== undefined)) {
    throw new TypeError('An OAuth1 token is project-scoped and carries no application credential');
  }
  if (!Number.isFinite(payload.expiresAt.getTime())) throw new TypeError('expiresAt is not a valid date');
}

function scopeId(scope: TokenScope): string | undefined {
  if (scope.kind === 'project') return scope.projectId;
  if (scope.kind === 'domain') return scope.domainId;
  if (scope.kind === 'trust') return scope.trustId;
  return undefined;
}

/** msgpack for the array of already-packed `items` (Keystone's payloads have at most 7). */
function packArray(items: Uint8Array[]): Uint8Array {
  return Buffer.concat([Uint8Array.of(MSGPACK_FIXARRAY | items.length), ...items]);
}

/** Always a float64, as Python packs a float, even for a whole second (which @msgpack/msgpack would pack as an int). */
function packFloat64(value: number): Uint8Array {
  const bytes = Buffer.alloc(9);
  bytes[0] = MSGPACK_FLOAT64;
  bytes.writeDoubleBE(value, 1);
  return bytes;
}

function packId(id: string): [boolean, Uint8Array | string] {
  return UUID_HEX.test(id) ? [true, Buffer.from(id, 'hex')] : [false, id];
}

/** Keystone packs a trust id as its UUID's 16 bytes, whatever its form: trust ids are always UUIDs. */
function packTrustId(id: string): Uint8Array {
  if (!UUID_HEX.test(id)) throw new TypeError(`Trust id ${JSON.stringify(id)} is not a UUID in 32 hex digits`);
  return Buffer.from(id, 'hex');
}

function unpackTrustId(field: unknown): string {
  if (field instanceof Uint8Array && field.length === 16) return Buffer.from(field).toString('hex');
  throw new MalformedPayload('bad trust id');
}

function packBareId(id: string): Uint8Array | string {
  return UUID_HEX.test(id) ? Buffer.from(id, 'hex') : id;
}

function packMethods(methods: AuthMethod[]): number {
  return METHOD_BITS.reduce((mask, [method, bit]) => (methods.includes(method) ? mask | bit : mask), 0);
}

function packAuditId(auditId: string): Uint8Array {
  const bytes = Buffer.from(auditId, 'base64url');
  if (!AUDIT_ID.test(auditId) || bytes.toString('base64url') !== auditId) {
    throw new TypeError(`Audit id ${JSON.stringify(auditId)} is not 16 bytes in unpadded base64url`);
  }
  return bytes;
}

function unpackId(field: unknown, what: string): string {
  if (Array.isArray(field) && field.length === 2) {
    const [isBytes, value] = field as unknown[];
    if (isBytes === true && value instanceof Uint8Array && value.length === 16) return Buffer.from(value).toString('hex');
    if (isBytes === false && typeof value === 'string' && value !== '') return value;
  }
  throw new MalformedPayload(`bad ${what}`);
}

function unpackBareId(field: unknown): string {
  if (field instanceof Uint8Array && field.length === 16) return Buffer.from(field).toString('hex');
  if (typeof field === 'string' && field !== '') return field;
  throw new MalformedPayload('bad domain id');
}

function unpackMethods(field: unknown): AuthMethod[] {
  // Bounded first: bitwise operators would silently truncate a larger number.
  if (typeof field !== 'number' || !Number.isInteger(field) || field <= 0 || field > 0x7fffffff) {
    throw new MalformedPayload('bad methods');
  }
  const known = METHOD_BITS.reduce((mask, [, bit]) => mask | bit, 0);
  if ((field & ~known) !== 0) throw new MalformedPayload(`methods ${field} include one Nimbus does not support`);
  return METHOD_BITS.filter(([, bit]) => (field & bit) !== 0).map(([method]) => method);
}

function unpackTail(expires: unknown, audit: unknown): Pick<TokenPayload, 'expiresAt' | 'auditIds'> {
  if (typeof expires !== 'number' || !Number.isFinite(expires)) throw new MalformedPayload('bad expires_at');
  const valid = Array.isArray(audit) && audit.length >= 1 && audit.length <= 2 && audit.every((id: unknown) => id instanceof Uint8Array && id.length === 16);
  if (!valid) throw new MalformedPayload('bad audit ids');
  return {
    expiresAt: new Date(Math.round(expires * 1000)),
    auditIds: (audit as Uint8Array[]).map((id) => Buffer.from(id).toString('base64url')),
  };
}
