/**
 * The QEMU driver against real guests (the built test image under TCG): one
 * guest walks through the lifecycle, a second one boots with a config drive.
 * Every guest is destroyed in t.after, even when a step fails.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { POWER_STATE } from '../../../src/compute/drivers/driver.js';
import { HOST, IMAGE_ID, linkExists, newDriver, processAlive, skipReason, spec, tempDataDir, waitConsole } from './guest.js';

const skip = skipReason();

test('QEMU driver: lifecycle of a real guest', { skip, timeout: 900_000 }, async (t) => {
  const dataDir = tempDataDir();
  const driver = newDriver(dataDir);
  const guest = spec({ userData: null });
  const tap = `tap${guest.interfaces[0]!.portId.slice(0, 11)}`;
  t.after(async () => {
    await driver.destroy(HOST, guest.serverId);
    rmSync(dataDir, { recursive: true, force: true });
  });
  const dir = join(dataDir, 'instances', guest.serverId);
  const power = async () => (await driver.info(HOST, guest.serverId)).powerState;

  await t.test('spawn boots the guest to its ready marker (no DHCP server: udhcpc times out and it carries on)', async () => {
    await driver.spawn(HOST, guest);
    assert.ok(existsSync(join(dataDir, 'instances', '_base', IMAGE_ID)), 'base image cached');
    assert.ok(linkExists(tap), `QEMU opened ${tap}`);
    const ready = await waitConsole(driver, guest.serverId, /NIMBUS-GUEST-READY/);
    assert.match(ready, /ip=none source=none/);
    assert.equal(await power(), POWER_STATE.RUNNING);
    const overlay = JSON.parse(execFileSync('qemu-img', ['info', '-U', '--output=json', join(dir, 'disk.qcow2')], { encoding: 'utf8' })) as {
      'virtual-size': number;
      'backing-filename': string;
    };
    assert.equal(overlay['virtual-size'], 1024 ** 3, 'root disk grown to the flavor');
    assert.ok(overlay['backing-filename'].endsWith(`_base/${IMAGE_ID}`));
    await driver.spawn(HOST, guest); // a repeated spawn succeeds and starts nothing new
    assert.equal((await driver.consoleLog(HOST, guest.serverId)).match(/NIMBUS-GUEST-BOOT/g)?.length, 1);
  });

  await t.test('pause and unpause stop and continue the vCPUs', async () => {
    await driver.pause(HOST, guest.serverId);
    assert.equal(await power(), POWER_STATE.PAUSED);
    await assert.rejects(driver.pause(HOST, guest.serverId), { name: 'InvalidDomainState' });
    await driver.unpause(HOST, guest.serverId);
    assert.equal(await power(), POWER_STATE.RUNNING);
    await driver.suspend(HOST, guest.serverId);
    assert.equal(await power(), POWER_STATE.SUSPENDED);
    await driver.resume(HOST, guest.serverId);
    assert.equal(await power(), POWER_STATE.RUNNING);
  });

  await t.test('a qcow2 file volume is hot-plugged (seen by the guest with its serial) and unplugged', async () => {
    const file = join(dataDir, 'vol1.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', file, '64M']);
    const volumeId = '5a1e0c3d-aaaa-4bbb-8ccc-000000000001';
    const volume = { volumeId, device: '/dev/vdb', connection: { driverVolumeType: 'local' as const, data: { device_path: file, format: 'qcow2' } } };
    await driver.attachVolume(HOST, guest.serverId, volume);
    await driver.attachVolume(HOST, guest.serverId, volume); // already attached: success
    await waitConsole(driver, guest.serverId, new RegExp(`NIMBUS-GUEST-DISKS .*vdb:${volumeId.slice(0, 20)}:131072`), 1, 60_000);
    await driver.detachVolume(HOST, guest.serverId, volumeId);
    await waitConsole(driver, guest.serverId, /NIMBUS-GUEST-DISKS vda:root:2097152$/, 2, 60_000);
    await driver.detachVolume(HOST, guest.serverId, volumeId); // not attached: success
  });

  await t.test('an NBD volume (qemu-storage-daemon export on loopback) is hot-plugged and unplugged', async (tt) => {
    const file = join(dataDir, 'vol2.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', file, '32M']);
    const port = 20000 + Math.floor(Math.random() * 20000);
    const pidFile = join(dataDir, 'qsd.pid');
    execFileSync('qemu-storage-daemon', [
      '--blockdev',
      `driver=file,node-name=f2,filename=${file}`,
      '--blockdev',
      'driver=qcow2,node-name=v2,file=f2',
      '--nbd-server',
      `addr.type=inet,addr.host=127.0.0.1,addr.port=${port}`,
      '--export',
      'type=nbd,id=e2,node-name=v2,name=vol-nbd,writable=on',
      '--daemonize',
      '--pidfile',
      pidFile,
    ]);
    tt.after(() => process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM'));
    const volumeId = '5a1e0c3d-aaaa-4bbb-8ccc-000000000002';
    await driver.attachVolume(HOST, guest.serverId, {
      volumeId,
      device: '/dev/vdb',
      connection: { driverVolumeType: 'nbd', data: { uri: `nbd://127.0.0.1:${port}/vol-nbd` } },
    });
    await waitConsole(driver, guest.serverId, new RegExp(`NIMBUS-GUEST-DISKS .*vdb:${volumeId.slice(0, 20)}:65536`), 1, 60_000);
    await driver.detachVolume(HOST, guest.serverId, volumeId);
    await waitConsole(driver, guest.serverId, /NIMBUS-GUEST-DISKS vda:root:2097152$/, 3, 60_000);
  });

  await t.test('snapshot returns a valid standalone qcow2 of the root disk', async () => {
    const bytes = await driver.snapshot(HOST, guest.serverId);
    assert.equal(Buffer.from(bytes.subarray(0, 4)).toString('latin1'), 'QFI\xfb');
    const file = join(dataDir, 'snap.qcow2');
    writeFileSync(file, bytes);
    const info = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', file], { encoding: 'utf8' })) as { format: string; 'backing-filename'?: string };
    assert.equal(info.format, 'qcow2');
    assert.equal(info['backing-filename'], undefined, 'flattened');
    execFileSync('qemu-img', ['check', '-q', file]);
    assert.equal(await power(), POWER_STATE.RUNNING, 'the guest runs on after the snapshot');
  });

  await t.test('a new driver over the same data dir re-adopts the running guest', async () => {
    const again = newDriver(dataDir);
    const info = await again.info(HOST, guest.serverId);
    assert.equal(info.powerState, POWER_STATE.RUNNING);
    assert.ok(info.uptimeSeconds >= 1);
    assert.match(await again.consoleLog(HOST, guest.serverId), /NIMBUS-GUEST-READY/);
    await assert.rejects(again.info(HOST, 'f0000000-0000-4000-8000-000000000000'), { name: 'DomainNotFound' });
    await assert.rejects(again.info('other-host', guest.serverId), { name: 'HostNotFound' });
  });

  await t.test('hard reboot resets the guest; soft reboot goes through the ACPI power button', async () => {
    await driver.reboot(HOST, guest.serverId, 'HARD');
    await waitConsole(driver, guest.serverId, /NIMBUS-GUEST-READY/, 2);
    await driver.reboot(HOST, guest.serverId, 'SOFT');
    await waitConsole(driver, guest.serverId, /NIMBUS-GUEST-POWERDOWN/, 1, 5_000);
    await waitConsole(driver, guest.serverId, /NIMBUS-GUEST-READY/, 3);
    assert.equal(await power(), POWER_STATE.RUNNING);
  });

  await t.test('power off is a clean ACPI shutdown; power on boots again', async () => {
    await driver.powerOff(HOST, guest.serverId);
    assert.equal(await power(), POWER_STATE.SHUTDOWN);
    await waitConsole(driver, guest.serverId, /NIMBUS-GUEST-POWERDOWN/, 2, 5_000);
    await assert.rejects(driver.pause(HOST, guest.serverId), { name: 'InvalidDomainState' });
    await driver.powerOn(HOST, guest.serverId);
    await waitConsole(driver, guest.serverId, /NIMBUS-GUEST-READY/, 4);
  });

  await t.test('a guest whose QEMU died is SHUTDOWN', async () => {
    const pid = Number(readFileSync(join(dir, 'qemu.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await power(), POWER_STATE.SHUTDOWN);
  });

  await t.test('destroy removes the process, the files and the tap', async () => {
    await driver.powerOn(HOST, guest.serverId);
    const pid = Number(readFileSync(join(dir, 'qemu.pid'), 'utf8'));
    await driver.destroy(HOST, guest.serverId);
    assert.equal(existsSync(dir), false);
    assert.equal(processAlive(pid), false);
    assert.equal(linkExists(tap), false);
    await assert.rejects(driver.info(HOST, guest.serverId), { name: 'DomainNotFound' });
    await driver.destroy(HOST, guest.serverId); // missing: success
  });
});

test('QEMU driver: the guest reads its config drive and runs its user data', { skip, timeout: 300_000 }, async (t) => {
  const dataDir = tempDataDir();
  const driver = newDriver(dataDir);
  const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIQemuTestKey qemu@test';
  const guest = spec({
    interfaces: [],
    configDrive: {
      'openstack/latest/meta_data.json': JSON.stringify({ uuid: 'cd-test', hostname: 'cdguest', public_keys: { k1: key } }),
      'openstack/latest/user_data': '#!/bin/sh\necho user-data-ran-$((6*7))\n',
    },
  });
  t.after(async () => {
    await driver.destroy(HOST, guest.serverId);
    rmSync(dataDir, { recursive: true, force: true });
  });
  await driver.spawn(HOST, guest);
  const ready = await waitConsole(driver, guest.serverId, /NIMBUS-GUEST-READY/);
  assert.match(ready, /source=configdrive/);
  assert.ok(ready.endsWith(`key=${key}`), ready);
  assert.match(await driver.consoleLog(HOST, guest.serverId), /user-data-ran-42/);
});

test('QEMU driver: a spawn that fails leaves nothing', { skip, timeout: 60_000 }, async (t) => {
  const dataDir = tempDataDir();
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const driver = newDriver(dataDir);
  const guest = spec({ boot: { image: 'no-such-image' } });
  await assert.rejects(driver.spawn(HOST, guest), { name: 'SpawnFailed', message: /no image no-such-image/ });
  assert.equal(existsSync(join(dataDir, 'instances', guest.serverId)), false);
  await assert.rejects(driver.info(HOST, guest.serverId), { name: 'DomainNotFound' });
});

test('QEMU driver: resize (confirm and revert), rescue and interface hot-plug', { skip, timeout: 900_000 }, async (t) => {
  const dataDir = tempDataDir();
  const driver = newDriver(dataDir);
  const guest = spec({ interfaces: [] });
  t.after(async () => {
    await driver.destroy(HOST, guest.serverId);
    rmSync(dataDir, { recursive: true, force: true });
  });
  const dir = join(dataDir, 'instances', guest.serverId);
  const diskSize = () =>
    (JSON.parse(execFileSync('qemu-img', ['info', '-U', '--output=json', join(dir, 'disk.qcow2')], { encoding: 'utf8' })) as { 'virtual-size': number })[
      'virtual-size'
    ];
  await driver.spawn(HOST, guest);
  await waitConsole(driver, guest.serverId, /NIMBUS-GUEST-READY/);

  await t.test('an interface is hot-plugged on its tap and unplugged', async () => {
    const portId = randomUUID();
    await driver.attachInterface(HOST, guest.serverId, { portId, mac: 'fa:16:3e:aa:bb:cc' });
    assert.ok(linkExists(`tap${portId.slice(0, 11)}`));
    await driver.detachInterface(HOST, guest.serverId, portId);
    assert.equal(linkExists(`tap${portId.slice(0, 11)}`), false);
  });

  await t.test('resize restarts with the new size; revert restores the old disk and size', async () => {
    await driver.resize(HOST, HOST, { ...guest, memoryMb: 160, rootGb: 2 });
    assert.equal((await driver.info(HOST, guest.serverId)).memoryMb, 160);
    assert.equal(diskSize(), 2 * 1024 ** 3);
    await waitConsole(driver, guest.serverId, /NIMBUS-GUEST-READY/, 2);
    await driver.revertResize(HOST, HOST, guest.serverId);
    const info = await driver.info(HOST, guest.serverId);
    assert.equal(info.memoryMb, 128);
    assert.equal(info.powerState, POWER_STATE.RUNNING);
    assert.equal(diskSize(), 1024 ** 3);
    await waitConsole(driver, guest.serverId, /NIMBUS-GUEST-READY/, 3);
    await driver.resize(HOST, HOST, { ...guest, memoryMb: 160, rootGb: 2 });
    await driver.confirmResize(HOST, HOST, guest.serverId);
    assert.equal(existsSync(join(dir, 'resize-source.qcow2')), false);
    assert.equal(diskSize(), 2 * 1024 ** 3);
    await assert.rejects(driver.resize(HOST, 'elsewhere', guest), { name: 'HostNotFound' });
    await waitConsole(driver, guest.serverId, /NIMBUS-GUEST-READY/, 4);
  });

  await t.test('rescue boots the rescue image with the root disk second; unrescue boots the root disk', async () => {
    await driver.rescue(HOST, guest.serverId, IMAGE_ID);
    assert.equal((await driver.info(HOST, guest.serverId)).rescued, true);
    await waitConsole(driver, guest.serverId, /NIMBUS-GUEST-DISKS vda:rescue:\d+ vdb:root:4194304/);
    const rootOnly = /NIMBUS-GUEST-DISKS vda:root:4194304$/;
    const before = (await driver.consoleLog(HOST, guest.serverId)).split(/\r?\n/).filter((l) => rootOnly.test(l)).length;
    await driver.unrescue(HOST, guest.serverId);
    assert.equal((await driver.info(HOST, guest.serverId)).rescued, false);
    assert.equal(existsSync(join(dir, 'rescue.qcow2')), false);
    await waitConsole(driver, guest.serverId, rootOnly, before + 1);
    await assert.rejects(driver.unrescue(HOST, guest.serverId), { name: 'InvalidDomainState' });
  });
});
