/**
 * Container and account quotas under concurrency: many uploads at once never
 * store more than a quota allows (each upload holds its room in the
 * container's and account's database before its body is read), refused ones
 * answer Swift's 413, an overwrite counts as its delta, and the room of
 * refused or finished uploads is given back.
 *
 * The account and container databases are SQLite files of the object store
 * (not the service database), so this runs on SQLite only.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSwiftCloud, type SwiftTestCloud } from './support.js';

const UPLOADS = 24;

describe('object store: quotas under concurrency', () => {
  let t: SwiftTestCloud;
  let resellerToken: string;
  before(async () => {
    t = await startSwiftCloud();
    const admin = await t.cloud.request('GET', '/identity/v3/users?name=admin', { token: t.adminToken });
    const roles = await t.cloud.request('GET', '/identity/v3/roles?name=ResellerAdmin', { token: t.adminToken });
    const adminProject = t.adminAccount.split('AUTH_')[1];
    await t.cloud.request('PUT', `/identity/v3/projects/${adminProject}/users/${admin.body.users[0].id}/roles/${roles.body.roles[0].id}`, {
      token: t.adminToken,
    });
    resellerToken = await t.cloud.adminToken();
  });
  after(() => t?.cloud.close());

  const containerStats = async (path: string) => {
    const head = await t.swift('HEAD', path, { token: t.demoToken });
    return { bytes: Number(head.headers.get('x-container-bytes-used')), count: Number(head.headers.get('x-container-object-count')) };
  };
  /** Chunked bodies: no Content-Length, so the hold grows as the bytes come. */
  const chunked = (size: number) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(Math.ceil(size / 2)).fill(97));
        controller.enqueue(new Uint8Array(Math.floor(size / 2)).fill(98));
        controller.close();
      },
    });

  test(`${UPLOADS} concurrent PUTs never pass a 1000-byte container quota; refusals are 413 "Upload exceeds quota."`, async () => {
    const container = `${t.demoAccount}/bytes`;
    assert.equal((await t.swift('PUT', container, { token: t.demoToken, headers: { 'x-container-meta-quota-bytes': '1000' } })).status, 201);
    const results = await Promise.all(
      Array.from({ length: UPLOADS }, (_, i) => t.swift('PUT', `${container}/o${i}`, { token: t.demoToken, body: 'x'.repeat(300) })),
    );
    const created = results.filter((r) => r.status === 201).length;
    const refused = results.filter((r) => r.status === 413);
    assert.equal(created + refused.length, UPLOADS);
    assert.ok(created >= 1 && created <= 3, `${created} stored`);
    assert.equal(refused[0]?.text, 'Upload exceeds quota.');
    const stats = await containerStats(container);
    assert.equal(stats.bytes, created * 300);
    assert.ok(stats.bytes <= 1000);
  });

  test('chunked uploads racing for a container byte quota never pass it either', async () => {
    const container = `${t.demoAccount}/chunked`;
    await t.swift('PUT', container, { token: t.demoToken, headers: { 'x-container-meta-quota-bytes': '1000' } });
    const results = await Promise.all(
      Array.from({ length: UPLOADS }, (_, i) => t.swift('PUT', `${container}/o${i}`, { token: t.demoToken, body: chunked(300) })),
    );
    assert.deepEqual(
      [...new Set(results.map((r) => r.status))].filter((s) => s !== 201 && s !== 413),
      [],
    );
    const stats = await containerStats(container);
    assert.equal(stats.bytes, results.filter((r) => r.status === 201).length * 300);
    assert.ok(stats.bytes <= 1000, `${stats.bytes} bytes stored`);
  });

  test(`${UPLOADS} concurrent PUTs store at most 3 objects under a count quota of 3`, async () => {
    const container = `${t.demoAccount}/count`;
    await t.swift('PUT', container, { token: t.demoToken, headers: { 'x-container-meta-quota-count': '3' } });
    const results = await Promise.all(Array.from({ length: UPLOADS }, (_, i) => t.swift('PUT', `${container}/o${i}`, { token: t.demoToken, body: 'x' })));
    const created = results.filter((r) => r.status === 201).length;
    assert.ok(created >= 1 && created <= 3, `${created} stored`);
    assert.equal((await containerStats(container)).count, created);
  });

  test('an account byte quota holds across containers under concurrent PUTs, and only the reseller sets it', async () => {
    const account = t.demoAccount;
    assert.equal((await t.swift('POST', account, { token: t.demoToken, headers: { 'x-account-meta-quota-bytes': '1' } })).status, 403);
    const before = Number((await t.swift('HEAD', account, { token: t.demoToken })).headers.get('x-account-bytes-used'));
    const quota = before + 1000;
    assert.equal((await t.swift('POST', account, { token: resellerToken, headers: { 'x-account-meta-quota-bytes': String(quota) } })).status, 204);
    for (const c of ['a1', 'a2', 'a3']) await t.swift('PUT', `${account}/${c}`, { token: t.demoToken });
    const results = await Promise.all(
      Array.from({ length: UPLOADS }, (_, i) => t.swift('PUT', `${account}/a${(i % 3) + 1}/o${i}`, { token: t.demoToken, body: 'y'.repeat(300) })),
    );
    const created = results.filter((r) => r.status === 201).length;
    assert.ok(created >= 1 && created <= 3, `${created} stored`);
    const used = Number((await t.swift('HEAD', account, { token: t.demoToken })).headers.get('x-account-bytes-used'));
    assert.equal(used, before + created * 300);
    assert.ok(used <= quota);
    // Refused and finished uploads gave their room back: removing the quota's worth frees it again.
    await t.swift('POST', account, { token: resellerToken, headers: { 'x-account-meta-quota-bytes': String(used + 300) } });
    assert.equal((await t.swift('PUT', `${account}/a1/late`, { token: t.demoToken, body: 'z'.repeat(300) })).status, 201);
    assert.equal((await t.swift('PUT', `${account}/a1/later`, { token: t.demoToken, body: 'z' })).status, 413);
    await t.swift('POST', account, { token: resellerToken, headers: { 'x-remove-account-meta-quota-bytes': 'x' } });
  });

  test('an overwrite counts as its delta; a copy and a refused body are 413 before anything is stored', async () => {
    const container = `${t.demoAccount}/delta`;
    await t.swift('PUT', container, { token: t.demoToken, headers: { 'x-container-meta-quota-bytes': '1000' } });
    assert.equal((await t.swift('PUT', `${container}/big`, { token: t.demoToken, body: 'a'.repeat(600) })).status, 201);
    assert.equal((await t.swift('PUT', `${container}/big`, { token: t.demoToken, body: 'b'.repeat(900) })).status, 201);
    assert.equal((await t.swift('PUT', `${container}/other`, { token: t.demoToken, body: 'c'.repeat(200) })).status, 413);
    assert.equal((await t.swift('PUT', `${container}/copy`, { token: t.demoToken, headers: { 'x-copy-from': 'delta/big' } })).status, 413);
    assert.deepEqual(await containerStats(container), { bytes: 900, count: 1 });
    assert.equal((await t.swift('PUT', `${container}/other`, { token: t.demoToken, body: 'c'.repeat(100) })).status, 201);
  });

  test('an upload refused by the quota archives no version of what it would have replaced', async () => {
    await t.swift('PUT', `${t.demoAccount}/archive`, { token: t.demoToken });
    const container = `${t.demoAccount}/versioned`;
    await t.swift('PUT', container, { token: t.demoToken, headers: { 'x-container-meta-quota-bytes': '100', 'x-versions-location': 'archive' } });
    assert.equal((await t.swift('PUT', `${container}/doc`, { token: t.demoToken, body: 'v1' })).status, 201);
    assert.equal((await t.swift('PUT', `${container}/doc`, { token: t.demoToken, body: 'v'.repeat(101) })).status, 413);
    assert.equal((await t.swift('GET', `${t.demoAccount}/archive`, { token: t.demoToken })).status, 204);
    assert.equal((await t.swift('PUT', `${container}/doc`, { token: t.demoToken, body: 'v2' })).status, 201);
    assert.equal((await t.swift('GET', `${t.demoAccount}/archive`, { token: t.demoToken })).text.split('\n').filter(Boolean).length, 1);
  });

  test("Swift's current X-Account-Quota-Count and -Bytes: reseller-only, shown on the account, enforced", async () => {
    const account = t.demoAccount;
    assert.equal((await t.swift('POST', account, { token: t.demoToken, headers: { 'x-account-quota-count': '1' } })).status, 403);
    assert.equal((await t.swift('POST', account, { token: resellerToken, headers: { 'x-account-quota-count': 'many' } })).status, 400);
    const objects = Number((await t.swift('HEAD', account, { token: t.demoToken })).headers.get('x-account-object-count'));
    assert.equal((await t.swift('POST', account, { token: resellerToken, headers: { 'x-account-quota-count': String(objects + 1) } })).status, 204);
    assert.equal((await t.swift('HEAD', account, { token: t.demoToken })).headers.get('x-account-quota-count'), String(objects + 1));
    await t.swift('PUT', `${account}/counted`, { token: t.demoToken });
    assert.equal((await t.swift('PUT', `${account}/counted/one`, { token: t.demoToken, body: '1' })).status, 201);
    assert.equal((await t.swift('PUT', `${account}/counted/two`, { token: t.demoToken, body: '2' })).status, 413);
    // Overwriting an object adds none.
    assert.equal((await t.swift('PUT', `${account}/counted/one`, { token: t.demoToken, body: '11' })).status, 201);
    await t.swift('POST', account, { token: resellerToken, headers: { 'x-remove-account-quota-count': 'x', 'x-account-quota-bytes': '1' } });
    assert.equal((await t.swift('PUT', `${account}/counted/two`, { token: t.demoToken, body: '22' })).status, 413);
    await t.swift('POST', account, { token: resellerToken, headers: { 'x-remove-account-quota-bytes': 'x' } });
    assert.equal((await t.swift('PUT', `${account}/counted/two`, { token: t.demoToken, body: '22' })).status, 201);
  });
});
