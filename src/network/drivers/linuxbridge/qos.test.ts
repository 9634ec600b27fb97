/** The tc commands a bandwidth limit becomes, as Neutron's Linux-bridge agent puts them on a tap. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bandwidthCommands, burstKbit } from './qos.js';

test('what the VM sends is policed on the tap ingress, with 80 % of the rate as burst when none is given', () => {
  assert.equal(burstKbit({ direction: 'egress', maxKbps: 1000, maxBurstKbps: 0 }), 800);
  assert.deepEqual(bandwidthCommands('tapabc', { direction: 'egress', maxKbps: 1000, maxBurstKbps: 0 }), [
    ['qdisc', 'add', 'dev', 'tapabc', 'ingress'],
    [
      'filter',
      'add',
      'dev',
      'tapabc',
      'parent',
      'ffff:',
      'protocol',
      'all',
      'prio',
      '49',
      'basic',
      'police',
      'rate',
      '1000kbit',
      'burst',
      '800kbit',
      'mtu',
      '64kb',
      'drop',
    ],
  ]);
});

test('what the VM receives is shaped by a tbf root qdisc holding at least one timer tick', () => {
  assert.deepEqual(bandwidthCommands('tapabc', { direction: 'ingress', maxKbps: 2000, maxBurstKbps: 300 }), [
    ['qdisc', 'replace', 'dev', 'tapabc', 'root', 'tbf', 'rate', '2000kbit', 'burst', '300kbit', 'latency', '50ms'],
  ]);
  const fast = bandwidthCommands('tapabc', { direction: 'ingress', maxKbps: 1_000_000, maxBurstKbps: 1 })[0];
  assert.equal(fast?.[9], '4000kbit');
});
