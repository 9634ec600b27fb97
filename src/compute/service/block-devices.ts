/**
 * Checking the block devices of a create request as Nova's API does
 * (compute/api.py _validate_bdm, _check_and_transform_bdm) before anything
 * is written: boot indexes 0, 1, ... with one root; images, snapshots and
 * volumes exist; image and blank volumes have a size; a given volume is
 * available and goes to one server only. Local disks other than the image
 * root (ephemeral, swap) are checked against the flavor as Nova does, then
 * refused: this cloud's max_local_block_devices is 1, the root disk.
 * Existing volumes are reserved here (Cinder attachments), as Nova does, so
 * two requests cannot both take one volume.
 */
import type { CallerContext } from '../../core/context.js';
import { NimbusError } from '../../core/errors.js';
import type { VolumeOperations } from '../../volume/operations.js';
import { blockDeviceErrors, volumeErrors } from '../errors.js';
import type { BlockDevice, Flavor } from '../store/index.js';
import { serviceCaller } from '../../core/context.js';

/** One mapping of the request, parsed (api/block-devices.ts): a stored device before the build, which may also ask for a local disk. */
export interface RequestedBlockDevice extends Omit<BlockDevice, 'volumeId' | 'attachmentId'> {
  destinationType: 'local' | 'volume';
  guestFormat: string | null;
}

/** Local disks a server may have: only its image root (Nova's max_local_block_devices). */
const MAX_LOCAL_BLOCK_DEVICES = 1;
const ROOT_DEVICE = 'vda';

const invalidBdm = blockDeviceErrors.invalid;

const isBootable = (index: number | null): index is number => index !== null && index >= 0;

/** Nova's checks of the local (ephemeral and swap) devices, in its order. */
function checkLocalDevices(requested: readonly RequestedBlockDevice[], flavor: Flavor, imageRoot: boolean): void {
  const blanks = requested.filter((d) => d.destinationType === 'local' && d.sourceType === 'blank');
  const swaps = blanks.filter((d) => d.guestFormat === 'swap');
  const ephemeral = blanks.filter((d) => d.guestFormat !== 'swap').reduce((sum, d) => sum + (d.volumeSize ?? flavor.ephemeralGb), 0);
  if (ephemeral > flavor.ephemeralGb) {
    throw blockDeviceErrors.ephemeralTooLarge();
  }
  if (swaps.length > 1) throw invalidBdm('More than one swap drive requested.');
  if (swaps.length === 1 && (swaps[0]!.volumeSize ?? 0) > flavor.swap) throw blockDeviceErrors.swapTooLarge();
  if (blanks.length + (imageRoot ? 1 : 0) > MAX_LOCAL_BLOCK_DEVICES) throw invalidBdm('You specified more local devices than the limit allows');
}

/**
 * The volume devices of the request, checked; for an existing volume its
 * size is filled in. `imageRef` is the request's image ('' when booting
 * from a volume). Throws Nova's 400s.
 */
export async function checkBlockDevices(
  volumes: VolumeOperations | null,
  auth: CallerContext,
  requested: readonly RequestedBlockDevice[],
  options: { imageRef: string; flavor: Flavor; serverCount: number; imageExists: (id: string) => Promise<{ minDisk: number } | null> },
): Promise<BlockDevice[]> {
  const onVolumes = requested.filter((d) => d.destinationType === 'volume');
  // Without a volume at boot index 0 the image is the root (the client's image→local mapping, given or not).
  const imageRoot = options.imageRef !== '' && !onVolumes.some((d) => d.bootIndex === 0);
  checkLocalDevices(requested, options.flavor, imageRoot);
  const bootIndexes = [...(imageRoot ? [0] : []), ...onVolumes.map((d) => d.bootIndex).filter(isBootable)].sort((a, b) => a - b);
  if (bootIndexes.length === 0 || bootIndexes.some((index, i) => index !== i)) {
    throw invalidBdm('Boot sequence for the instance and image/block device mapping combination is not valid.');
  }
  if (imageRoot && onVolumes.some((d) => d.deviceName !== null && d.deviceName.replace(/^\/dev\//, '') === ROOT_DEVICE)) {
    throw blockDeviceErrors.rootDeviceName(ROOT_DEVICE);
  }
  if (options.serverCount > 1 && onVolumes.some((d) => d.sourceType === 'volume')) {
    throw blockDeviceErrors.multipleInstances();
  }
  if (onVolumes.length === 0) return [];
  if (!volumes) throw invalidBdm('the block storage service is not available.');
  const devices: BlockDevice[] = [];
  for (const wanted of onVolumes) {
    const device: BlockDevice = {
      sourceType: wanted.sourceType,
      sourceId: wanted.sourceId,
      bootIndex: wanted.bootIndex,
      volumeSize: wanted.volumeSize,
      deleteOnTermination: wanted.deleteOnTermination,
      deviceName: wanted.deviceName,
      tag: wanted.tag,
      volumeType: wanted.volumeType,
      volumeId: null,
      attachmentId: null,
    };
    const id = wanted.sourceId as string;
    if (wanted.sourceType === 'image') {
      const image = await options.imageExists(id);
      if (!image) throw invalidBdm(`failed to get image ${id}.`);
      if (!wanted.volumeSize) throw invalidBdm("Images with destination_type 'volume' need to have a non-zero size specified");
      if (wanted.bootIndex === 0 && image.minDisk > wanted.volumeSize) {
        throw blockDeviceErrors.volumeTooSmall(wanted.volumeSize * 1024 ** 3, image.minDisk * 1024 ** 3);
      }
    } else if (wanted.sourceType === 'volume') {
      const volume = await lookup(
        () => volumes.getVolume(auth, id),
        () => invalidBdm(`failed to get volume ${id}.`),
      );
      // The root's bootable flag is checked first, as Nova reads the boot volume's image metadata before validating devices.
      if (wanted.bootIndex === 0 && !volume.bootable) throw blockDeviceErrors.notBootable(id);
      if (volume.status !== 'available') throw volumeErrors.notAvailable(id, volume.status);
      device.volumeId = volume.id;
      device.volumeSize = volume.size;
    } else if (wanted.sourceType === 'snapshot') {
      const snapshot = await lookup(
        () => volumes.getSnapshot(auth, id),
        () => invalidBdm(`failed to get snapshot ${id}.`),
      );
      device.volumeSize = wanted.volumeSize ?? snapshot.size;
    } else if (!wanted.volumeSize) {
      throw invalidBdm("Blank volumes (source: 'blank', dest: 'volume') need to have non-zero size");
    }
    devices.push(device);
  }
  return devices;
}

async function lookup<T>(get: () => Promise<T>, notFound: () => Error): Promise<T> {
  try {
    return await get();
  } catch (error) {
    if (error instanceof NimbusError && error.status === 404) throw notFound();
    throw error;
  }
}

/**
 * Reserves each given volume for `serverId` (attachment ids written into
 * the returned copies). On failure the reservations made are released.
 */
export async function reserveVolumes(
  volumes: VolumeOperations | null,
  auth: CallerContext,
  devices: readonly BlockDevice[],
  serverId: string,
): Promise<BlockDevice[]> {
  const reserved: BlockDevice[] = [];
  try {
    for (const device of devices) {
      if (device.sourceType !== 'volume' || !volumes) {
        reserved.push({ ...device });
        continue;
      }
      const { attachmentId } = await volumes.reserve(auth, device.volumeId as string, serverId).catch((error: unknown) => {
        if (error instanceof NimbusError && error.status === 400) throw volumeErrors.invalid(error.message);
        throw error;
      });
      reserved.push({ ...device, attachmentId });
    }
    return reserved;
  } catch (error) {
    await unreserveVolumes(volumes, reserved);
    throw error;
  }
}

/** Gives back what reserveVolumes took (a create that failed after it). */
export async function unreserveVolumes(volumes: VolumeOperations | null, devices: readonly BlockDevice[]): Promise<void> {
  const auth = serviceCaller('nimbus-compute', null);
  for (const device of devices) {
    if (volumes && device.attachmentId) await volumes.detach(auth, device.attachmentId).catch(() => undefined);
  }
}
