/**
 * The QEMU driver behind the compute API (noop network): the guest image
 * registered at start, a server booted from it through Glance with a config
 * drive carrying its key and user data, its console through
 * os-getConsoleOutput, the host in os-hypervisors, and a delete that leaves
 * no QEMU behind.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startComputeCloud } from '../support.js';
import { BOOT_TIMEOUT_MS, guestImage, newDriver, HOST, skipReason } from './guest.js';

test('a server on the QEMU driver through the compute API', { skip: skipReason(), timeout: 400_000 }, async (t) => {
  const image = guestImage();
  const host = `qemu-api-${process.pid}`;
  const c = await startComputeCloud((config) => {
    config.compute.compute_driver = 'qemu';
    config.compute.qemu.accel = 'tcg';
    config.compute.qemu.host = host;
    config.compute.qemu.guest_image = image;
  });
  const instances = join(c.cloud.dataDir, 'instances');
  t.after(async () => {
    await c.cloud.server.close();
    // Whatever the test left running is stopped by pid file before the data dir goes.
    const cleaner = newDriver(c.cloud.dataDir);
    for (const id of existsSync(instances) ? readdirSync(instances) : []) if (id !== '_base') await cleaner.destroy(HOST, id);
    await c.close();
  });

  const hypervisors = await c.call('GET', '/os-hypervisors/detail', { token: c.admin });
  const hv = hypervisors.body.hypervisors.find((h: { hypervisor_hostname: string }) => h.hypervisor_hostname === host);
  assert.equal(hv.hypervisor_type, 'QEMU');
  assert.equal(hv.state, 'up');
  const images = await c.cloud.request('GET', '/image/v2/images?name=nimbus-guest', { token: c.demo });
  const guest = images.body.images[0];
  assert.equal(guest.min_ram, 128);

  const keypair = await c.call('POST', '/os-keypairs', { body: { keypair: { name: 'qk' } } });
  assert.equal(keypair.status, 200, keypair.text);
  const key = (keypair.body.keypair.public_key as string).trim();
  const created = await c.call('POST', '/servers', {
    version: '2.37',
    body: {
      server: {
        name: 'qemu-api-guest',
        imageRef: guest.id,
        flavorRef: '42',
        networks: 'none',
        key_name: 'qk',
        config_drive: true,
        user_data: Buffer.from('#!/bin/sh\necho api-user-data-$((20+22))\n').toString('base64'),
      },
    },
  });
  assert.equal(created.status, 202, created.text);
  const id = created.body.server.id as string;
  await c.waitFor(id, 'ACTIVE');

  let output = '';
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  while (!output.includes('NIMBUS-GUEST-READY') && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000));
    output = (await c.call('POST', `/servers/${id}/action`, { body: { 'os-getConsoleOutput': {} } })).body.output as string;
  }
  assert.ok(output.includes(`NIMBUS-GUEST-READY ip=none source=configdrive key=${key}`), output.slice(-2000));
  assert.match(output, new RegExp(`"uuid": ?"${id}"`));
  assert.match(output, /api-user-data-42/);

  assert.equal((await c.call('DELETE', `/servers/${id}`)).status, 204);
  await c.waitFor(id, 'DELETED');
  assert.equal(existsSync(join(instances, id)), false);
});
