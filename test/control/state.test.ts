/**
 * `/_nimbus/state`: a snapshot saved, every service changed, the snapshot
 * loaded back (rows, image and object bytes, the fake guests' power states);
 * reset to the start-up state; the gate's and the names' errors.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startComputeCloud, type ComputeCloud } from '../compute/support.js';
import type { TestResponse } from '../support/server.js';

let cloud: ComputeCloud;
/** The admin project's id: the volume and object-store paths name it. */
let project: string;
before(async () => {
  cloud = await startComputeCloud((config) => {
    config.server.bootstrap_snapshot = true;
  });
  const own = await cloud.cloud.request('GET', '/identity/v3/auth/tokens', { token: cloud.admin, headers: { 'x-subject-token': cloud.admin } });
  project = own.body.token.project.id;
});
after(async () => cloud.close());

const control = (method: string, path: string, body?: unknown, token = cloud.admin): Promise<TestResponse> =>
  cloud.cloud.request(method, `/_nimbus${path}`, { token, ...(body !== undefined ? { body } : {}) });

const raw = async (method: string, path: string, body?: Uint8Array, contentType = 'application/octet-stream') => {
  const response = await fetch(`${cloud.cloud.url}${path}`, {
    method,
    headers: { 'x-auth-token': cloud.admin, 'content-type': contentType },
    body: body ? new Uint8Array(body) : undefined,
  });
  return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()) };
};

async function waitForVolume(id: string, status: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const volume = await cloud.cloud.request('GET', `/volume/v3/${project}/volumes/${id}`, { token: cloud.admin });
    if (volume.body.volume?.status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`volume ${id} never reached ${status}`);
}

test('a snapshot brings back every service: rows, image and object bytes, guests, users', async () => {
  const { cloud: server, admin } = cloud;
  const imageBytes = new Uint8Array(4096).map((_, i) => i % 251);
  const image = await server.request('POST', '/image/v2/images', { token: admin, body: { name: 'saved', disk_format: 'raw', container_format: 'bare' } });
  assert.equal((await raw('PUT', `/image/v2/images/${image.body.id}/file`, imageBytes)).status, 204);
  const account = `/object-store/v1/AUTH_${project}`;
  assert.equal((await raw('PUT', `${account}/box`)).status, 201);
  assert.equal((await raw('PUT', `${account}/box/thing`, new TextEncoder().encode('saved bytes'))).status, 201);
  const network = await server.request('POST', '/network/v2.0/networks', { token: admin, body: { network: { name: 'saved-net' } } });
  const volume = await server.request('POST', `/volume/v3/${project}/volumes`, { token: admin, body: { volume: { size: 1, name: 'saved-vol' } } });
  await waitForVolume(volume.body.volume.id, 'available');
  const created = await cloud.call('POST', '/servers', {
    body: { server: { name: 'saved-vm', imageRef: cloud.imageId, flavorRef: '1', networks: 'none' } },
    version: '2.37',
  });
  const serverId = created.body.server.id;
  await cloud.waitFor(serverId, 'ACTIVE');
  const user = await server.request('POST', '/identity/v3/users', { token: admin, body: { user: { name: 'saved-user', password: 'secret-1' } } });

  const saved = await control('POST', '/state/save', { name: 'before' });
  assert.equal(saved.status, 201, saved.text);
  assert.equal(saved.body.snapshot.name, 'before');
  assert.ok(saved.body.snapshot.size > imageBytes.length);

  // Every service changes.
  assert.equal((await cloud.call('POST', `/servers/${serverId}/action`, { body: { 'os-stop': null } })).status, 202);
  await cloud.waitFor(serverId, 'SHUTOFF');
  await server.request('PUT', `/network/v2.0/networks/${network.body.network.id}`, { token: admin, body: { network: { name: 'renamed' } } });
  assert.equal((await server.request('DELETE', `/volume/v3/${project}/volumes/${volume.body.volume.id}`, { token: admin })).status, 202);
  assert.equal((await server.request('DELETE', `/image/v2/images/${image.body.id}`, { token: admin })).status, 204);
  assert.equal((await raw('PUT', `${account}/box/thing`, new TextEncoder().encode('changed'))).status, 201);
  assert.equal((await server.request('DELETE', `/identity/v3/users/${user.body.user.id}`, { token: admin })).status, 204);
  await waitForVolumeGone(volume.body.volume.id);

  const loaded = await control('POST', '/state/load', { name: 'before' });
  assert.equal(loaded.status, 204, loaded.text);

  // The admin token issued before the load still works: its user exists in the loaded state.
  const back = await cloud.call('GET', `/servers/${serverId}`, { token: admin, version: '2.79' });
  assert.equal(back.body.server.status, 'ACTIVE');
  assert.equal(back.body.server['OS-EXT-STS:power_state'], 1);
  assert.equal((await server.request('GET', `/network/v2.0/networks/${network.body.network.id}`, { token: admin })).body.network.name, 'saved-net');
  assert.equal((await server.request('GET', `/volume/v3/${project}/volumes/${volume.body.volume.id}`, { token: admin })).body.volume.status, 'available');
  assert.deepEqual((await raw('GET', `/image/v2/images/${image.body.id}/file`)).bytes, imageBytes);
  assert.equal(new TextDecoder().decode((await raw('GET', `${account}/box/thing`)).bytes), 'saved bytes');
  const token = await server.token({ name: 'saved-user', password: 'secret-1' });
  assert.ok(token);
  // The fake guest runs again: it stops as a running one does.
  assert.equal((await cloud.call('POST', `/servers/${serverId}/action`, { body: { 'os-stop': null } })).status, 202);
  await cloud.waitFor(serverId, 'SHUTOFF');
});

async function waitForVolumeGone(id: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if ((await cloud.cloud.request('GET', `/volume/v3/${project}/volumes/${id}`, { token: cloud.admin })).status === 404) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`volume ${id} never went`);
}

test('reset returns to the state at the end of start-up; list and delete snapshots', async () => {
  const network = await cloud.cloud.request('POST', '/network/v2.0/networks', { token: cloud.admin, body: { network: { name: 'after-start' } } });
  const reset = await control('POST', '/state/reset');
  assert.equal(reset.status, 204, reset.text);
  assert.equal((await cloud.cloud.request('GET', `/network/v2.0/networks/${network.body.network.id}`, { token: cloud.admin })).status, 404);
  const images = await cloud.cloud.request('GET', '/image/v2/images?name=nimbus-blank-qcow2', { token: cloud.admin });
  assert.equal(images.body.images.length, 1, 'the start-up content stays');

  // A second reset copies back only what changed since the first: rows and files alike.
  const again = await cloud.cloud.request('POST', '/network/v2.0/networks', { token: cloud.admin, body: { network: { name: 'after-reset' } } });
  const image = await cloud.cloud.request('POST', '/image/v2/images', {
    token: cloud.admin,
    body: { name: 'after-reset', disk_format: 'raw', container_format: 'bare' },
  });
  assert.equal((await raw('PUT', `/image/v2/images/${image.body.id}/file`, new Uint8Array(16).fill(7))).status, 204);
  assert.equal((await control('POST', '/state/reset')).status, 204);
  assert.equal((await cloud.cloud.request('GET', `/network/v2.0/networks/${again.body.network.id}`, { token: cloud.admin })).status, 404);
  assert.equal((await cloud.cloud.request('GET', `/image/v2/images/${image.body.id}`, { token: cloud.admin })).status, 404);
  assert.deepEqual(readdirSync(join(cloud.cloud.dataDir, 'images')), readdirSync(join(cloud.cloud.dataDir, 'state', 'bootstrap', 'files', 'images')));

  const listed = await control('GET', '/state');
  assert.deepEqual(
    listed.body.snapshots.map((s: { name: string }) => s.name),
    ['before', 'bootstrap'],
  );
  assert.match(listed.body.snapshots[0].created_at, /^\d{4}-\d\d-\d\dT/);
  assert.equal((await control('DELETE', '/state/before')).status, 204);
  assert.equal((await control('DELETE', '/state/before')).status, 404);
});

test('bad names are 400, unknown snapshots 404, and only the cloud admin gets in', async () => {
  for (const name of ['../etc', '.hidden', '', 'a/b', 42]) {
    const response = await control('POST', '/state/save', { name });
    assert.equal(response.status, 400, `${JSON.stringify(name)}: ${response.text}`);
    assert.equal(response.body.error.code, 400);
  }
  const unknown = await control('POST', '/state/load', { name: 'never-saved' });
  assert.equal(unknown.status, 404);
  assert.match(unknown.body.error.message, /never-saved/);
  assert.equal((await control('POST', '/state/reset', undefined, '')).status, 401);
  assert.equal((await control('POST', '/state/reset', undefined, cloud.demo)).status, 403);
});
