/**
 * Malformed and oversize input gets Swift's 4xx and text, before a body is
 * read where Swift decides from the headers: SLO manifests of every wrong
 * shape, bulk deletes with binary or badly escaped bodies, garbage archives,
 * name lengths, metadata limits, header sizes, max_file_size, listing limits.
 */
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSwiftCloud, type SwiftTestCloud } from './support.js';

describe('object store: hostile input', () => {
  let t: SwiftTestCloud;
  let c: string;
  before(async () => {
    t = await startSwiftCloud();
    c = `${t.adminAccount}/hostile`;
    await t.swift('PUT', c);
    await t.swift('PUT', `${c}/seg`, { body: 'segment' });
  });
  after(() => t?.cloud.close());

  /** Sends only a request head (no body) on a raw socket and returns the answer's status. */
  const headOnly = (lines: string[]) =>
    new Promise<number>((resolve, reject) => {
      const url = new URL(t.cloud.url);
      const socket = connect(Number(url.port), url.hostname, () => socket.write(`${lines.join('\r\n')}\r\n\r\n`));
      let received = '';
      socket.on('data', (data) => {
        received += data.toString('latin1');
        if (received.includes('\r\n')) {
          socket.destroy();
          resolve(Number(received.split(' ')[1]));
        }
      });
      socket.on('error', reject);
    });
  const manifest = (body: string | Uint8Array<ArrayBuffer>) => t.swift('PUT', `${c}/slo?multipart-manifest=put`, { body });

  test("SLO manifests of the wrong shape are 400 with Swift's Index lines", async () => {
    const nulls = await manifest('[null]');
    assert.equal(nulls.status, 400);
    assert.equal(nulls.text, 'Index 0: not a JSON object\n');
    const many = await manifest(
      JSON.stringify([
        7,
        {},
        { path: 5 },
        { path: 'hostile/seg', etag: 5 },
        { path: 'nocontainer' },
        { path: 'hostile/seg', size_bytes: 'big' },
        { path: 'hostile/seg', size_bytes: 0 },
        { path: 'hostile/seg', range: '5-1' },
        { path: 'hostile/seg', range: '1-2,3-4' },
        { path: 'hostile/seg', size_bytes: 7, range: '9-' },
        { path: 'hostile/seg', extra: 1 },
        { path: 'hostile/slo' },
        { path: 'hostile/seg' },
      ]),
    );
    assert.equal(many.status, 400);
    assert.deepEqual(many.text.split('\n').filter(Boolean), [
      'Index 0: not a JSON object',
      "Index 1: expected keys to include one of 'data' or 'path'",
      'Index 2: "path" must be a string',
      'Index 3: "etag" must be a string or null (if provided)',
      'Index 4: path does not refer to an object. Path must be of the form /container/object.',
      'Index 5: invalid size_bytes',
      'Index 6: too small; each segment must be at least 1 byte.',
      'Index 7: invalid range',
      'Index 8: multiple ranges (only one allowed)',
      'Index 9: unsatisfiable range',
      'Index 10: extraneous keys "extra"',
      'Index 11: manifest must not include itself as a segment',
    ]);
    assert.equal((await manifest('{"path": "hostile/seg"}')).text, 'Manifest must be a list.\n');
    assert.equal((await manifest('[{"path": ')).text, 'Manifest must be valid JSON.\n');
    assert.equal((await manifest(new Uint8Array([0x5b, 0x22, 0xff, 0x22, 0x5d]))).text, 'Manifest must be valid JSON.\n');
    assert.equal((await t.swift('HEAD', `${c}/slo`)).status, 404);
  });

  test('SLO: too many segments and an oversize manifest are 413; a manifest copy is 405', async () => {
    const segments = JSON.stringify(Array.from({ length: 1001 }, () => ({ path: 'hostile/seg' })));
    const many = await manifest(segments);
    assert.equal(many.status, 413);
    assert.equal(many.text, 'Number of object-backed segments must be <= 1000');
    assert.equal(await headOnly([`PUT ${c}/slo?multipart-manifest=put HTTP/1.1`, 'Host: x', `X-Auth-Token: ${t.adminToken}`, 'Content-Length: 8388609']), 413);
    const copy = await t.swift('PUT', `${c}/slo?multipart-manifest=put`, { headers: { 'x-copy-from': 'hostile/seg' } });
    assert.equal(copy.status, 405);
    assert.equal(copy.text, 'Multipart Manifest PUTs cannot be COPY requests');
    // Segment names Swift's constraints refuse are problems of the manifest, not errors of the server.
    const named = await manifest(JSON.stringify([{ path: `hostile/${'n'.repeat(1100)}` }, { path: 'hostile/a\u0000b' }]));
    assert.equal(named.status, 400);
    assert.match(named.text, /400 Bad Request\n.*412 Precondition Failed$/s);
  });

  test('bulk delete: binary, badly escaped and invalid UTF-8 lines are per-line answers, never a server error', async () => {
    await t.swift('PUT', `${c}/%25zz`, { body: 'x' });
    const body = new Uint8Array([...Buffer.from('/hostile/%FF%FE\n/hostile/'), 0xff, 0xfe, ...Buffer.from('\n/hostile/%zz\n\0\n')]);
    const response = await t.swift('POST', `${t.adminAccount}?bulk-delete`, { body, headers: { accept: 'application/json' } });
    assert.equal(response.status, 200);
    const summary = JSON.parse(response.text);
    assert.equal(summary['Number Deleted'], 1, 'the object named "%zz", its bad escape kept as Swift keeps it');
    assert.deepEqual(summary.Errors, [
      ['/hostile/%FF%FE', '412 Precondition Failed'],
      ['/hostile/%FF%FE', '412 Precondition Failed'],
      ['%00', '412 Precondition Failed'],
    ]);
    assert.equal(summary['Response Status'], '400 Bad Request');
  });

  test('bulk delete: too many lines, a long line, a wrong type or nothing at all are answered in the summary', async () => {
    const bulk = (body: string, headers: Record<string, string> = {}) =>
      t.swift('DELETE', `${t.adminAccount}?bulk-delete`, { body, headers: { accept: 'application/json', ...headers } }).then((r) => JSON.parse(r.text));
    const many = await bulk('/hostile/x\n'.repeat(10_001));
    assert.equal(many['Response Status'], '413 Request Entity Too Large');
    assert.equal(many['Response Body'], 'Maximum Bulk Deletes: 10000 per request');
    assert.equal(many['Number Not Found'], 0);
    const long = await bulk(`/hostile/${'l'.repeat(6000)}`);
    assert.equal(long['Response Status'], '400 Bad Request');
    assert.equal(long['Response Body'], 'Invalid File Name');
    assert.equal((await bulk('/hostile/x', { 'content-type': 'application/json' }))['Response Status'], '406 Not Acceptable');
    const empty = await bulk('\n\n');
    assert.equal(empty['Response Status'], '400 Bad Request');
    assert.equal(empty['Response Body'], 'Invalid bulk delete.');
  });

  test('extract-archive with garbage answers a 400 summary', async () => {
    for (const format of ['tar', 'tar.gz']) {
      const garbage = await t.swift('PUT', `${c}?extract-archive=${format}`, { body: new Uint8Array(1500).fill(0x37) });
      assert.equal(garbage.status, 200, format);
      assert.match(garbage.text, /Response Status: 400 Bad Request/);
    }
    assert.equal((await t.swift('PUT', `${c}?extract-archive=bz2`, { body: 'x' })).status, 400);
  });

  test("names past Swift's lengths are 400, NUL or invalid UTF-8 412, bad escapes in headers kept as written", async () => {
    const account = await t.swift('GET', `/object-store/v1/AUTH_${'a'.repeat(260)}`);
    assert.equal(account.status, 400);
    assert.equal(account.text, 'Account name length of 265 longer than 256');
    assert.equal((await t.swift('PUT', `${t.adminAccount}/${'c'.repeat(257)}`)).text, 'Container name length of 257 longer than 256');
    assert.equal((await t.swift('PUT', `${c}/${'o'.repeat(1025)}`, { body: 'x' })).text, 'Object name length of 1025 longer than 1024');
    assert.equal((await t.swift('PUT', `${c}/a%00b`, { body: 'x' })).status, 412);
    const copy = await t.swift('COPY', `${c}/seg`, { headers: { destination: `hostile/${'o'.repeat(1025)}` } });
    assert.equal(copy.text, 'Object name length of 1025 longer than 1024');
    // Invalid escapes in the URL itself are refused (400) by the HTTP router before Swift's code sees them.
    assert.equal((await t.swift('PUT', `${c}/%FF`, { body: 'x' })).status, 400);
    // In headers they are Swift's: invalid UTF-8 is 412, an escape that is none is kept as written.
    assert.equal((await t.swift('PUT', `${c}/copy`, { headers: { 'x-copy-from': 'hostile/%FF%FE' } })).status, 412);
    await t.swift('PUT', `${c}/100%25`, { body: 'x' });
    assert.equal((await t.swift('PUT', `${c}/copy`, { headers: { 'x-copy-from': 'hostile/100%' } })).status, 201);
  });

  test("metadata and header limits are 400 with Swift's text, also piled up over several POSTs", async () => {
    const items = (n: number, from = 0) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`x-container-meta-k${i + from}`, 'v']));
    assert.equal((await t.swift('POST', c, { headers: items(91) })).text, 'Too many metadata items; max 90');
    assert.equal((await t.swift('POST', c, { headers: items(60) })).status, 204);
    assert.equal((await t.swift('POST', c, { headers: items(60, 60) })).text, 'Too many metadata items; max 90');
    assert.equal(
      (await t.swift('POST', `${c}/seg`, { headers: { [`x-object-meta-${'n'.repeat(129)}`]: 'v' } })).text,
      `Metadata name too long: x-object-meta-${'n'.repeat(129)}`,
    );
    assert.equal(
      (await t.swift('POST', `${c}/seg`, { headers: { 'x-object-meta-v': 'v'.repeat(257) } })).text,
      'Metadata value longer than 256: x-object-meta-v',
    );
    assert.equal((await t.swift('POST', c, { headers: { 'x-container-meta-u': '\xff' } })).text, 'Metadata must be valid UTF-8');
    assert.equal(
      (await t.swift('PUT', `${c}/h`, { body: 'x', headers: { 'x-object-meta-h': 'h'.repeat(8193) } })).text,
      'Header value too long: x-object-meta-h',
    );
  });

  test('max_file_size and missing lengths are answered from the headers, before any body', async () => {
    const put = (length: string[]) => headOnly([`PUT ${c}/huge HTTP/1.1`, 'Host: x', `X-Auth-Token: ${t.adminToken}`, ...length]);
    assert.equal(await put(['Content-Length: 5368709123']), 413);
    assert.equal(await put([]), 411);
    assert.equal((await t.swift('GET', `${c}?limit=10001`)).status, 412);
  });
});
