import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCidr } from '../../core/net/ip.js';
import { IpSet } from './ip-set.js';

test('prefixes merge into the fewest CIDRs (adjacent and overlapping ones)', () => {
  assert.deepEqual(IpSet.parse(4, ['10.0.1.0/24', '10.0.0.0/24', '10.0.0.128/25']).cidrTexts(), ['10.0.0.0/23']);
  assert.deepEqual(IpSet.parse(4, ['10.0.0.0/24', '10.0.2.0/24']).cidrTexts(), ['10.0.0.0/24', '10.0.2.0/24']);
  assert.deepEqual(IpSet.parse(6, ['2001:db8::/64', '2001:db8:0:1::/64']).cidrTexts(), ['2001:db8::/63']);
});

test('difference splits a range into aligned CIDRs', () => {
  const free = IpSet.parse(4, ['10.0.0.0/16']).difference(IpSet.parse(4, ['10.0.0.0/24']));
  assert.deepEqual(free.cidrTexts(), [
    '10.0.1.0/24',
    '10.0.2.0/23',
    '10.0.4.0/22',
    '10.0.8.0/21',
    '10.0.16.0/20',
    '10.0.32.0/19',
    '10.0.64.0/18',
    '10.0.128.0/17',
  ]);
  assert.ok(IpSet.parse(4, ['10.0.0.0/24']).isSubsetOf(IpSet.parse(4, ['10.0.0.0/16'])));
  assert.ok(!IpSet.parse(4, ['10.1.0.0/24']).isSubsetOf(IpSet.parse(4, ['10.0.0.0/16'])));
  assert.ok(IpSet.parse(4, ['10.0.0.0/8']).intersects(IpSet.parse(4, ['10.9.0.0/24'])));
  assert.ok(!IpSet.parse(4, ['10.0.0.0/24']).intersects(IpSet.parse(4, ['10.0.1.0/24'])));
});

test('firstFree takes the smallest block that fits, lowest address first', () => {
  const pool = IpSet.parse(4, ['10.0.0.0/16', '192.168.0.0/26']);
  assert.equal(formatCidr(pool.firstFree(24) ?? assert.fail()), '10.0.0.0/24');
  assert.equal(formatCidr(pool.firstFree(28) ?? assert.fail()), '192.168.0.0/28', 'best fit: the /26 before the /16');
  const used = pool.difference(IpSet.parse(4, ['10.0.0.0/24', '192.168.0.0/28']));
  assert.equal(formatCidr(used.firstFree(24) ?? assert.fail()), '10.0.1.0/24');
  assert.equal(formatCidr(used.firstFree(28) ?? assert.fail()), '192.168.0.16/28');
  assert.equal(IpSet.parse(4, ['10.0.0.0/24']).firstFree(23), null);
});
