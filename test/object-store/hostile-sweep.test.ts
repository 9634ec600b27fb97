/**
 * A sweep of every Swift write route (PUT/POST/DELETE/COPY on account,
 * container and object; bulk delete and extract; SLO and DLO manifests;
 * formpost; temp URLs; cross-account copies) with hostile input: invalid
 * UTF-8 and NUL in names and headers, `..` and `/` tricks, oversize names and
 * headers, wrong JSON types, binary bodies. No request may get a 5xx, and the
 * server answers normally afterwards. The combinations are drawn by
 * fast-check with a fixed seed, so a failure replays.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startSwiftCloud, type SwiftTestCloud } from './support.js';

const RUNS = 1500;

const TARGETS = [
  '',
  '/c',
  '/c/o',
  '/c/%FF',
  '/c/%00x',
  '/%FF/o',
  '/c/../o',
  '/c/a/../../b',
  '/c/./o/',
  `/${'x'.repeat(300)}`,
  `/c/${'y'.repeat(1100)}`,
  '/c/%zz',
  '/c/%',
  '//o',
  '/c//o',
  '/%E2%82/o',
  '/c/%ED%A0%80',
  '/versions/o',
  '/quota/o',
];
const METHODS = ['PUT', 'POST', 'DELETE', 'COPY', 'GET', 'HEAD'];
const QUERIES = [
  '',
  '?multipart-manifest=put',
  '?multipart-manifest=get',
  '?multipart-manifest=delete',
  '?bulk-delete',
  '?extract-archive=tar',
  '?extract-archive=tar.gz',
  '?extract-archive=bz2',
  '?temp_url_sig=zz&temp_url_expires=1e99',
  `?temp_url_sig=${'a'.repeat(64)}&temp_url_expires=99999999999&temp_url_prefix=%FF`,
  '?limit=-1',
  '?limit=99999999999999999999',
  '?format=json&marker=%FF',
  '?delimiter=%FF%FE',
  '?path=%00',
  '?format=xml&prefix=%ED%A0%80',
];
/** Latin-1 characters stand for the bytes Node reads (0xFF, 0xFE: not UTF-8). */
const BAD_UTF8 = '\xff\xfe';
const HEADERS: Array<Record<string, string>> = [
  {},
  { 'x-object-meta-a': BAD_UTF8 },
  { 'x-container-meta-a': BAD_UTF8, 'x-account-meta-b': BAD_UTF8 },
  { 'x-account-meta-quota-bytes': 'abc', 'x-account-meta-quota-count': '-1' },
  { 'x-container-meta-quota-bytes': '1e9', 'x-container-meta-quota-count': BAD_UTF8 },
  { 'x-copy-from': '%FF/x' },
  { 'x-copy-from': 'c/o', 'x-copy-from-account': '%00' },
  { 'x-copy-from': '%' },
  { 'x-copy-from': '/c/o', 'x-copy-from-account': 'NOT_AUTH' },
  { destination: '%zz/%FF' },
  { destination: 'c/o2', 'destination-account': 'AUTH_%FF' },
  { destination: 'c/o2', 'destination-account': '' },
  { destination: '/', 'destination-account': 'a/b' },
  { 'x-object-manifest': '%FF/%' },
  { 'x-object-manifest': '../../c' },
  { 'x-delete-at': '1e400' },
  { 'x-delete-after': '99999999999999999999999' },
  { 'x-container-read': `${BAD_UTF8},.r:,.r:-,*:*`, 'x-container-write': '.r:*' },
  { 'x-versions-location': '%FF' },
  { 'x-history-location': 'versions', 'x-versions-location': 'versions' },
  { 'x-huge': 'a'.repeat(9000) },
  { 'x-object-meta-big': 'b'.repeat(300), [`x-object-meta-${'n'.repeat(200)}`]: 'v' },
  { 'content-type': BAD_UTF8, 'x-detect-content-type': 'true' },
  { 'content-type': 'multipart/form-data; boundary=zz' },
  { 'content-type': 'multipart/form-data' },
  { 'content-type': 'application/json', accept: 'application/json' },
  { range: 'bytes=99999999999999999999-', 'if-none-match': '*' },
  { etag: BAD_UTF8, 'x-storage-policy': BAD_UTF8 },
];
const BODIES: Array<string | Uint8Array<ArrayBuffer> | null> = [
  null,
  '[null]',
  '[{"path": 5}, 7, {"path": "c/o", "size_bytes": {"x": 1}}, {"data": "!!"}, {"path": "c/o", "range": "5-1,3-4"}]',
  '{"a": [1, 2, {"b": null}]}',
  new Uint8Array([0xff, 0xfe, 0x0a, 0x25, 0x7a, 0x7a, 0x0a, 0x25, 0x46, 0x46, 0x25, 0x46, 0x45, 0x0a, 0x00, 0x0a, 0x2f, 0x2e, 0x2e]),
  '--zz\r\nContent-Disposition: form-data; name="max_file_size"\r\n\r\nabc\r\n--zz\r\nContent-Disposition: form-data; name="file"; filename="\xff"\r\n\r\nx\r\n--zz--\r\n',
  new Uint8Array(1536).fill(0x41),
  `${'/c/o\n'.repeat(50)}${'z'.repeat(3000)}`,
];

describe('object store: hostile input sweep', () => {
  let t: SwiftTestCloud;
  before(async () => {
    t = await startSwiftCloud();
    for (const container of ['c', 'versions', 'quota']) await t.swift('PUT', `${t.adminAccount}/${container}`);
    await t.swift('POST', `${t.adminAccount}/quota`, { headers: { 'x-container-meta-quota-bytes': '100', 'x-versions-location': 'versions' } });
    await t.swift('PUT', `${t.adminAccount}/c/o`, { body: 'hello' });
    await t.swift('POST', t.adminAccount, { headers: { 'x-account-meta-temp-url-key': 'k' } });
  });
  after(() => t?.cloud.close());

  test(`${RUNS} hostile write requests: no 5xx, and the store still answers`, { timeout: 600_000 }, async () => {
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...METHODS),
        fc.constantFrom(...TARGETS),
        fc.constantFrom(...QUERIES),
        fc.constantFrom(...HEADERS),
        fc.constantFrom(...BODIES),
        fc.boolean(),
        async (method, target, query, headers, body, anonymous) => {
          const send = method === 'GET' || method === 'HEAD' ? null : body;
          const response = await t.swift(method, `${t.adminAccount}${target}${query}`, {
            token: anonymous ? null : t.adminToken,
            headers,
            body: send,
          });
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status >= 500)
            failures.push(`${method} ${target}${query} ${JSON.stringify(Object.keys(headers))} body=${BODIES.indexOf(body)} -> ${response.status}`);
        },
      ),
      { numRuns: RUNS, seed: 12, endOnFailure: false },
    );
    console.log(JSON.stringify([...statuses]));
    assert.deepEqual(failures, [], `${failures.length} requests got a 5xx; statuses ${JSON.stringify([...statuses])}`);
    await t.swift('PUT', `${t.adminAccount}/after`);
    assert.equal((await t.swift('PUT', `${t.adminAccount}/after/o`, { body: 'hello' })).status, 201);
    assert.equal((await t.swift('GET', `${t.adminAccount}/after/o`)).text, 'hello');
  });
});
