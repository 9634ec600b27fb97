/** The ring: placement is stable, spreads replicas over zones, follows weights, and a rebalance moves little. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDevice, rebalance } from './builder.js';
import { newRingData, Ring } from './ring.js';

test('every partition gets distinct devices in distinct zones, in proportion to weight', () => {
  const data = newRingData(8, 3);
  for (const [name, zone, weight] of [
    ['a', 1, 100],
    ['b', 2, 100],
    ['c', 3, 100],
    ['d', 3, 100],
  ] as const)
    addDevice(data, { name, zone, weight });
  rebalance(data);
  const ring = new Ring(data);
  assert.ok(ring.isBuilt());
  for (let p = 0; p < ring.partitionCount; p++) {
    const devices = ring.primaries(p);
    assert.equal(new Set(devices.map((d) => d.zone)).size, 3, `partition ${p} spans three zones`);
  }
  const hash = ring.hashPath('AUTH_x', 'c', 'o');
  assert.equal(ring.partition(hash), ring.partition(ring.hashPath('AUTH_x', 'c', 'o')));
  assert.ok(ring.partition(hash) < ring.partitionCount);
});

test('adding a device moves only about its share of partitions', () => {
  const data = newRingData(8, 2);
  for (const name of ['a', 'b', 'c']) addDevice(data, { name, zone: 1, weight: 100 });
  rebalance(data);
  const before = data.assignments.map((row) => [...row]);
  addDevice(data, { name: 'd', zone: 1, weight: 100 });
  const moved = rebalance(data);
  const share = (256 * 2) / 4;
  assert.ok(moved <= share + 4, `moved ${moved}, share ${share}`);
  let unchanged = 0;
  for (let r = 0; r < 2; r++) for (let p = 0; p < 256; p++) if (before[r]![p] === data.assignments[r]![p]) unchanged++;
  assert.equal(unchanged, 512 - moved);
});

test('a ring refuses more replicas than devices', () => {
  const data = newRingData(4, 3);
  addDevice(data, { name: 'a', zone: 1, weight: 1 });
  assert.throws(() => rebalance(data), /3 replicas need at least 3 devices/);
});
