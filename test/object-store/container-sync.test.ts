/**
 * Container sync between two accounts of the cluster, as Swift's
 * container-sync with realms: the `X-Container-Sync-To` values kept or
 * refused, `/info`, objects copied both ways with their timestamps,
 * deletions carried over, and nothing sent when the sync keys differ.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSwiftCloud, type SwiftTestCloud } from './support.js';

describe('object store: container sync', () => {
  let t: SwiftTestCloud;
  let adminName: string;
  let demoName: string;
  const until = async (what: string, check: () => Promise<boolean>) => {
    for (let i = 0; i < 100; i++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.fail(`timed out waiting for ${what}`);
  };
  const names = async (path: string, token: string) => (await t.swift('GET', path, { token })).text.split('\n').filter(Boolean);

  before(async () => {
    t = await startSwiftCloud((config) => {
      config.object_store.container_sync_realms = { Realm1: { key: 'realm-secret', key2: '' } };
      config.object_store.container_sync_cluster = 'name1';
      config.object_store.container_sync_interval = 1;
    });
    adminName = t.adminAccount.split('/').at(-1) as string;
    demoName = t.demoAccount.split('/').at(-1) as string;
  });
  after(() => t?.cloud.close());

  test('/info announces the realms with this cluster as the current one', async () => {
    const info = (await t.cloud.request('GET', '/object-store/info')).body;
    assert.deepEqual(info.container_sync, { realms: { REALM1: { clusters: { NAME1: { current: true } } } } });
  });

  test("X-Container-Sync-To values Swift would not keep are 400 with Swift's sentences", async () => {
    const put = async (to: string) => t.swift('PUT', `${t.adminAccount}/checked`, { headers: { 'x-container-sync-to': to } });
    assert.deepEqual(
      [(await put('//realm1/name1/AUTH_x')).text, (await put('//other/name1/AUTH_x/c')).text, (await put('//realm1/name2/AUTH_x/c')).text],
      ["Invalid X-Container-Sync-To format '//realm1/name1/AUTH_x'", "No realm key for 'other'", "No cluster endpoint for 'realm1' 'name2'"],
    );
    assert.match((await put('http://127.0.0.1/v1/AUTH_x/c')).text, /^Full URLs are not allowed/);
    assert.equal((await put('//realm1/name1/AUTH_x/c')).status, 201);
    const head = await t.swift('HEAD', `${t.adminAccount}/checked`);
    assert.equal(head.headers.get('x-container-sync-to'), '//realm1/name1/AUTH_x/c');
  });

  test('two containers synced both ways end up with the same objects and timestamps; deletions follow', async () => {
    const key = { 'x-container-sync-key': 'user-key' };
    await t.swift('PUT', `${t.adminAccount}/left`, { headers: { ...key, 'x-container-sync-to': `//realm1/name1/${demoName}/right` } });
    await t.swift('PUT', `${t.demoAccount}/right`, { token: t.demoToken, headers: { ...key, 'x-container-sync-to': `//realm1/name1/${adminName}/left` } });
    await t.swift('PUT', `${t.adminAccount}/left/from-left`, { body: 'left data', headers: { 'x-object-meta-color': 'blue' } });
    await t.swift('PUT', `${t.demoAccount}/right/dir/from-right`, { token: t.demoToken, body: 'right data' });
    const expected = ['dir/from-right', 'from-left'];
    await until('both containers to hold both objects', async () => {
      const [left, right] = [await names(`${t.adminAccount}/left`, t.adminToken), await names(`${t.demoAccount}/right`, t.demoToken)];
      return JSON.stringify(left) === JSON.stringify(expected) && JSON.stringify(right) === JSON.stringify(expected);
    });
    const source = await t.swift('GET', `${t.adminAccount}/left/from-left`);
    const copy = await t.swift('GET', `${t.demoAccount}/right/from-left`, { token: t.demoToken });
    assert.equal(copy.text, 'left data');
    assert.equal(copy.headers.get('x-object-meta-color'), 'blue');
    assert.equal(copy.headers.get('x-timestamp'), source.headers.get('x-timestamp'));
    assert.equal((await t.swift('GET', `${t.adminAccount}/left/dir/from-right`)).text, 'right data');

    await t.swift('DELETE', `${t.adminAccount}/left/from-left`);
    await until('the deletion to reach the other side', async () => (await names(`${t.demoAccount}/right`, t.demoToken)).length === 1);
    assert.equal((await t.swift('GET', `${t.demoAccount}/right/from-left`, { token: t.demoToken })).status, 404);
  });

  test('a target whose sync key differs receives nothing', async () => {
    await t.swift('PUT', `${t.demoAccount}/locked`, { token: t.demoToken, headers: { 'x-container-sync-key': 'another-key' } });
    await t.swift('PUT', `${t.adminAccount}/sender`, {
      headers: { 'x-container-sync-key': 'user-key', 'x-container-sync-to': `//realm1/name1/${demoName}/locked` },
    });
    await t.swift('PUT', `${t.adminAccount}/sender/secret`, { body: 'x' });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.deepEqual(await names(`${t.demoAccount}/locked`, t.demoToken), []);
  });
});
