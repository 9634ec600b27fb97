/** image/operations.ts: the calls compute, volume and Heat make, with Glance's policy and quotas inside. */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { after, before, describe, test } from 'node:test';
import type { CallerContext } from '../../src/core/context.js';
import type { IdentityOperations } from '../../src/identity/operations.js';
import type { ImageOperations } from '../../src/image/operations.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { statusOf as status } from '../support/status.js';
import { projectMember } from './support.js';

const bytes = (value: string) => Readable.from([Buffer.from(value)]);

describe('image operations', () => {
  let cloud: TestServer;
  let images: ImageOperations;
  let admin: CallerContext;
  let alice: CallerContext;
  let bob: CallerContext;

  before(async () => {
    cloud = await startTestServer();
    images = cloud.server.services.image?.operations as ImageOperations;
    const identity = cloud.server.services.identity?.operations as IdentityOperations;
    const adminToken = await cloud.adminToken();
    admin = await identity.authenticate(adminToken);
    alice = await identity.authenticate((await projectMember(cloud, adminToken, 'ops-alice')).token);
    bob = await identity.authenticate((await projectMember(cloud, adminToken, 'ops-bob')).token);
  });
  after(() => cloud.close());

  test('create, upload, download: queued then active, owned by the caller project', async () => {
    const created = await images.create(alice, { name: 'ops-upload', disk_format: 'raw', container_format: 'bare', properties: { purpose: 'test' } });
    assert.equal(created.status, 'queued');
    assert.equal(created.owner, alice.project?.id);
    assert.equal('location' in created, false, 'store internals stay inside the image service');
    const active = await images.upload(alice, created.id, bytes('hello'), 5);
    assert.equal(active.status, 'active');
    assert.equal(active.size, 5);
    const download = await images.download(alice, created.id);
    assert.equal(download.size, 5);
    assert.equal(await text(download.data ?? Readable.from([])), 'hello');
    assert.equal(await status(images.upload(alice, created.id, bytes('again'))), 409);
  });

  test("another project's private image is a 404, as in the API; a public one is visible", async () => {
    const image = await images.register(alice, { name: 'ops-private', disk_format: 'raw', container_format: 'bare' }, bytes('x'));
    assert.equal(await status(images.get(bob, image.id)), 404);
    assert.equal(await status(images.download(bob, image.id)), 404);
    assert.equal(await status(images.delete(bob, image.id)), 404);
    assert.equal(await status(images.update(alice, image.id, { visibility: 'public' })), 403, 'publicize_image is admin-only');
    await images.update(admin, image.id, { visibility: 'public' });
    assert.equal((await images.get(bob, image.id)).visibility, 'public');
    assert.equal(await status(images.delete(bob, image.id)), 403);
  });

  test('update: attributes and properties together; removing an absent property is no change', async () => {
    const image = await images.create(alice, { name: 'ops-update', properties: { keep: '1', drop: '2' } });
    const updated = await images.update(alice, image.id, { name: 'ops-updated', min_ram: 64, properties: { drop: null, added: 'yes', never: null } });
    assert.equal(updated.name, 'ops-updated');
    assert.equal(updated.min_ram, 64);
    assert.deepEqual(updated.properties, { keep: '1', added: 'yes' });
    assert.deepEqual((await images.update(alice, image.id, { properties: { drop: null } })).properties, { keep: '1', added: 'yes' });
  });

  test('list and find: by name and properties; several with one name is a 409', async () => {
    const first = await images.create(bob, { name: 'ops-twin', properties: { series: 'a' } });
    assert.deepEqual(
      (await images.list(bob, { properties: { series: 'a' } })).map((i) => i.id),
      [first.id],
    );
    assert.equal((await images.find(bob, 'ops-twin')).id, first.id);
    assert.equal((await images.find(bob, first.id)).id, first.id);
    await images.create(bob, { name: 'ops-twin' });
    assert.equal((await images.list(bob, { name: 'ops-twin' })).length, 2);
    assert.equal(await status(images.find(bob, 'ops-twin')), 409);
    assert.equal(await status(images.find(bob, 'ops-none')), 404);
  });

  test('register deletes the new image when its upload fails; delete releases it', async () => {
    const failing = (async function* () {
      yield Buffer.from('partial');
      throw new Error('source broke');
    })();
    await assert.rejects(images.register(alice, { name: 'ops-broken', disk_format: 'raw', container_format: 'bare' }, failing));
    assert.deepEqual(await images.list(alice, { name: 'ops-broken' }), []);
    const image = await images.register(alice, { name: 'ops-gone', disk_format: 'raw', container_format: 'bare' }, bytes('bye'));
    await images.delete(alice, image.id);
    assert.equal(await status(images.get(alice, image.id)), 404);
    assert.equal(await status(images.delete(alice, image.id)), 404);
  });
});
