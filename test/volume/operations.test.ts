/** volume/operations.ts as Heat and Nova call it: with the caller's context, policy and ownership as through the API. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CallerContext } from '../../src/core/context.js';
import type { Authenticator } from '../../src/core/service-module.js';
import type { VolumeOperations } from '../../src/volume/operations.js';
import type { TestServer } from '../support/server.js';
import { startVolumeServer } from './support.js';

describe('volume operations (in-process)', () => {
  let cloud: TestServer;
  let volume: VolumeOperations;
  let demo: CallerContext;
  let admin: CallerContext;

  before(async () => {
    cloud = await startVolumeServer();
    volume = cloud.server.services.volume!.operations as VolumeOperations;
    const authenticator = cloud.server.services.identity!.authenticator as Authenticator;
    demo = await authenticator.authenticate(await cloud.demoToken());
    admin = await authenticator.authenticate(await cloud.adminToken());
  });
  after(() => cloud.close());

  test('create with name, description and metadata; find by id and by name; update; list', async () => {
    const created = await volume.createVolume(demo, { size: 1, name: 'heat-vol', description: 'first', metadata: { tier: 'gold' } });
    assert.equal(created.status, 'creating');
    const ready = await volume.waitForVolume(demo, created.id, ['available'], 20_000);
    assert.deepEqual(ready.metadata, { tier: 'gold' });
    assert.equal((await volume.findVolume(demo, created.id)).id, created.id);
    assert.equal((await volume.findVolume(demo, 'heat-vol')).id, created.id);
    await assert.rejects(volume.findVolume(demo, 'no-such-volume'), { status: 404, message: 'Volume no-such-volume could not be found.' });

    const updated = await volume.updateVolume(demo, created.id, { description: 'second', metadata: { tier: 'silver' } });
    assert.equal(updated.name, 'heat-vol');
    assert.equal(updated.description, 'second');
    assert.deepEqual(updated.metadata, { tier: 'silver' });
    assert.ok((await volume.listVolumes(demo, { name: 'heat-vol' })).some((v) => v.id === created.id));

    const twin = await volume.createVolume(demo, { size: 1, name: 'heat-vol' });
    await assert.rejects(volume.findVolume(demo, 'heat-vol'), { status: 409 });
    await volume.waitForVolume(demo, twin.id, ['available'], 20_000);
    await volume.deleteVolume(demo, twin.id);
  });

  test("another project's volume is not found for a member; an admin sees every project's with allProjects", async () => {
    const own = await volume.createVolume(admin, { size: 1, name: 'admins' });
    await assert.rejects(volume.getVolume(demo, own.id), { status: 404 });
    assert.ok(!(await volume.listVolumes(demo)).some((v) => v.id === own.id));
    assert.ok((await volume.listVolumes(admin, { allProjects: true })).some((v) => v.projectId === demo.project!.id));
    await volume.waitForVolume(admin, own.id, ['available'], 20_000);
    await volume.deleteVolume(admin, own.id);
  });

  test('snapshots: create, get, delete; the volume cannot go while it has one', async () => {
    const source = await volume.createVolume(demo, { size: 1, name: 'snap-source' });
    await volume.waitForVolume(demo, source.id, ['available'], 20_000);
    const snapshot = await volume.createSnapshot(demo, { volumeId: source.id, name: 'snap', metadata: { k: 'v' } });
    assert.equal(snapshot.volumeId, source.id);
    for (let i = 0; (await volume.getSnapshot(demo, snapshot.id)).status !== 'available'; i++) {
      assert.ok(i < 400, 'snapshot available');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await assert.rejects(volume.deleteVolume(demo, source.id), { status: 400 });
    await volume.deleteSnapshot(demo, snapshot.id);
  });

  test('volume types: create with specs, private access, update, unset a spec, delete; a member is refused', async () => {
    const type = await volume.createVolumeType(admin, { name: 'ops-type', isPublic: false, extraSpecs: { tier: 'gold' } });
    assert.deepEqual(type.extraSpecs, { tier: 'gold' });
    await assert.rejects(volume.getVolumeType(demo, type.id), { status: 404 });
    await volume.addVolumeTypeAccess(admin, type.id, demo.project!.id);
    assert.equal((await volume.getVolumeType(demo, 'ops-type')).id, type.id);
    assert.ok((await volume.listVolumeTypes(demo)).some((t) => t.id === type.id));
    await assert.rejects(volume.addVolumeTypeAccess(admin, type.id, demo.project!.id), { status: 409 });
    await volume.removeVolumeTypeAccess(admin, type.id, demo.project!.id);
    assert.deepEqual(await volume.volumeTypeAccess(admin, type.id), []);
    const updated = await volume.updateVolumeType(admin, type.id, { name: 'ops-type-2', description: 'new' });
    assert.equal(updated.name, 'ops-type-2');
    await volume.setVolumeTypeSpecs(admin, type.id, { disk: 'ssd' });
    await volume.unsetVolumeTypeSpec(admin, type.id, 'tier');
    assert.deepEqual((await volume.getVolumeType(admin, type.id)).extraSpecs, { disk: 'ssd' });
    await assert.rejects(volume.createVolumeType(demo, { name: 'ops-denied' }), { status: 403 });
    await volume.deleteVolumeType(admin, type.id);
    await assert.rejects(volume.getVolumeType(admin, type.id), { status: 404 });
  });
});
