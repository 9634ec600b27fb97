/**
 * The QEMU driver's usage counters from a real guest (the test image under
 * TCG): the QEMU process's CPU time rises faster once the guest runs the
 * busy loop its user data starts after a while (compared with the same
 * guest idle just before, so a loaded host's slower rate does not matter), the root disk's reads from booting show in
 * query-blockstats, and the guest's DHCP requests count as packets it sent
 * (its tap's received packets).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { HOST, newDriver, skipReason, spec, tempDataDir, waitConsole } from './guest.js';

const skip = skipReason();

test('QEMU driver: stats of a real guest running a busy loop', { skip, timeout: 300_000 }, async (t) => {
  const dataDir = tempDataDir();
  const driver = newDriver(dataDir);
  const guest = spec({
    configDrive: {
      'openstack/latest/meta_data.json': JSON.stringify({ uuid: 'stats-test', hostname: 'statsguest' }),
      // In the background, so the guest's init goes on to its ready marker and stays idle for a while first.
      'openstack/latest/user_data': '#!/bin/sh\n( sleep 8; echo busy-loop-started; while :; do :; done ) &\n',
    },
  });
  t.after(async () => {
    await driver.destroy(HOST, guest.serverId);
    rmSync(dataDir, { recursive: true, force: true });
  });
  await driver.spawn(HOST, guest);
  // The network backend brings a port's tap up when it binds it; there is none here. A tap that is down drops what the guest sends.
  execFileSync('ip', ['link', 'set', `tap${guest.interfaces[0]!.portId.slice(0, 11)}`, 'up']);
  await waitConsole(driver, guest.serverId, /NIMBUS-GUEST-READY/);
  const cpuUsedOver = async (ms: number) => {
    const before = await driver.stats(HOST, guest.serverId);
    await new Promise((resolve) => setTimeout(resolve, ms));
    return (await driver.stats(HOST, guest.serverId)).cpuTimeNs - before.cpuTimeNs;
  };
  const idleNs = await cpuUsedOver(2000);
  assert.doesNotMatch(await driver.consoleLog(HOST, guest.serverId), /busy-loop-started/, 'the idle window ended before the loop began');
  await waitConsole(driver, guest.serverId, /busy-loop-started/, 1, 60_000);
  const busyNs = await cpuUsedOver(2000);
  assert.ok(busyNs > 2 * idleNs && busyNs > 0, `QEMU used ${idleNs / 1e6} ms of CPU idle, ${busyNs / 1e6} ms busy (2 s each)`);
  const second = await driver.stats(HOST, guest.serverId);
  assert.equal(second.vcpus, 1);
  assert.equal(second.memoryMb, 128);
  assert.equal(second.memoryUsageMb, null);

  const root = second.disks.find((d) => d.device === 'vda');
  assert.ok(root && root.readBytes > 0 && root.readRequests > 0, `root disk counters: ${JSON.stringify(second.disks)}`);
  assert.ok(!second.disks.some((d) => d.device.includes('config')), 'the config drive is not metered');
  const [nic] = second.interfaces;
  assert.equal(nic?.tapName, `tap${guest.interfaces[0]!.portId.slice(0, 11)}`);
  assert.ok(nic.txPackets > 0, `the guest's DHCP discovers count as sent: ${JSON.stringify(nic)}`);

  await driver.powerOff(HOST, guest.serverId);
  await assert.rejects(driver.stats(HOST, guest.serverId), { name: 'InvalidDomainState' });
});
