import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestServer } from '../support/server.js';
import { startVolumeServer, volumeClient, type VolumeClient } from './support.js';

describe('volume type and QoS response shapes, and type encryption specs (Cinder wire format)', () => {
  let cloud: TestServer;
  let demo: VolumeClient;
  let admin: VolumeClient;

  before(async () => {
    cloud = await startVolumeServer();
    demo = await volumeClient(cloud, await cloud.demoToken());
    admin = await volumeClient(cloud, await cloud.adminToken());
  });
  after(() => cloud.close());

  test('qos_specs_id is on show and list for admins only; create and update answer without it', async () => {
    const created = await admin.call('POST', '/types', { volume_type: { name: 'gaps-shape', extra_specs: { a: 'b' } } });
    assert.equal(created.status, 200, created.text);
    const id = created.body.volume_type.id as string;
    assert.deepEqual(Object.keys(created.body.volume_type).sort(), [
      'description',
      'extra_specs',
      'id',
      'is_public',
      'name',
      'os-volume-type-access:is_public',
    ]);
    const updated = await admin.call('PUT', `/types/${id}`, { volume_type: { description: 'd' } });
    assert.deepEqual(Object.keys(updated.body.volume_type).sort(), ['description', 'extra_specs', 'id', 'is_public', 'name']);
    const shown = await admin.call('GET', `/types/${id}`);
    assert.equal(shown.body.volume_type.qos_specs_id, null);
    const listed = (await admin.call('GET', '/types')).body.volume_types as { id: string; qos_specs_id?: string | null }[];
    assert.ok(listed.every((t) => 'qos_specs_id' in t));
    const added = await admin.call('POST', `/types/${id}/extra_specs`, { extra_specs: { c: 'd' } });
    assert.deepEqual(added.body, { extra_specs: { c: 'd' } }, 'Cinder echoes the specs given, not the merged set');
    assert.deepEqual((await admin.call('GET', `/types/${id}/extra_specs`)).body.extra_specs, { a: 'b', c: 'd' });
    const asMember = await demo.call('GET', `/types/${id}`);
    assert.deepEqual(Object.keys(asMember.body.volume_type).sort(), ['description', 'id', 'is_public', 'name', 'os-volume-type-access:is_public']);
  });

  test('QoS specs: create and show carry links beside the entry, lists none', async () => {
    const created = await admin.call('POST', '/qos-specs', { qos_specs: { name: 'gaps-qos', read_iops_sec: '10' } });
    assert.equal(created.status, 200, created.text);
    assert.deepEqual(Object.keys(created.body).sort(), ['links', 'qos_specs']);
    assert.deepEqual(created.body.qos_specs.specs, { read_iops_sec: '10' });
    assert.deepEqual(
      created.body.links.map((l: { rel: string }) => l.rel),
      ['self', 'bookmark'],
    );
    const shown = await admin.call('GET', `/qos-specs/${created.body.qos_specs.id}`);
    assert.equal(shown.body.links.length, 2);
    const listed = (await admin.call('GET', '/qos-specs')).body;
    assert.deepEqual(Object.keys(listed), ['qos_specs']);
    assert.ok(listed.qos_specs.every((q: Record<string, unknown>) => !('links' in q)));
  });

  test('encryption: {} unencrypted, create, show, show one key, update, delete; errors as Cinder', async () => {
    const type = (await admin.call('POST', '/types', { volume_type: { name: 'gaps-luks' } })).body.volume_type.id as string;
    const base = `/types/${type}/encryption`;
    assert.deepEqual((await admin.call('GET', base)).body, {});
    assert.equal((await demo.call('GET', base)).status, 403);

    const missing = await admin.call('POST', base, { encryption: { provider: 'luks' } });
    assert.equal(missing.status, 400);
    const created = await admin.call('POST', base, {
      encryption: { provider: 'luks', control_location: 'front-end', key_size: '256', cipher: 'aes-xts-plain64' },
    });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.encryption.key_size, 256);
    assert.equal(created.body.encryption.volume_type_id, type);
    assert.match(created.body.encryption.encryption_id, /^[0-9a-f-]{36}$/);
    const again = await admin.call('POST', base, { encryption: { provider: 'luks', control_location: 'front-end' } });
    assert.equal(again.status, 400);
    assert.equal(again.body.badRequest.message, `Volume type encryption for type ${type} already exists.`);

    const shown = (await admin.call('GET', base)).body;
    assert.equal(shown.provider, 'luks');
    assert.equal(shown.deleted, false);
    assert.deepEqual((await admin.call('GET', `${base}/provider`)).body, { provider: 'luks' });
    assert.equal((await admin.call('GET', `${base}/nope`)).status, 404);

    const updated = await admin.call('PUT', `${base}/${shown.encryption_id}`, { encryption: { key_size: 512 } });
    assert.equal(updated.status, 200, updated.text);
    assert.deepEqual(updated.body, { encryption: { key_size: 512 } });
    assert.equal((await admin.call('GET', base)).body.key_size, 512);

    const volume = await demo.call('POST', '/volumes', { volume: { size: 1, volume_type: 'gaps-luks' } });
    assert.equal(volume.status, 400, 'no key manager: Cinder answers "Key manager error"');
    assert.equal(volume.body.badRequest.message, 'Key manager error');

    assert.equal((await admin.call('DELETE', `${base}/${shown.encryption_id}`)).status, 202);
    assert.deepEqual((await admin.call('GET', base)).body, {});
    const gone = await admin.call('DELETE', `${base}/${shown.encryption_id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.itemNotFound.message, `Volume type encryption for type ${type} does not exist.`);
    assert.equal((await admin.call('PUT', `${base}/x`, { encryption: { key_size: 1 } })).status, 404);
  });

  test('encryption specs of a type volumes use cannot change; no retype into encryption', async () => {
    const type = (await admin.call('POST', '/types', { volume_type: { name: 'gaps-used' } })).body.volume_type.id as string;
    const volume = await demo.call('POST', '/volumes', { volume: { size: 1, volume_type: 'gaps-used' } });
    assert.equal(volume.status, 202, volume.text);
    const refused = await admin.call('POST', `/types/${type}/encryption`, { encryption: { provider: 'luks', control_location: 'front-end' } });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.badRequest.message, 'Cannot create encryption specs. Volume type in use.');

    const luks = (await admin.call('POST', '/types', { volume_type: { name: 'gaps-luks2' } })).body.volume_type.id as string;
    await admin.call('POST', `/types/${luks}/encryption`, { encryption: { provider: 'luks', control_location: 'front-end' } });
    await demo.waitFor(volume.body.volume.id, 'available');
    const retype = await demo.call('POST', `/volumes/${volume.body.volume.id}/action`, { 'os-retype': { new_type: 'gaps-luks2' } });
    assert.equal(retype.status, 400, 'an encryption change needs a migration');
    assert.equal(retype.body.badRequest.message, 'Invalid volume: Retype requires migration but is not allowed.');
  });
});
