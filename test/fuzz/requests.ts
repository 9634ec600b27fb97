/**
 * Hostile requests for one declared route: its path with real or hostile
 * parameters, a body from its schema (mutated) or shaped after its root key,
 * a raw body that is not JSON or not UTF-8, and for Swift hostile headers.
 */
import fc from 'fast-check';
import type { DeclaredRoute } from '../../src/core/http/route-table.js';
import { type Fixtures, encodeSegment, paramValue } from './fixtures.js';
import { ACTION_NAMES, EDGE_STRINGS, hostileObject, hostileValue, singular } from './hostile.js';
import { EXAMPLES } from './examples.js';
import { mutations } from './mutate.js';
import { fromSchema } from './schema-arbitrary.js';

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** JSON to send, or raw bytes. */
  body: { json: unknown } | { raw: Buffer } | null;
  caller: Caller;
}

/** Who sends: demo's member, the cloud admin, or a user with only the reader role on demo. */
export type Caller = 'member' | 'admin' | 'reader';

/** A bulk-delete-like list with percent-encodings that do not decode. */
const BAD_PERCENT = Buffer.from('/fuzz/%E0%A4%A\n/fuzz/%ff%fe\n%\n/fuzz/object\n');
const NOT_UTF8 = Buffer.from([0xff, 0xfe, 0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x80, 0x7d, 0x00]);

/** Header values fetch can carry (no CR, LF or NUL), each one a hostile case. */
const HEADER_VALUES = EDGE_STRINGS.filter((s) => /^[\x20-\x7e]*$/.test(s)).concat(['-1', '99999999999999999999', '1e308', 'AUTH_other/c', '/', 'c/o', '*']);

const SWIFT_HEADERS = [
  'x-container-meta-quota-bytes',
  'x-container-meta-quota-count',
  'x-account-meta-quota-bytes',
  'x-object-manifest',
  'x-static-large-object',
  'destination',
  'destination-account',
  'x-copy-from',
  'x-copy-from-account',
  'x-delete-at',
  'x-delete-after',
  'x-container-read',
  'x-container-write',
  'x-versions-location',
  'x-history-location',
  'x-account-meta-temp-url-key',
  'x-symlink-target',
  'x-symlink-target-account',
  'x-object-meta-a',
  'content-type',
  'if-none-match',
  'x-detect-content-type',
  'x-container-sync-to',
  'x-storage-policy',
  'etag',
];

const SWIFT_QUERIES = [
  '',
  '?multipart-manifest=put',
  '?multipart-manifest=delete',
  '?bulk-delete',
  '?extract-archive=tar',
  '?extract-archive=tar.gz',
  '?symlink=get',
  '?temp_url_sig=x&temp_url_expires=1',
];

export function requestsFor(route: DeclaredRoute, fixtures: Fixtures): fc.Arbitrary<FuzzRequest> {
  const isSwift = route.url.startsWith('/object-store/');
  const path = isSwift ? swiftPath(fixtures) : routePath(route.url, fixtures);
  const headers = isSwift ? swiftHeaders() : versionHeaders(route.url);
  return fc.record({
    method: fc.constant(route.method),
    path,
    headers,
    body: bodyFor(route),
    // The fixtures' Swift account is the member's; an admin of another project has no rights there.
    caller: isSwift ? fc.constant<Caller>('member') : fc.constantFrom<Caller>('member', 'admin'),
  });
}

/** The route's path with every parameter the real fixture (a fresh id where there is none). */
export function routePathFor(route: DeclaredRoute, fixtures: Fixtures): string {
  return route.url
    .split('/')
    .map((segment, i, segments) => {
      if (!segment.startsWith(':')) return segment;
      const name = segment.slice(1);
      return (name === 'project_id' ? fixtures.projectId : fixtures.byCollection[segments[i - 1] ?? '']) ?? fixtures.byName.uuid;
    })
    .join('/');
}

function routePath(url: string, fixtures: Fixtures): fc.Arbitrary<string> {
  const segments = url.split('/');
  const parts = segments.map((segment, i): fc.Arbitrary<string> => {
    if (segment === '*') return fc.constantFrom(...EDGE_STRINGS).map(encodeSegment);
    if (!segment.startsWith(':')) return fc.constant(segment);
    return paramValue(fixtures, segments[i - 1] ?? '', segment.slice(1));
  });
  return fc.tuple(...parts).map((values) => values.join('/'));
}

function swiftPath(fixtures: Fixtures): fc.Arbitrary<string> {
  const account = fc.oneof(
    { weight: 4, arbitrary: fc.constant(`AUTH_${fixtures.projectId}`) },
    { weight: 1, arbitrary: fc.constantFrom('AUTH_other', 'AUTH_', '..') },
  );
  const name = (real: string) =>
    fc.oneof({ weight: 2, arbitrary: fc.constant(real) }, { weight: 1, arbitrary: fc.constantFrom(...EDGE_STRINGS).map(encodeSegment) });
  return fc
    .tuple(account, fc.option(name(fixtures.container)), fc.option(name(fixtures.object)), fc.constantFrom(...SWIFT_QUERIES))
    .map(([a, c, o, query]) => `/object-store/v1/${a}${c === null ? '' : `/${c}`}${c !== null && o !== null ? `/${o}` : ''}${query}`);
}

function swiftHeaders(): fc.Arbitrary<Record<string, string>> {
  return fc.dictionary(fc.constantFrom(...SWIFT_HEADERS), fc.constantFrom(...HEADER_VALUES), { maxKeys: 3 });
}

/** Microversion headers: mostly the newest (most code to reach), now and then the oldest or nonsense. */
function versionHeaders(url: string): fc.Arbitrary<Record<string, string>> {
  const service = url.split('/')[1] ?? '';
  const versions: Record<string, { newest: string; edges: string[] }> = {
    compute: { newest: 'compute 2.latest', edges: ['compute 2.1', 'compute 2.1000', 'compute x'] },
    volume: { newest: 'volume 3.latest', edges: ['volume 3.0', 'volume 9.9'] },
    placement: { newest: 'placement latest', edges: ['placement 1.0', 'placement 1.999'] },
  };
  const choice = versions[service];
  if (!choice) return fc.constant({});
  return fc
    .oneof(
      { weight: 6, arbitrary: fc.constant(choice.newest) },
      { weight: 2, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constantFrom(...choice.edges) },
    )
    .map((v): Record<string, string> => (v === null ? {} : { 'openstack-api-version': v }));
}

function bodyFor(route: DeclaredRoute): fc.Arbitrary<FuzzRequest['body']> {
  if (route.url.startsWith('/object-store/')) {
    return fc.oneof(
      fc.constant(null),
      fc.constantFrom({ raw: NOT_UTF8 }, { raw: BAD_PERCENT }),
      hostileValue.map((json) => ({ json })),
    );
  }
  const keys = rootKeys(route.url);
  const flat = hostileObject(hostileValue);
  const shaped = keys.length > 0 ? fc.tuple(fc.constantFrom(...keys), flat).map(([key, value]) => ({ [key]: value })) : flat;
  const choices: Array<fc.WeightedArbitrary<FuzzRequest['body']>> = [
    { weight: 3, arbitrary: shaped.map((json) => ({ json })) },
    // Some bodies have no root key (router interfaces, Glance, Placement, Keystone's auth).
    { weight: 2, arbitrary: flat.map((json) => ({ json })) },
    { weight: 1, arbitrary: hostileValue.map((json) => ({ json })) },
    { weight: 1, arbitrary: fc.constantFrom<FuzzRequest['body']>(null, { raw: NOT_UTF8 }) },
  ];
  if (route.bodySchema) choices.push({ weight: 4, arbitrary: fromSchema(route.bodySchema).map((json) => ({ json })) });
  // Placeholders stay: the sender resolves them, with a fresh `$unique` each time.
  const examples = EXAMPLES[`${route.method} ${route.url}`] ?? [];
  if (examples.length > 0) {
    const mutated = fc
      .constantFrom(...examples)
      .chain((example) => fc.oneof({ weight: 1, arbitrary: fc.constant(example) }, { weight: 6, arbitrary: mutations(example) }));
    choices.push({ weight: 12, arbitrary: mutated.map((json) => ({ json })) });
  }
  return fc.oneof(...choices);
}

/** The root keys a body of this route names: its collection's singular, or the service's action names. */
function rootKeys(url: string): string[] {
  const statics = url.split('/').filter((s) => s !== '' && !s.startsWith(':') && s !== '*');
  const last = statics.at(-1) ?? '';
  const service = statics[0] ?? '';
  if (last === 'action' || last === 'restore' || last === 'accept') return ACTION_NAMES[service] ?? [];
  return [singular(last), last.replaceAll('-', '_')];
}
