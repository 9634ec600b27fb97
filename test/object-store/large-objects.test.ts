/** DLO and SLO: manifests, segment validation, ranges across segments, manifest GET and DELETE; versioning. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { md5, startSwiftCloud, type SwiftTestCloud } from './support.js';

describe('object store: large objects and versions', () => {
  let t: SwiftTestCloud;
  let c: string;
  before(async () => {
    t = await startSwiftCloud();
    c = `${t.adminAccount}/big`;
    await t.swift('PUT', c);
    for (const [name, body] of [
      ['seg/1', 'aaaa'],
      ['seg/2', 'bbbb'],
      ['seg/3', 'cc'],
    ])
      await t.swift('PUT', `${c}/${name}`, { body });
  });
  after(() => t?.cloud.close());

  test('DLO: the manifest serves its prefix in order, with a quoted ETag and ranges across segments', async () => {
    await t.swift('PUT', `${c}/dlo`, { body: '', headers: { 'x-object-manifest': 'big/seg/' } });
    const get = await t.swift('GET', `${c}/dlo`);
    assert.equal(get.text, 'aaaabbbbcc');
    assert.equal(get.headers.get('etag'), `"${md5(md5('aaaa') + md5('bbbb') + md5('cc'))}"`);
    assert.equal((await t.swift('GET', `${c}/dlo`, { headers: { range: 'bytes=3-8' } })).text, 'abbbbc');
    assert.equal((await t.swift('GET', `${c}/dlo?multipart-manifest=get`)).text, '');
  });

  test('SLO: put validates segments, get concatenates, manifest get, delete removes segments', async () => {
    const manifest = [
      { path: '/big/seg/1', etag: md5('aaaa'), size_bytes: 4 },
      { path: '/big/seg/2', etag: null, size_bytes: null, range: '1-2' },
      { path: '/big/seg/3' },
    ];
    const put = await t.swift('PUT', `${c}/slo?multipart-manifest=put`, { body: JSON.stringify(manifest) });
    assert.equal(put.status, 201, put.text);
    assert.equal(put.headers.get('etag'), `"${md5(md5('aaaa') + `${md5('bbbb')}:1-2;` + md5('cc'))}"`);
    const get = await t.swift('GET', `${c}/slo`);
    assert.equal(get.text, 'aaaabbcc');
    assert.equal(get.headers.get('x-static-large-object'), 'True');
    assert.equal((await t.swift('GET', `${c}/slo`, { headers: { range: 'bytes=-3' } })).text, 'bcc');
    const stored = JSON.parse((await t.swift('GET', `${c}/slo?multipart-manifest=get`)).text);
    assert.deepEqual(
      stored.map((s: { name: string }) => s.name),
      ['/big/seg/1', '/big/seg/2', '/big/seg/3'],
    );
    // format=raw gives the manifest back in the form a PUT takes, ready to be put again.
    const raw = JSON.parse((await t.swift('GET', `${c}/slo?multipart-manifest=get&format=raw`)).text);
    assert.deepEqual(raw[1], { etag: md5('bbbb'), path: '/big/seg/2', range: '1-2', size_bytes: 4 });
    assert.deepEqual(Object.keys(raw[0]), ['etag', 'path', 'size_bytes']);
    const again = await t.swift('PUT', `${c}/slo-again?multipart-manifest=put`, { body: JSON.stringify(raw) });
    assert.equal(again.status, 201, again.text);
    assert.equal((await t.swift('GET', `${c}/slo-again`)).text, 'aaaabbcc');
    const listing = JSON.parse((await t.swift('GET', `${c}?format=json&prefix=slo`)).text);
    assert.equal(listing[0].bytes, 8);

    const bad = await t.swift('PUT', `${c}/bad-slo?multipart-manifest=put`, {
      body: JSON.stringify([{ path: '/big/seg/1', etag: 'wrong' }, { path: '/big/nothing' }]),
    });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /Etag Mismatch/);
    assert.match(bad.text, /404 Not Found/);

    const removed = await t.swift('DELETE', `${c}/slo?multipart-manifest=delete`);
    assert.equal(removed.status, 200);
    assert.match(removed.text, /Number Deleted: 4/);
    assert.equal((await t.swift('GET', `${c}/seg/1`)).status, 404);
  });

  test('X-Versions-Location keeps overwritten versions and a DELETE restores the previous one', async () => {
    await t.swift('PUT', `${t.adminAccount}/versions`);
    await t.swift('PUT', `${t.adminAccount}/docs`, { headers: { 'x-versions-location': 'versions' } });
    await t.swift('PUT', `${t.adminAccount}/docs/report`, { body: 'v1' });
    await t.swift('PUT', `${t.adminAccount}/docs/report`, { body: 'v2' });
    assert.equal((await t.swift('HEAD', `${t.adminAccount}/versions`)).headers.get('x-container-object-count'), '1');
    assert.equal((await t.swift('DELETE', `${t.adminAccount}/docs/report`)).status, 204);
    assert.equal((await t.swift('GET', `${t.adminAccount}/docs/report`)).text, 'v1');
    assert.equal((await t.swift('HEAD', `${t.adminAccount}/versions`)).headers.get('x-container-object-count'), '0');
    await t.swift('DELETE', `${t.adminAccount}/docs/report`);
    assert.equal((await t.swift('GET', `${t.adminAccount}/docs/report`)).status, 404);
  });
});
