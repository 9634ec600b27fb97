/**
 * A backup's `container` becomes a Swift container in the project's account:
 * names Swift could neither list nor delete are Cinder's 400 before anything
 * is reserved, written or queued.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestServer } from '../support/server.js';
import { startVolumeServer, volumeClient, type VolumeClient } from './support.js';

describe('volume: backup container names', () => {
  let cloud: TestServer;
  let demo: VolumeClient;
  let volumeId: string;

  before(async () => {
    cloud = await startVolumeServer();
    demo = await volumeClient(cloud, await cloud.demoToken());
    const created = await demo.call('POST', '/volumes', { volume: { size: 1, name: 'to-back-up' } });
    volumeId = created.body.volume.id;
    await demo.waitFor(volumeId, 'available');
  });
  after(() => cloud.close());

  test('empty, NUL, CR/LF, control characters, slashes, dot segments and over-long names are 400s that leave nothing behind', async () => {
    const hostile = ['', '\u0000', 'a\u0000b', 'a\r\nb', 'tab\there', 'del\u007f', 'a/b', '/', '..', '.', 'x'.repeat(256), 'é'.repeat(129), '\ud800'];
    for (const container of hostile) {
      const response = await demo.call('POST', '/backups', { backup: { volume_id: volumeId, container } });
      assert.equal(response.status, 400, `${JSON.stringify(container.slice(0, 20))}: ${response.text}`);
      assert.equal(response.body.badRequest.code, 400);
    }
    assert.deepEqual((await demo.call('GET', '/backups')).body.backups, []);
    assert.equal((await demo.call('GET', `/volumes/${volumeId}`)).body.volume.status, 'available');
    const quota = await demo.call('GET', `/os-quota-sets/${demo.projectId}?usage=true`);
    assert.equal(quota.body.quota_set.backups.in_use, 0);
    assert.equal(quota.body.quota_set.backups.reserved, 0);
  });

  test('a container of wrong type is a 400', async () => {
    for (const container of [5, {}, [], true]) {
      const response = await demo.call('POST', '/backups', { backup: { volume_id: volumeId, container } });
      assert.equal(response.status, 400, JSON.stringify(container));
    }
  });

  test('the longest valid name (255 characters, 256 bytes at most) and a non-ASCII one are used as given', async () => {
    for (const container of ['c'.repeat(255), `${'é'.repeat(127)}ab`, 'backups ü']) {
      const response = await demo.call('POST', '/backups', { backup: { volume_id: volumeId, container } });
      assert.equal(response.status, 202, response.text);
      const id = response.body.backup.id as string;
      const backup = await waitForBackup(id);
      assert.equal(backup.container, container);
      assert.equal((await demo.call('DELETE', `/backups/${id}`)).status, 202);
      await demo.waitGone(`backups/${id}`);
    }
  });

  async function waitForBackup(id: string): Promise<Record<string, unknown>> {
    for (let attempt = 0; attempt < 800; attempt++) {
      const backup = (await demo.call('GET', `/backups/${id}`)).body.backup;
      if (backup.status === 'available') return backup;
      if (backup.status === 'error') throw new Error(`backup ${id} failed: ${backup.fail_reason}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`backup ${id} never became available`);
  }
});
