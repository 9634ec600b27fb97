import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

describe('compute: os-volume_attachments (fake volume backend)', () => {
  let c: ComputeCloud;
  before(async () => {
    c = await startComputeCloud((config) => {
      config.volume.backends.file!.volume_driver = 'fake';
    });
  });
  after(() => c?.close());

  const volumeApi = async (method: string, path: string, body?: unknown) => {
    const projects = await c.cloud.request('GET', '/identity/v3/auth/projects', { token: c.demo });
    const project = projects.body.projects.find((p: { name: string }) => p.name === 'demo').id as string;
    return c.cloud.request(method, `/volume/v3/${project}${path}`, { token: c.demo, ...(body !== undefined ? { body } : {}) });
  };
  const volumeStatus = async (id: string, wanted: string) => {
    for (let i = 0; i < 200; i++) {
      const shown = await volumeApi('GET', `/volumes/${id}`);
      if (shown.body.volume.status === wanted) return shown.body.volume;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return assert.fail(`volume ${id} never became ${wanted}`);
  };
  const newVolume = async (name: string) => {
    const created = await volumeApi('POST', '/volumes', { volume: { size: 1, name } });
    assert.equal(created.status, 202, created.text);
    await volumeStatus(created.body.volume.id, 'available');
    return created.body.volume.id as string;
  };
  const newServer = async (name: string) => {
    const created = await c.call('POST', '/servers', { body: { server: { name, imageRef: c.imageId, flavorRef: '42', networks: 'none' } }, version: '2.37' });
    assert.equal(created.status, 202, created.text);
    await c.waitFor(created.body.server.id, 'ACTIVE');
    return created.body.server.id as string;
  };

  test('attach, list, show, server view, detach; errors for unknown, attached and bad input', async () => {
    const server = await newServer('vol-host');
    const volume = await newVolume('data');
    const attached = await c.call('POST', `/servers/${server}/os-volume_attachments`, { body: { volumeAttachment: { volumeId: volume } } });
    assert.equal(attached.status, 200, attached.text);
    assert.deepEqual(attached.body.volumeAttachment, { id: volume, serverId: server, volumeId: volume, device: '/dev/vdb' });
    assert.equal((await volumeStatus(volume, 'in-use')).attachments[0].server_id, server);

    const listed = await c.call('GET', `/servers/${server}/os-volume_attachments`, { version: '2.79' });
    assert.deepEqual(listed.body.volumeAttachments, [
      { id: volume, serverId: server, volumeId: volume, device: '/dev/vdb', tag: null, delete_on_termination: false },
    ]);
    const shown = await c.call('GET', `/servers/${server}/os-volume_attachments/${volume}`);
    assert.equal(shown.body.volumeAttachment.device, '/dev/vdb');
    const view = await c.call('GET', `/servers/${server}`, { version: '2.3' });
    assert.deepEqual(view.body.server['os-extended-volumes:volumes_attached'], [{ id: volume, delete_on_termination: false }]);

    const again = await c.call('POST', `/servers/${server}/os-volume_attachments`, { body: { volumeAttachment: { volumeId: volume } } });
    assert.match(novaError(again, 400, 'badRequest'), /already attached/);
    const unknown = await c.call('POST', `/servers/${server}/os-volume_attachments`, {
      body: { volumeAttachment: { volumeId: '0b0a5e3c-65c8-4d52-9b5f-2b1a4b2e0c11' } },
    });
    novaError(unknown, 404, 'itemNotFound');
    const noId = await c.call('POST', `/servers/${server}/os-volume_attachments`, { body: { volumeAttachment: {} } });
    novaError(noId, 400, 'badRequest');
    const tagTooEarly = await c.call('POST', `/servers/${server}/os-volume_attachments`, { body: { volumeAttachment: { volumeId: volume, tag: 'x' } } });
    novaError(tagTooEarly, 400, 'badRequest');

    const detached = await c.call('DELETE', `/servers/${server}/os-volume_attachments/${volume}`);
    assert.equal(detached.status, 202, detached.text);
    await volumeStatus(volume, 'available');
    novaError(await c.call('GET', `/servers/${server}/os-volume_attachments/${volume}`), 404, 'itemNotFound');
    novaError(await c.call('DELETE', `/servers/${server}/os-volume_attachments/${volume}`), 404, 'itemNotFound');
  });

  test('a locked server refuses attach (409); deleting a server detaches its volumes and deletes those marked so', async () => {
    const server = await newServer('vol-delete');
    const kept = await newVolume('kept');
    const dropped = await newVolume('dropped');
    assert.equal((await c.call('POST', `/servers/${server}/action`, { body: { lock: null }, token: c.admin })).status, 202);
    novaError(await c.call('POST', `/servers/${server}/os-volume_attachments`, { body: { volumeAttachment: { volumeId: kept } } }), 409, 'conflictingRequest');
    assert.equal((await c.call('POST', `/servers/${server}/action`, { body: { unlock: null }, token: c.admin })).status, 202);

    assert.equal((await c.call('POST', `/servers/${server}/os-volume_attachments`, { body: { volumeAttachment: { volumeId: kept } } })).status, 200);
    const marked = await c.call('POST', `/servers/${server}/os-volume_attachments`, {
      body: { volumeAttachment: { volumeId: dropped, delete_on_termination: true } },
      version: '2.79',
    });
    assert.equal(marked.status, 200, marked.text);
    assert.equal(marked.body.volumeAttachment.device, '/dev/vdc');

    assert.equal((await c.call('DELETE', `/servers/${server}`)).status, 204);
    await c.waitFor(server, 'DELETED');
    await volumeStatus(kept, 'available');
    for (let i = 0; i < 200; i++) {
      if ((await volumeApi('GET', `/volumes/${dropped}`)).status === 404) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.fail('the delete_on_termination volume was not deleted');
  });

  test('a delete_on_termination volume Cinder refuses to delete (it has a snapshot) stays, and the server is deleted anyway (as Nova)', async () => {
    const server = await newServer('vol-snapshot');
    const volume = await newVolume('snapshotted');
    const attached = await c.call('POST', `/servers/${server}/os-volume_attachments`, {
      body: { volumeAttachment: { volumeId: volume, delete_on_termination: true } },
      version: '2.79',
    });
    assert.equal(attached.status, 200, attached.text);
    await volumeStatus(volume, 'in-use');
    const snapshot = await volumeApi('POST', '/snapshots', { snapshot: { volume_id: volume, force: true } });
    assert.equal(snapshot.status, 202, snapshot.text);

    assert.equal((await c.call('DELETE', `/servers/${server}`)).status, 204);
    await c.waitFor(server, 'DELETED');
    const kept = await volumeStatus(volume, 'available');
    assert.deepEqual(kept.attachments, []);
  });
});
