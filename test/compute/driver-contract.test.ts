/**
 * The compute driver contract (driver-contract.ts) over each driver: the
 * fake always; QEMU where a guest can run (root for its tap, /dev/net/tun,
 * the QEMU tools, the built test guest image), with one guest under TCG.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FakeDriver } from '../../src/compute/drivers/fake.js';
import { GUEST_IMAGE_DIR } from '../support/guest-image.js';
import { defineComputeDriverContract } from './driver-contract.js';
import { HOST, newDriver, skipReason, spec, tempDataDir, waitConsole, BOOT_TIMEOUT_MS } from './qemu/guest.js';

defineComputeDriverContract('fake', async () => ({
  driver: new FakeDriver({ hosts: 1, hostPrefix: 'contract-host', vcpus: 8, memoryMb: 16384, diskGb: 100, delays: {}, fail: {}, stateFile: null }),
  host: 'contract-host',
  spec,
  booted: async () => undefined,
  cleanup: async () => undefined,
}));

/** Why no QEMU guest can run here, or false. */
function qemuSkip(): string | false {
  const missing = skipReason();
  if (missing) return missing;
  if (!existsSync('/dev/net/tun')) return "no /dev/net/tun (QEMU opens the guest's tap through it)";
  if (!existsSync(join(GUEST_IMAGE_DIR, 'nimbus-guest.qcow2'))) return `no guest image in ${GUEST_IMAGE_DIR} (scripts/build-guest-image builds it)`;
  return false;
}

defineComputeDriverContract(
  'qemu',
  async () => {
    const dataDir = tempDataDir();
    const driver = newDriver(dataDir);
    // Each boot prints one ready marker; the n-th boot is done at the n-th.
    const boots = new Map<string, number>();
    return {
      driver,
      host: HOST,
      spec,
      async booted(serverId) {
        const count = (boots.get(serverId) ?? 0) + 1;
        boots.set(serverId, count);
        await waitConsole(driver, serverId, /NIMBUS-GUEST-READY/, count);
      },
      cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  },
  { skip: qemuSkip(), timeout: 6 * BOOT_TIMEOUT_MS },
);
