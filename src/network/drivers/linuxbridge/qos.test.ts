/** The tc arguments a bandwidth limit becomes, as Neutron's Linux-bridge agent puts them on a tap. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { burstKbit, policeArgs, shapeArgs } from './qos.js';

test('what the VM sends is policed on the tap ingress, with 80 % of the rate as burst when none is given', () => {
  assert.equal(burstKbit({ direction: 'egress', maxKbps: 1000, maxBurstKbps: 0 }), 800);
  assert.deepEqual(
    policeArgs('tapabc', { direction: 'egress', maxKbps: 1000, maxBurstKbps: 0 }).join(' '),
    'filter add dev tapabc parent ffff: protocol all prio 49 u32 match u32 0 0 police rate 1000kbit burst 800kbit mtu 64kb drop',
  );
});

test('what the VM receives is shaped by a tbf root qdisc holding at least one timer tick', () => {
  assert.equal(
    shapeArgs('tapabc', { direction: 'ingress', maxKbps: 2000, maxBurstKbps: 300 }).join(' '),
    'qdisc replace dev tapabc root tbf rate 2000kbit burst 300kbit latency 50ms',
  );
  assert.equal(shapeArgs('tapabc', { direction: 'ingress', maxKbps: 1_000_000, maxBurstKbps: 1 })[9], '4000kbit');
});
