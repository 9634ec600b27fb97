/**
 * The Swift API over HTTP: accounts, containers, objects, listings, metadata,
 * conditional and range requests, copies, expiry, and Swift's error statuses.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { md5, startSwiftCloud, type SwiftTestCloud } from './support.js';

describe('object store: accounts, containers, objects', () => {
  let t: SwiftTestCloud;
  let c: string;
  before(async () => {
    t = await startSwiftCloud();
    c = `${t.adminAccount}/photos`;
  });
  after(() => t?.cloud.close());

  test('/info, /healthcheck and /crossdomain.xml answer without a token', async () => {
    const info = JSON.parse((await t.swift('GET', '/object-store/info', { token: null })).text);
    assert.equal(info.swift.max_file_size, 5_368_709_122);
    assert.deepEqual(info.tempurl.allowed_digests, ['sha1', 'sha256', 'sha512']);
    assert.deepEqual(info.staticweb, {});
    assert.equal((await t.swift('GET', '/object-store/healthcheck', { token: null })).text, 'OK');
    assert.match(
      (await t.swift('GET', '/object-store/crossdomain.xml', { token: null })).text,
      /<allow-access-from domain="\*" secure="false" \/>\n<\/cross-domain-policy>$/,
    );
  });

  test('an account with no containers answers zero counts, and 204 for a plain listing', async () => {
    const head = await t.swift('HEAD', t.adminAccount);
    assert.equal(head.status, 204);
    assert.equal(head.headers.get('x-account-container-count'), '0');
    assert.match(head.headers.get('x-trans-id') ?? '', /^tx[0-9a-f]{21}-[0-9a-f]{10}$/);
    assert.equal((await t.swift('GET', t.adminAccount)).status, 204);
    const json = await t.swift('GET', `${t.adminAccount}?format=json`);
    assert.equal(json.status, 200);
    assert.deepEqual(JSON.parse(json.text), []);
  });

  test('container create is 201, then 202; delete of a non-empty container is 409', async () => {
    assert.equal((await t.swift('PUT', c, { headers: { 'x-container-meta-color': 'blue' } })).status, 201);
    assert.equal((await t.swift('PUT', c)).status, 202);
    const head = await t.swift('HEAD', c);
    assert.equal(head.headers.get('x-container-meta-color'), 'blue');
    assert.equal(head.headers.get('x-storage-policy'), 'Policy-0');
    assert.equal((await t.swift('PUT', `${c}/keep.txt`, { body: 'x' })).status, 201);
    const conflict = await t.swift('DELETE', c);
    assert.equal(conflict.status, 409);
    assert.match(conflict.text, /Conflict/);
    assert.equal((await t.swift('DELETE', `${c}/keep.txt`)).status, 204);
  });

  test('object PUT, GET, HEAD with metadata, Content-Type detection, and the listing counts', async () => {
    const body = 'hello object store';
    const put = await t.swift('PUT', `${c}/a/b/hello.txt`, {
      body,
      headers: { 'x-object-meta-owner': 'ana', 'content-disposition': 'inline', 'content-encoding': 'identity' },
    });
    assert.equal(put.status, 201);
    assert.equal(put.headers.get('etag'), md5(body));
    const get = await t.swift('GET', `${c}/a/b/hello.txt`);
    assert.equal(get.text, body);
    assert.equal(get.headers.get('content-type'), 'text/plain');
    assert.equal(get.headers.get('x-object-meta-owner'), 'ana');
    assert.equal(get.headers.get('content-disposition'), 'inline');
    const head = await t.swift('HEAD', `${c}/a/b/hello.txt`);
    assert.equal(head.headers.get('content-length'), String(body.length));
    const container = await t.swift('HEAD', c);
    assert.equal(container.headers.get('x-container-object-count'), '1');
    assert.equal(container.headers.get('x-container-bytes-used'), String(body.length));
    const account = await t.swift('HEAD', t.adminAccount);
    assert.equal(account.headers.get('x-account-object-count'), '1');
  });

  test('a wrong ETag is 422 and stores nothing; no length is 411', async () => {
    const bad = await t.swift('PUT', `${c}/bad`, { body: 'data', headers: { etag: md5('other') } });
    assert.equal(bad.status, 422);
    assert.equal((await t.swift('GET', `${c}/bad`)).status, 404);
    // Neither Content-Length nor chunked: written by hand, as fetch and http.request always add one.
    const url = new URL(`${t.cloud.url}${c}/nolength`);
    const status = await new Promise<number>((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => {
        socket.write(`PUT ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nX-Auth-Token: ${t.adminToken}\r\nConnection: close\r\n\r\n`);
      });
      let answer = '';
      socket.on('data', (data) => (answer += data.toString()));
      socket.on('end', () => resolve(Number(answer.split(' ')[1])));
      socket.on('error', reject);
    });
    assert.equal(status, 411);
  });

  test('If-None-Match: * creates only: 412 when the object exists', async () => {
    assert.equal((await t.swift('PUT', `${c}/once`, { body: '1', headers: { 'if-none-match': '*' } })).status, 201);
    assert.equal((await t.swift('PUT', `${c}/once`, { body: '2', headers: { 'if-none-match': '*' } })).status, 412);
    assert.equal((await t.swift('GET', `${c}/once`)).text, '1');
  });

  test('a chunked upload streams and reads back', async () => {
    const chunk = Buffer.alloc(64 * 1024, 7);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 32) return controller.close();
        sent++;
        controller.enqueue(chunk);
      },
    });
    const put = await t.swift('PUT', `${c}/chunked.bin`, { body: stream });
    assert.equal(put.status, 201);
    const get = await t.swift('GET', `${c}/chunked.bin`);
    assert.equal(get.body.length, 32 * chunk.length);
    assert.equal(put.headers.get('etag'), md5(get.body));
  });

  test('ranges: single, suffix, multi-range, unsatisfiable', async () => {
    await t.swift('PUT', `${c}/digits`, { body: '0123456789' });
    const one = await t.swift('GET', `${c}/digits`, { headers: { range: 'bytes=2-4' } });
    assert.equal(one.status, 206);
    assert.equal(one.text, '234');
    assert.equal(one.headers.get('content-range'), 'bytes 2-4/10');
    assert.equal((await t.swift('GET', `${c}/digits`, { headers: { range: 'bytes=-3' } })).text, '789');
    const multi = await t.swift('GET', `${c}/digits`, { headers: { range: 'bytes=0-1,8-' } });
    assert.equal(multi.status, 206);
    assert.match(multi.headers.get('content-type') ?? '', /^multipart\/byteranges;boundary=/);
    assert.match(multi.text, /Content-Range: bytes 0-1\/10\r\n\r\n01\r\n/);
    assert.match(multi.text, /Content-Range: bytes 8-9\/10\r\n\r\n89\r\n/);
    assert.equal(Number(multi.headers.get('content-length')), multi.body.length);
    const unsatisfiable = await t.swift('GET', `${c}/digits`, { headers: { range: 'bytes=20-30' } });
    assert.equal(unsatisfiable.status, 416);
    assert.equal(unsatisfiable.headers.get('content-range'), 'bytes */10');
  });

  test('conditional GETs: If-Match 412, If-None-Match 304, If-Modified-Since, If-Unmodified-Since', async () => {
    const etag = md5('0123456789');
    assert.equal((await t.swift('GET', `${c}/digits`, { headers: { 'if-match': etag } })).status, 200);
    assert.equal((await t.swift('GET', `${c}/digits`, { headers: { 'if-match': '"nope"' } })).status, 412);
    assert.equal((await t.swift('GET', `${c}/digits`, { headers: { 'if-none-match': etag } })).status, 304);
    const future = new Date(Date.now() + 3_600_000).toUTCString();
    const past = new Date(Date.now() - 3_600_000).toUTCString();
    assert.equal((await t.swift('GET', `${c}/digits`, { headers: { 'if-modified-since': future } })).status, 304);
    assert.equal((await t.swift('GET', `${c}/digits`, { headers: { 'if-modified-since': past } })).status, 200);
    assert.equal((await t.swift('GET', `${c}/digits`, { headers: { 'if-unmodified-since': past } })).status, 412);
  });

  test('listings: prefix, delimiter, marker, end_marker, limit, reverse, path, xml', async () => {
    const list = `${t.adminAccount}/listing`;
    await t.swift('PUT', list);
    for (const name of ['a', 'b/1', 'b/2', 'c', 'd/e/f']) await t.swift('PUT', `${list}/${name}`, { body: name });
    const names = async (query: string) => (await t.swift('GET', `${list}?${query}`)).text.split('\n').filter(Boolean);
    assert.deepEqual(await names(''), ['a', 'b/1', 'b/2', 'c', 'd/e/f']);
    assert.deepEqual(await names('delimiter=/'), ['a', 'b/', 'c', 'd/']);
    assert.deepEqual(await names('prefix=b/&delimiter=/'), ['b/1', 'b/2']);
    assert.deepEqual(await names('marker=b/1&end_marker=d'), ['b/2', 'c']);
    assert.deepEqual(await names('limit=2'), ['a', 'b/1']);
    assert.deepEqual(await names('reverse=true&limit=2'), ['d/e/f', 'c']);
    assert.deepEqual(await names('reverse=true&delimiter=/'), ['d/', 'c', 'b/', 'a']);
    assert.deepEqual(await names('path=b'), ['b/1', 'b/2']);
    const json = JSON.parse((await t.swift('GET', `${list}?format=json&delimiter=/&prefix=d`)).text);
    assert.deepEqual(json, [{ subdir: 'd/' }]);
    const xml = await t.swift('GET', `${list}?format=xml&limit=1`);
    assert.match(xml.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<container name="listing"><object><name>a<\/name><hash>/);
    const accounts = JSON.parse((await t.swift('GET', `${t.adminAccount}?format=json&prefix=list`)).text);
    assert.equal(accounts[0].name, 'listing');
    assert.equal(accounts[0].count, 5);
    assert.equal((await t.swift('GET', `${list}?limit=10001`)).status, 412);
  });

  test('POST replaces object metadata; account and container metadata set and remove', async () => {
    await t.swift('PUT', `${c}/meta`, { body: 'm', headers: { 'x-object-meta-one': '1' } });
    assert.equal((await t.swift('POST', `${c}/meta`, { headers: { 'x-object-meta-two': '2', 'content-type': 'text/x-two' } })).status, 202);
    const head = await t.swift('HEAD', `${c}/meta`);
    assert.equal(head.headers.get('x-object-meta-one'), null);
    assert.equal(head.headers.get('x-object-meta-two'), '2');
    assert.equal(head.headers.get('content-type'), 'text/x-two');
    await t.swift('POST', t.adminAccount, { headers: { 'x-account-meta-k': 'v' } });
    assert.equal((await t.swift('HEAD', t.adminAccount)).headers.get('x-account-meta-k'), 'v');
    await t.swift('POST', t.adminAccount, { headers: { 'x-remove-account-meta-k': 'x' } });
    assert.equal((await t.swift('HEAD', t.adminAccount)).headers.get('x-account-meta-k'), null);
    await t.swift('POST', c, { headers: { 'x-container-meta-snake_case': 's' } });
    assert.equal((await t.swift('HEAD', c)).headers.get('x-container-meta-snake-case'), 's');
    const tooLong = await t.swift('POST', c, { headers: { [`x-container-meta-${'n'.repeat(129)}`]: 'v' } });
    assert.equal(tooLong.status, 400);
  });

  test('COPY and X-Copy-From, across containers, with fresh or kept metadata', async () => {
    await t.swift('PUT', `${t.adminAccount}/other`);
    await t.swift('PUT', `${c}/source`, { body: 'copy me', headers: { 'x-object-meta-kept': 'yes' } });
    const copy = await t.swift('COPY', `${c}/source`, { headers: { destination: 'other/copied' } });
    assert.equal(copy.status, 201);
    assert.equal(copy.headers.get('x-copied-from'), 'photos/source');
    assert.equal(copy.headers.get('x-object-meta-kept'), 'yes');
    const copied = await t.swift('GET', `${t.adminAccount}/other/copied`);
    assert.equal(copied.text, 'copy me');
    assert.equal(copied.headers.get('x-object-meta-kept'), 'yes');
    const fresh = await t.swift('PUT', `${t.adminAccount}/other/fresh`, {
      headers: { 'x-copy-from': 'photos/source', 'x-fresh-metadata': 'true', 'content-length': '0' },
    });
    assert.equal(fresh.status, 201);
    assert.equal((await t.swift('HEAD', `${t.adminAccount}/other/fresh`)).headers.get('x-object-meta-kept'), null);
    assert.equal((await t.swift('COPY', `${c}/missing`, { headers: { destination: 'other/x' } })).status, 404);
  });

  test('X-Delete-After expires an object; an X-Delete-At in the past is 400', async () => {
    await t.swift('PUT', `${c}/short-lived`, { body: 'x', headers: { 'x-delete-after': '1' } });
    assert.ok((await t.swift('HEAD', `${c}/short-lived`)).headers.get('x-delete-at'));
    await new Promise((resolve) => setTimeout(resolve, 2100));
    assert.equal((await t.swift('GET', `${c}/short-lived`)).status, 404);
    const past = await t.swift('PUT', `${c}/past`, { body: 'x', headers: { 'x-delete-at': '1000' } });
    assert.equal(past.status, 400);
  });

  test('errors: 404 with an HTML body, 401 without a token, container quotas 413', async () => {
    const missing = await t.swift('GET', `${c}/nothing-here`);
    assert.equal(missing.status, 404);
    assert.equal(missing.text, '<html><h1>Not Found</h1><p>The resource could not be found.</p></html>');
    assert.equal((await t.swift('GET', c, { token: null })).status, 401);
    const q = `${t.adminAccount}/quota`;
    await t.swift('PUT', q, { headers: { 'x-container-meta-quota-bytes': '10', 'x-container-meta-quota-count': '2' } });
    assert.equal((await t.swift('PUT', `${q}/big`, { body: 'x'.repeat(11) })).status, 413);
    assert.equal((await t.swift('PUT', `${q}/one`, { body: '1' })).status, 201);
    assert.equal((await t.swift('PUT', `${q}/two`, { body: '2' })).status, 201);
    assert.equal((await t.swift('PUT', `${q}/three`, { body: '3' })).status, 413);
  });
});
