/**
 * shelved_offload_time as Nova reads it: N > 0 offloads a shelved server N
 * seconds after the shelve (a durable timer task), unless it was unshelved
 * first; -1 never offloads. (0, at once, is the default the other shelve
 * tests run with.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startComputeCloud, type ComputeCloud } from './support.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function shelveCloud(offloadTime: number) {
  const state = {} as { c: ComputeCloud };
  before(async () => {
    state.c = await startComputeCloud((config) => {
      config.compute.shelved_offload_time = offloadTime;
    });
  });
  after(() => state.c.close());
  const boot = async (name: string) => {
    const created = await state.c.call('POST', '/servers', {
      version: '2.37',
      body: { server: { name, imageRef: state.c.imageId, flavorRef: '42', networks: 'none' } },
    });
    assert.equal(created.status, 202, created.text);
    return (await state.c.waitFor(created.body.server.id, 'ACTIVE')).id as string;
  };
  const action = (id: string, name: string, body: unknown = null) => state.c.call('POST', `/servers/${id}/action`, { body: { [name]: body } });
  const hostOf = async (id: string) =>
    (await state.c.call('GET', `/servers/${id}`, { token: state.c.admin, version: '2.79' })).body.server['OS-EXT-SRV-ATTR:host'];
  const allocations = async (id: string) =>
    Object.keys((await state.c.cloud.request('GET', `/placement/allocations/${id}`, { token: state.c.admin })).body.allocations);
  return { state, boot, action, hostOf, allocations };
}

describe('compute: shelved_offload_time = 2 s', () => {
  const { state, boot, action, hostOf, allocations } = shelveCloud(2);

  test('a shelved server keeps its host, then is offloaded when the time is up', async () => {
    const id = await boot('timed');
    assert.equal((await action(id, 'shelve')).status, 202);
    const shelvedAt = Date.now();
    await state.c.waitFor(id, 'SHELVED');
    assert.equal(await hostOf(id), 'nimbus-compute', 'still on its host before the time is up');
    assert.equal((await allocations(id)).length, 1);
    await state.c.waitFor(id, 'SHELVED_OFFLOADED');
    assert.ok(Date.now() - shelvedAt >= 1900, `offloaded after ${Date.now() - shelvedAt} ms, before the 2 s`);
    assert.equal(await hostOf(id), null);
    assert.deepEqual(await allocations(id), []);
  });

  test('unshelving before the time is up cancels the offload', async () => {
    const id = await boot('back-soon');
    assert.equal((await action(id, 'shelve')).status, 202);
    await state.c.waitFor(id, 'SHELVED');
    assert.equal((await action(id, 'unshelve')).status, 202);
    await state.c.waitFor(id, 'ACTIVE');
    await sleep(3500);
    const server = await state.c.waitFor(id, 'ACTIVE');
    assert.equal(server['OS-EXT-STS:vm_state'], 'active', 'the old timer left the unshelved server alone');
    assert.equal(await hostOf(id), 'nimbus-compute');
  });
});

describe('compute: shelved_offload_time = -1', () => {
  const { state, boot, action, hostOf, allocations } = shelveCloud(-1);

  test('a shelved server is never offloaded on its own; an admin still can', async () => {
    const id = await boot('kept');
    assert.equal((await action(id, 'shelve')).status, 202);
    await state.c.waitFor(id, 'SHELVED');
    await sleep(2500);
    assert.equal((await state.c.waitFor(id, 'SHELVED'))['OS-EXT-STS:vm_state'], 'shelved');
    assert.equal(await hostOf(id), 'nimbus-compute');
    assert.equal((await allocations(id)).length, 1);
    assert.equal((await state.c.call('POST', `/servers/${id}/action`, { token: state.c.admin, body: { shelveOffload: null } })).status, 202);
    await state.c.waitFor(id, 'SHELVED_OFFLOADED');
    assert.deepEqual(await allocations(id), []);
  });
});
