/**
 * The hypervisor driver contract (src/compute/drivers/driver.ts) as one
 * suite, run over every driver (driver-contract.test.ts): spawn and its
 * repetition, the power states each operation accepts and leaves
 * (DRIVER_STATES), the errors for a missing domain or host, the console,
 * destroy and its repetition. One guest per driver, walked through its
 * states in order, so a real hypervisor boots it only twice; it is
 * destroyed and the driver's files removed even when a step fails.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  DRIVER_STATES,
  portDeviceName,
  type DriverOperation,
  type GuestSpec,
  type HypervisorDriver,
  type PowerState,
  POWER_STATE,
} from '../../src/compute/drivers/driver.js';
import { DriverError } from '../../src/compute/drivers/errors.js';

export interface ContractSubject {
  driver: HypervisorDriver;
  /** A host the driver runs. */
  host: string;
  /** A guest the driver can boot. */
  spec(): GuestSpec;
  /** Resolves once the guest's latest boot has come far enough to answer the ACPI power button (the fake: at once). */
  booted(serverId: string): Promise<void>;
  /** Removes what the driver left (data dirs); guests are destroyed by the suite. */
  cleanup(): Promise<void>;
}

/** The operations the walk calls, by their DRIVER_STATES name. */
const CALLS: Partial<Record<DriverOperation, (d: HypervisorDriver, host: string, id: string) => Promise<void>>> = {
  powerOn: (d, host, id) => d.powerOn(host, id),
  powerOff: (d, host, id) => d.powerOff(host, id),
  softReboot: (d, host, id) => d.reboot(host, id, 'SOFT'),
  pause: (d, host, id) => d.pause(host, id),
  unpause: (d, host, id) => d.unpause(host, id),
  suspend: (d, host, id) => d.suspend(host, id),
  resume: (d, host, id) => d.resume(host, id),
};

/** The walk: from RUNNING through every other power state and back, one operation at a time. */
const WALK: DriverOperation[] = ['pause', 'unpause', 'suspend', 'resume', 'powerOff', 'powerOn'];

const isDriverError = (code: DriverError['code']) => (error: unknown) => error instanceof DriverError && error.code === code;

export function defineComputeDriverContract(
  name: string,
  make: () => Promise<ContractSubject>,
  options: { skip?: string | false; timeout?: number } = {},
): void {
  describe(`compute driver contract: ${name}`, { skip: options.skip ?? false, timeout: options.timeout ?? 60_000 }, () => {
    let subject: ContractSubject;
    let guest: GuestSpec;
    const power = async (): Promise<PowerState> => (await subject.driver.info(subject.host, guest.serverId)).powerState;

    before(async () => {
      subject = await make();
      guest = subject.spec();
    });
    after(async () => {
      if (!subject) return;
      try {
        await subject.driver.destroy(subject.host, guest.serverId);
      } finally {
        await subject.cleanup();
      }
    });

    test("spawn leaves the domain RUNNING at the spec's size; repeating it succeeds", async () => {
      await subject.driver.spawn(subject.host, guest);
      await subject.booted(guest.serverId);
      const info = await subject.driver.info(subject.host, guest.serverId);
      assert.equal(info.powerState, POWER_STATE.RUNNING);
      assert.equal(info.vcpus, guest.vcpus);
      assert.equal(info.memoryMb, guest.memoryMb);
      assert.equal(info.rescued, false);
      await subject.driver.spawn(subject.host, guest);
      assert.equal(await power(), POWER_STATE.RUNNING);
    });

    test('cacheImage: the image a guest booted from is already in the host cache; an unknown host is HostNotFound', async (t) => {
      const driver = subject.driver;
      if (!driver.cacheImage || !('image' in guest.boot)) return t.skip('no image cache or no image boot');
      assert.equal(await driver.cacheImage(subject.host, guest.boot.image), 'existing');
      await assert.rejects(driver.cacheImage('no-such-host', guest.boot.image), isDriverError('HostNotFound'));
    });

    test('each power operation accepts exactly the states DRIVER_STATES lists and leaves the one it declares', async () => {
      for (const next of WALK) {
        const current = await power();
        // Every operation refused in this state throws InvalidDomainState and changes nothing.
        for (const [operation, call] of Object.entries(CALLS) as Array<[DriverOperation, NonNullable<(typeof CALLS)[DriverOperation]>]>) {
          if ((DRIVER_STATES[operation].accepts as readonly PowerState[]).includes(current)) continue;
          await assert.rejects(call(subject.driver, subject.host, guest.serverId), isDriverError('InvalidDomainState'), `${operation} in state ${current}`);
          assert.equal(await power(), current, `a refused ${operation} left state ${current}`);
        }
        assert.ok((DRIVER_STATES[next].accepts as readonly PowerState[]).includes(current), `the walk calls ${next} in a state it accepts`);
        await CALLS[next]!(subject.driver, subject.host, guest.serverId);
        assert.equal(await power(), DRIVER_STATES[next].produces, `${next} from state ${current}`);
        if (next === 'powerOn') await subject.booted(guest.serverId);
      }
    });

    test('a missing domain is DomainNotFound (destroy: success), an unknown host HostNotFound', async () => {
      const missing = randomUUID();
      await assert.rejects(subject.driver.info(subject.host, missing), isDriverError('DomainNotFound'));
      await assert.rejects(subject.driver.powerOn(subject.host, missing), isDriverError('DomainNotFound'));
      await assert.rejects(subject.driver.pause(subject.host, missing), isDriverError('DomainNotFound'));
      await subject.driver.destroy(subject.host, missing);
      await assert.rejects(subject.driver.info('no-such-host', guest.serverId), isDriverError('HostNotFound'));
      await assert.rejects(subject.driver.spawn('no-such-host', { ...guest, serverId: missing }), isDriverError('HostNotFound'));
    });

    test('stats: cumulative counters of a running guest at its size; refused once it is shut down; DomainNotFound when missing', async () => {
      if ((await power()) !== POWER_STATE.RUNNING) {
        await subject.driver.powerOn(subject.host, guest.serverId);
        await subject.booted(guest.serverId);
      }
      const first = await subject.driver.stats(subject.host, guest.serverId);
      const second = await subject.driver.stats(subject.host, guest.serverId);
      assert.ok(second.cpuTimeNs >= first.cpuTimeNs && first.cpuTimeNs >= 0);
      assert.equal(second.vcpus, guest.vcpus);
      assert.equal(second.memoryMb, guest.memoryMb);
      assert.deepEqual(
        second.interfaces.map((i) => i.tapName),
        guest.interfaces.map((i) => portDeviceName(i.portId)),
      );
      assert.ok(second.disks.some((d) => d.device === 'vda'));
      await subject.driver.powerOff(subject.host, guest.serverId);
      await assert.rejects(subject.driver.stats(subject.host, guest.serverId), isDriverError('InvalidDomainState'));
      await subject.driver.powerOn(subject.host, guest.serverId);
      await subject.booted(guest.serverId);
      await assert.rejects(subject.driver.stats(subject.host, randomUUID()), isDriverError('DomainNotFound'));
    });

    test('the console holds what the guest printed', async () => {
      const log = await subject.driver.consoleLog(subject.host, guest.serverId);
      assert.equal(typeof log, 'string');
      assert.ok(log.length > 0, 'a booted guest has printed something');
    });

    test('openConsole: the display speaks RFB first; a guest shut down refuses; hostLoad reads the host', async () => {
      const display = await subject.driver.openConsole(subject.host, guest.serverId, 'vnc');
      const greeting = await new Promise<Buffer>((resolve) => display.once('data', resolve));
      display.destroy();
      assert.equal(greeting.subarray(0, 12).toString(), 'RFB 003.008\n');
      await subject.driver.powerOff(subject.host, guest.serverId);
      await assert.rejects(subject.driver.openConsole(subject.host, guest.serverId, 'serial'), isDriverError('InvalidDomainState'));
      await subject.driver.powerOn(subject.host, guest.serverId);
      await subject.booted(guest.serverId);
      const load = subject.driver.hostLoad(subject.host);
      assert.ok(load.uptimeSeconds >= 0 && load.loadAverage.length === 3 && load.loadAverage.every((l) => l >= 0));
      assert.throws(() => subject.driver.hostLoad('no-such-host'), isDriverError('HostNotFound'));
    });

    test('destroy removes the domain; repeating it succeeds', async () => {
      await subject.driver.destroy(subject.host, guest.serverId);
      await assert.rejects(subject.driver.info(subject.host, guest.serverId), isDriverError('DomainNotFound'));
      await subject.driver.destroy(subject.host, guest.serverId);
    });
  });
}
