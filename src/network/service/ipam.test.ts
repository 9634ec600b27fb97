import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeIp, parseCidr, parseIp } from '../../core/net/ip.js';
import { eui64 } from './ipam.js';
import { defaultPools } from './subnets.js';

test('default pools leave out network, broadcast and gateway', () => {
  const cidr = parseCidr('10.0.0.0/29');
  assert.ok(cidr);
  assert.deepEqual(defaultPools(cidr, '10.0.0.1'), [{ start: '10.0.0.2', end: '10.0.0.6' }]);
  assert.deepEqual(defaultPools(cidr, '10.0.0.4'), [
    { start: '10.0.0.1', end: '10.0.0.3' },
    { start: '10.0.0.5', end: '10.0.0.6' },
  ]);
  assert.deepEqual(defaultPools(cidr, null), [{ start: '10.0.0.1', end: '10.0.0.6' }]);
});

test('EUI-64 addresses flip the universal/local bit and insert ff:fe', () => {
  const prefix = parseIp('2001:db8::')?.value ?? 0n;
  assert.equal(
    normalizeIp(
      `${eui64(prefix, 'fa:16:3e:12:34:56')
        .toString(16)
        .replace(/(.{4})(?!$)/g, '$1:')}`,
    ),
    '2001:db8::f816:3eff:fe12:3456',
  );
});
