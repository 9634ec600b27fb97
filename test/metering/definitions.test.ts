/**
 * polling.yaml's meter selection and the resource definitions' attribute
 * lookup (Ceilometer's alternatives `a|b` and nested `flavor.name` paths).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meterSelected } from '../../src/metering/config.js';
import { attributesOf, definitionOf } from '../../src/metering/publisher/resources.js';
import { METERS } from '../../src/metering/samples.js';

test("meters: '*' takes all, names and wildcards select, '!' exclusions win", () => {
  assert.equal(meterSelected(['*'], 'cpu'), true);
  assert.equal(meterSelected(['cpu', 'disk.device.*'], 'disk.device.read.bytes'), true);
  assert.equal(meterSelected(['cpu', 'disk.device.*'], 'memory'), false);
  assert.equal(meterSelected(['*', '!network.*'], 'network.incoming.bytes'), false);
  assert.equal(meterSelected(['!cpu'], 'vcpus'), true);
  // A dot is literal: 'disk.root.size' does not match 'diskxroot.size'.
  assert.equal(meterSelected(['disk.root.size'], 'diskxroot.size'), false);
});

test('every meter the pollsters produce has a resource type', () => {
  for (const meter of Object.values(METERS)) assert.ok(definitionOf(meter.name), `${meter.name} has a resource type`);
  assert.equal(definitionOf('cpu')?.resourceType, 'instance');
  assert.equal(definitionOf('volume.backup.size')?.resourceType, 'volume');
  assert.equal(definitionOf('storage.objects')?.resourceType, 'swift_account');
  assert.equal(definitionOf('no.such.meter'), undefined);
});

test('attributes: the first path present wins, nested paths descend, absent ones are null', () => {
  const instance = definitionOf('cpu')!;
  const attributes = attributesOf(instance, {
    host: 'h1',
    flavor: { id: '42', name: 'm1.big' },
    display_name: 'vm',
    user_metadata: { server_group: 'g1' },
  });
  assert.equal(attributes.host, 'h1');
  assert.equal(attributes.flavor_id, '42');
  assert.equal(attributes.flavor_name, 'm1.big');
  assert.equal(attributes.server_group, 'g1');
  assert.equal(attributes.image_ref, null);
  assert.equal(attributesOf(instance, { instance_host: 'h2', host: 'h1' }).host, 'h2');
});
