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

  const attach = (server: string, volumeId: string, version?: string) =>
    c.call('POST', `/servers/${server}/os-volume_attachments`, { body: { volumeAttachment: { volumeId } }, ...(version ? { version } : {}) });
  const swap = (server: string, from: string, to: unknown, token = c.admin) =>
    c.call('PUT', `/servers/${server}/os-volume_attachments/${from}`, { body: { volumeAttachment: { volumeId: to } }, token });

  test('swap volume: admin only; the new volume takes the device (in-use), the old is available; refusals as Nova', async () => {
    const server = await newServer('vol-swap');
    const first = await newVolume('first');
    const second = await newVolume('second');
    assert.equal((await attach(server, first)).status, 200);
    await volumeStatus(first, 'in-use');

    assert.match(novaError(await swap(server, first, second, c.demo), 403, 'forbidden'), /os-volumes-attachments:swap/);
    const swapped = await swap(server, first, second);
    assert.equal(swapped.status, 202, swapped.text);
    assert.equal(swapped.text, '');
    await volumeStatus(first, 'available');
    assert.equal((await volumeStatus(second, 'in-use')).attachments[0].server_id, server);
    const listed = await c.call('GET', `/servers/${server}/os-volume_attachments`);
    assert.deepEqual(listed.body.volumeAttachments, [{ id: second, serverId: server, volumeId: second, device: '/dev/vdb' }]);
    const actions = await c.call('GET', `/servers/${server}/os-instance-actions`);
    assert.ok(actions.body.instanceActions.some((a: { action: string }) => a.action === 'swap_volume'));

    // The new volume is attached already (here: the very one in place) → 400; the old one is not on this server → 400.
    assert.match(novaError(await swap(server, second, second), 400, 'badRequest'), /must be detached/);
    assert.match(novaError(await swap(server, first, second), 400, 'badRequest'), /attached to a different instance/);
    const missing = '0b0a5e3c-65c8-4d52-9b5f-2b1a4b2e0c11';
    assert.match(novaError(await swap(server, second, missing), 400, 'badRequest'), /could not be found/);
    novaError(await swap(server, missing, first), 404, 'itemNotFound');
    novaError(await swap(server, second, 'not-a-uuid'), 400, 'badRequest');
    novaError(await c.call('PUT', `/servers/${server}/os-volume_attachments/${second}`, { body: { volumeAttachment: {} }, token: c.admin }), 400, 'badRequest');

    assert.equal((await c.call('POST', `/servers/${server}/action`, { body: { pause: null } })).status, 202);
    await c.waitFor(server, 'PAUSED');
    assert.equal((await swap(server, second, first)).status, 202);
    await volumeStatus(second, 'available');
    await volumeStatus(first, 'in-use');
    assert.equal((await c.call('POST', `/servers/${server}/action`, { body: { unpause: null } })).status, 202);
    await c.waitFor(server, 'ACTIVE');
    assert.equal((await c.call('POST', `/servers/${server}/action`, { body: { 'os-stop': null } })).status, 202);
    await c.waitFor(server, 'SHUTOFF');
    assert.match(novaError(await swap(server, first, second), 409, 'conflictingRequest'), /swap_volume/);
  });

  test('a shelved-offloaded server takes volumes from 2.20 (409 before); unshelve plugs them in', async () => {
    const server = await newServer('vol-shelve');
    const kept = await newVolume('shelf-kept');
    const dropped = await newVolume('shelf-dropped');
    assert.equal((await c.call('POST', `/servers/${server}/action`, { body: { shelve: null } })).status, 202);
    await c.waitFor(server, 'SHELVED_OFFLOADED');

    assert.match(novaError(await attach(server, kept, '2.19'), 409, 'conflictingRequest'), /vm_state shelved_offloaded/);
    for (const volume of [kept, dropped]) {
      const attached = await attach(server, volume, '2.20');
      assert.equal(attached.status, 200, attached.text);
      await volumeStatus(volume, 'in-use');
    }
    novaError(await c.call('DELETE', `/servers/${server}/os-volume_attachments/${dropped}`, { version: '2.19' }), 409, 'conflictingRequest');
    assert.equal((await c.call('DELETE', `/servers/${server}/os-volume_attachments/${dropped}`, { version: '2.20' })).status, 202);
    await volumeStatus(dropped, 'available');

    assert.equal((await c.call('POST', `/servers/${server}/action`, { body: { unshelve: null } })).status, 202);
    await c.waitFor(server, 'ACTIVE');
    const shown = await c.call('GET', `/servers/${server}/os-volume_attachments/${kept}`);
    assert.equal(shown.body.volumeAttachment.device, '/dev/vdb');
    assert.equal((await volumeStatus(kept, 'in-use')).attachments[0].server_id, server);
    const diagnostics = await c.call('GET', `/servers/${server}/diagnostics`, { token: c.admin, version: '2.48' });
    assert.equal(diagnostics.body.num_disks, 2, diagnostics.text);
  });

  test('rebuilding a stopped server leaves it SHUTOFF with its volumes', async () => {
    const server = await newServer('vol-rebuild');
    const volume = await newVolume('rebuilt-data');
    assert.equal((await attach(server, volume)).status, 200);
    assert.equal((await c.call('POST', `/servers/${server}/action`, { body: { 'os-stop': null } })).status, 202);
    await c.waitFor(server, 'SHUTOFF');
    const rebuilt = await c.call('POST', `/servers/${server}/action`, { body: { rebuild: { imageRef: c.imageId } } });
    assert.equal(rebuilt.status, 202, rebuilt.text);
    await c.waitFor(server, 'SHUTOFF');
    assert.equal((await c.call('GET', `/servers/${server}`)).body.server['OS-EXT-STS:task_state'], null);
    assert.equal((await volumeStatus(volume, 'in-use')).attachments[0].server_id, server);
    assert.equal((await c.call('POST', `/servers/${server}/action`, { body: { 'os-start': null } })).status, 202);
    await c.waitFor(server, 'ACTIVE');
    const diagnostics = await c.call('GET', `/servers/${server}/diagnostics`, { token: c.admin, version: '2.48' });
    assert.equal(diagnostics.body.num_disks, 2, diagnostics.text);
  });
});
