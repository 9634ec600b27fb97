/**
 * Deferred delete (reclaim_instance_interval): DELETE leaves the server
 * SOFT_DELETED and powered off, `restore` brings it back, `forceDelete`
 * deletes it at once, and the interval's end reclaims it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

describe('compute gaps: soft delete', () => {
  let c: ComputeCloud;
  before(async () => {
    c = await startComputeCloud((config) => {
      config.compute.reclaim_instance_interval = 2;
    });
  });
  after(() => c.close());

  const boot = async (name: string) => {
    const created = await c.call('POST', '/servers', {
      body: { server: { name, imageRef: c.imageId, flavorRef: '1', networks: [{ uuid: c.privateNetwork }] } },
    });
    assert.equal(created.status, 202, created.text);
    await c.waitFor(created.body.server.id, 'ACTIVE');
    return created.body.server.id as string;
  };
  const action = (id: string, body: unknown) => c.call('POST', `/servers/${id}/action`, { body });

  test('DELETE soft deletes (powered off); restore brings it back ACTIVE; restore of an active server is 409', async () => {
    const id = await boot('gaps-soft-restore');
    novaError(await action(id, { restore: null }), 409, 'conflictingRequest');
    assert.equal((await c.call('DELETE', `/servers/${id}`)).status, 204);
    const soft = await c.waitFor(id, 'SOFT_DELETED');
    assert.equal(soft['OS-EXT-STS:power_state'], 4);
    assert.equal((await action(id, { restore: null })).status, 202);
    const back = await c.waitFor(id, 'ACTIVE');
    assert.equal(back['OS-EXT-STS:power_state'], 1);
    // Restored before the interval ended: the reclaim set by the soft delete leaves it alone.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal((await c.call('GET', `/servers/${id}`)).body.server.status, 'ACTIVE');
  });

  test('forceDelete deletes a soft deleted server at once', async () => {
    const id = await boot('gaps-soft-force');
    assert.equal((await c.call('DELETE', `/servers/${id}`)).status, 204);
    await c.waitFor(id, 'SOFT_DELETED');
    assert.equal((await action(id, { forceDelete: null })).status, 202);
    await c.waitFor(id, 'DELETED');
  });

  test('a soft deleted server is reclaimed when the interval ends', async () => {
    const id = await boot('gaps-soft-reclaim');
    assert.equal((await c.call('DELETE', `/servers/${id}`)).status, 204);
    await c.waitFor(id, 'SOFT_DELETED');
    for (let i = 0; i < 100 && (await c.call('GET', `/servers/${id}`)).status !== 404; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await c.call('GET', `/servers/${id}`)).status, 404);
  });
});
