/**
 * The scheduler keeps its host view between decisions (issue 20): a write
 * it did not make itself, to Placement or to the compute services, must be
 * seen by the very next decision, not after the view ages out.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ComputeServices } from '../../src/compute/service/index.js';
import type { Destination } from '../../src/compute/service/scheduler.js';
import { startComputeCloud, type ComputeCloud } from './support.js';

const flavor = { id: 't', name: 't', vcpus: 1, memoryMb: 512, rootGb: 1, ephemeralGb: 0, swap: 0, extraSpecs: {} };

describe('compute scheduler: the kept host view follows writes made elsewhere', () => {
  let c: ComputeCloud;
  let ops: ComputeServices;

  before(async () => {
    c = await startComputeCloud((config) => {
      config.compute.fake.hosts = 2;
      config.compute.fake.vcpus = 8;
      config.compute.fake.memory_mb = 4096;
    });
    ops = c.cloud.server.services.compute?.internals as ComputeServices;
  });
  after(() => c.close());

  const decide = (): Promise<Destination> => {
    const id = randomUUID();
    return ops.runtime.scheduler.selectAndClaim(
      {
        consumerUuid: id,
        serverId: id,
        projectId: 'p',
        userId: 'u',
        flavor,
        availabilityZone: null,
        group: null,
        sameHost: [],
        differentHost: [],
        ignoreHosts: [],
      },
      async () => undefined,
    );
  };

  test('room taken in Placement by another writer, then a disabled service, each steer the next decision', async () => {
    const first = await decide();
    const second = await decide();
    assert.notEqual(first.host, second.host, 'the weighers spread the first two');
    // The hosts are level again, and a view that missed the next write would pick the first (first of equals).
    // Another writer takes most of the first host's memory and two vCPUs: the next decision must weigh it as fuller.
    const placement = ops.runtime.deps.peers.placement();
    const taken = await placement.claim({
      consumerUuid: randomUUID(),
      projectId: 'p',
      userId: 'u',
      allocations: { [first.nodeUuid]: { MEMORY_MB: 3000, VCPU: 2 } },
    });
    assert.equal(taken, true);
    assert.equal((await decide()).host, second.host);
    // The second host, the roomier, is disabled through os-services: the next decision must avoid it.
    const services = await c.call('GET', `/os-services?host=${second.host}`, { token: c.admin, version: '2.53' });
    const id = services.body.services[0].id as string;
    const disabled = await c.call('PUT', `/os-services/${id}`, { token: c.admin, version: '2.53', body: { status: 'disabled' } });
    assert.equal(disabled.status, 200, disabled.text);
    assert.equal((await decide()).host, first.host);
  });
});
