/** Host checks of the QEMU driver: the accelerator probe and the missing-tool report. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultConfig } from '../../../src/config.js';
import { createQemuDriver } from '../../../src/compute/drivers/qemu/index.js';
import { guestBoots, hostFacts } from '../../../src/compute/drivers/qemu/host.js';
import { startComputeCloud, type ComputeCloud } from '../support.js';
import { guestImage, skipReason, spec } from './guest.js';

test('the accelerator probe sees a guest boot (TCG proves the mechanism; KVM is probed the same way)', { skip: skipReason(), timeout: 300_000 }, async () => {
  assert.equal(await guestBoots('tcg', guestImage(), 120_000), true);
  // A disk that boots nothing prints nothing: the probe says no.
  const blank = join(tmpdir(), `nimbus-blank-${process.pid}.raw`);
  execFileSync('qemu-img', ['create', '-q', '-f', 'raw', blank, '1M']);
  try {
    assert.equal(await guestBoots('tcg', blank, 5_000), false);
  } finally {
    rmSync(blank, { force: true });
  }
});

test("host facts are the machine's", () => {
  const facts = hostFacts(tmpdir());
  assert.ok(facts.vcpus >= 1);
  assert.ok(facts.memoryMb > 100);
  assert.ok(facts.freeDiskGb >= 0);
});

test('without the host tools the host is unavailable and spawns fail naming them', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-qemu-notools-'));
  const path = process.env.PATH;
  process.env.PATH = join(dataDir, 'empty-bin');
  t.after(() => {
    process.env.PATH = path;
    rmSync(dataDir, { recursive: true, force: true });
  });
  const config = defaultConfig().compute;
  config.qemu.host = 'no-tools-host';
  const driver = await createQemuDriver(config, dataDir, async () => {
    throw new Error('not used');
  });
  const [host] = driver.hosts();
  assert.equal(host?.unavailable, 'Missing host tools for the QEMU driver: qemu-system-x86_64, qemu-img, genisoimage');
  assert.equal(host?.hypervisorType, 'QEMU');
  await assert.rejects(driver.spawn('no-tools-host', spec()), { name: 'SpawnFailed', message: /qemu-system-x86_64, qemu-img, genisoimage/ });
});

test('without the host tools the compute service is down with the reason and builds fail naming the tools', async (t) => {
  const empty = mkdtempSync(join(tmpdir(), 'nimbus-qemu-notools-'));
  const path = process.env.PATH;
  process.env.PATH = empty;
  const host = `notools-${process.pid}`;
  let c: ComputeCloud;
  try {
    c = await startComputeCloud((config) => {
      config.compute.compute_driver = 'qemu';
      config.compute.qemu.host = host;
      config.compute.qemu.accel = 'tcg';
    });
  } finally {
    process.env.PATH = path;
  }
  t.after(async () => {
    await c.close();
    rmSync(empty, { recursive: true, force: true });
  });
  const services = await c.call('GET', '/os-services?binary=nova-compute', { token: c.admin, version: '2.11' });
  const service = services.body.services.find((s: { host: string }) => s.host === host);
  assert.equal(service.state, 'down');
  assert.equal(service.forced_down, true);
  assert.equal(service.status, 'disabled');
  assert.match(service.disabled_reason, /Missing host tools for the QEMU driver: qemu-system-x86_64, qemu-img, genisoimage/);
  const created = await c.call('POST', '/servers', {
    version: '2.37',
    body: { server: { name: 'nt', imageRef: c.imageId, flavorRef: '42', networks: 'none' } },
  });
  assert.equal(created.status, 202, created.text);
  const server = await c.waitFor(created.body.server.id, 'ERROR');
  assert.match(server.fault.message, /No valid host was found\. .*Host notools-\d+ is down: Missing host tools for the QEMU driver: qemu-system-x86_64/);
});
