/**
 * First-start content as DevStack leaves it: the m1.* flavors and a default
 * image. The image is honest about what it is: an empty 1 GiB qcow2 disk
 * (`nimbus-blank-qcow2`) generated here, enough to boot the fake driver's guests.
 * With a real driver and `compute.qemu.guest_image`, the bootable test guest
 * is registered too (`nimbus-guest`). Every start also reports the hypervisors to Placement and syncs the
 * servers' power states with the driver.
 */
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { CallerContext } from '../core/context.js';
import type { IdentityOperations } from '../identity/operations.js';
import { emptyQcow2 } from './drivers/qcow2.js';
import { DEVSTACK_FLAVORS } from './service/flavors.js';
import type { ComputeDeps } from './service/deps.js';
import type { ComputeServices } from './service/index.js';
import { syncPowerStates } from './service/power-sync.js';
import { serviceCaller } from '../core/context.js';
import * as store from './store/index.js';

export const DEFAULT_IMAGE_NAME = 'nimbus-blank-qcow2';
export const GUEST_IMAGE_NAME = 'nimbus-guest';

export async function bootstrapCompute(deps: ComputeDeps, ops: ComputeServices, identity: IdentityOperations | undefined): Promise<void> {
  await ops.hosts.report();
  await syncPowerStates(deps);
  if (!deps.config.devstack_defaults) return;
  if ((await store.listFlavors(deps.db)).length === 0) {
    for (const flavor of DEVSTACK_FLAVORS) await ops.flavors.createFlavor(flavor);
  }
  if (!identity) return;
  const [admin] = await identity.listProjects(serviceCaller('nimbus-compute', null), { name: 'admin' });
  if (!admin) return;
  await ensureDefaultImage(deps, serviceCaller('nimbus-compute', admin));
  const guestImage = deps.config.qemu.guest_image;
  if (deps.config.compute_driver !== 'fake' && guestImage) await ensureGuestImage(deps, serviceCaller('nimbus-compute', admin), guestImage);
}

async function publicImageExists(deps: ComputeDeps, auth: CallerContext, name: string): Promise<boolean> {
  const existing = await deps.peers.image().list(auth, { name, visibility: 'public', memberStatus: 'all', limit: 1 });
  return existing.length > 0;
}

/** The bootable test guest (scripts/build-guest-image), for real drivers: it needs 96 MiB, so min_ram 128. */
async function ensureGuestImage(deps: ComputeDeps, auth: CallerContext, path: string): Promise<void> {
  if (await publicImageExists(deps, auth, GUEST_IMAGE_NAME)) return;
  await deps.peers
    .image()
    .register(
      auth,
      { name: GUEST_IMAGE_NAME, disk_format: 'qcow2', container_format: 'bare', visibility: 'public', min_disk: 1, min_ram: 128 },
      createReadStream(path),
      statSync(path).size,
    );
  deps.log.info({ image: GUEST_IMAGE_NAME, path }, 'registered the guest image');
}

async function ensureDefaultImage(deps: ComputeDeps, auth: CallerContext): Promise<void> {
  if (await publicImageExists(deps, auth, DEFAULT_IMAGE_NAME)) return;
  const data = emptyQcow2(1024 ** 3);
  await deps.peers
    .image()
    .register(
      auth,
      { name: DEFAULT_IMAGE_NAME, disk_format: 'qcow2', container_format: 'bare', visibility: 'public', min_disk: 1 },
      Readable.from([data]),
      data.length,
    );
  deps.log.info({ image: DEFAULT_IMAGE_NAME }, 'registered the default image');
}
