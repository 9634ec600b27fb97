import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cidrsOverlap, formatCidr, normalizeIp, parseCidr, parseIp } from './ip.js';

test('parses and formats IPv4 and IPv6 addresses canonically', () => {
  assert.equal(normalizeIp('10.0.0.1'), '10.0.0.1');
  assert.equal(normalizeIp('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
  assert.equal(normalizeIp('::'), '::');
  assert.equal(normalizeIp('::ffff:10.0.0.1'), '::ffff:a00:1');
  assert.equal(normalizeIp('2001:db8::1:0:0:1'), '2001:db8::1:0:0:1');
  for (const bad of ['10.0.0.256', '10.0.0', '1:2:3:4:5:6:7:8:9', '2001:db8:::1', 'abc', '01.2.3.4']) assert.equal(parseIp(bad), null, bad);
});

test('CIDRs: strict parsing, overlap', () => {
  assert.equal(parseCidr('10.0.0.1/24', true), null);
  assert.equal(formatCidr(parseCidr('10.0.0.1/24') as NonNullable<ReturnType<typeof parseCidr>>), '10.0.0.0/24');
  const a = parseCidr('10.0.0.0/24');
  const b = parseCidr('10.0.0.128/25');
  const c = parseCidr('10.0.1.0/24');
  assert.ok(a && b && c);
  assert.ok(cidrsOverlap(a, b));
  assert.ok(!cidrsOverlap(a, c));
});
