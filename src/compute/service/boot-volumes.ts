/**
 * The build's half of block devices (Nova's _prep_block_device): for each
 * volume device, in the request's order, make the volume (image, snapshot
 * or blank source) through Cinder, wait until it is available, attach it to
 * the server's host (reserve, connect, record, complete) and hand the
 * driver its connection. Every volume made and every attachment is written
 * into the server's attrs as soon as it exists, so the undo after a failed
 * build (or a delete mid-build) releases exactly those: attachments end,
 * volumes the build made are deleted, volumes the user gave stay.
 */
import type { CallerContext } from '../../core/context.js';
import { NimbusError, NotFound } from '../../core/errors.js';
import { PermanentTaskError, type TaskRunContext } from '../../core/tasks/index.js';
import type { VolumeOperations } from '../../volume/operations.js';
import type { GuestVolume } from '../drivers/driver.js';
import * as store from '../store/index.js';
import { madeByBuild, type BlockDevice, type Server } from '../store/index.js';
import type { ComputeRuntime } from './runtime.js';
import { updateServer } from './server-state.js';
import { serviceCaller } from '../../core/context.js';

/** How long a volume may stay `creating` (Nova: block_device_allocate_retries × interval, 60 × 3 s). */
const CREATE_TIMEOUT_MS = 180_000;
const ROOT_DEVICE = '/dev/vda';

type Step = <T>(name: string, fn: (server: Server) => Promise<T>) => Promise<T>;

function volumesOf(runtime: ComputeRuntime): VolumeOperations {
  const volumes = runtime.deps.peers.volume();
  if (!volumes) throw new Error('The block storage service is not available.');
  return volumes;
}

async function recordDevice(runtime: ComputeRuntime, serverId: string, index: number, change: Partial<BlockDevice>): Promise<void> {
  await updateServer(runtime.deps.db, serverId, (s) => {
    const devices = [...(s.attrs.blockDevices ?? [])];
    devices[index] = { ...devices[index]!, ...change };
    return { ...s, attrs: { ...s.attrs, blockDevices: devices } };
  });
}

/** The device of a mapping: the root is /dev/vda, others what they asked for when free, else the next free name. */
async function deviceFor(runtime: ComputeRuntime, serverId: string, device: BlockDevice): Promise<string> {
  if (device.bootIndex === 0) return device.deviceName ?? ROOT_DEVICE;
  const used = (await store.listVolumeAttachments(runtime.deps.db, serverId)).map((a) => a.device);
  const asked = device.deviceName === null ? null : device.deviceName.startsWith('/dev/') ? device.deviceName : `/dev/${device.deviceName}`;
  if (asked !== null && asked !== ROOT_DEVICE && !used.includes(asked)) return asked;
  const next = store.nextDevice(used);
  if (!next) throw new Error('No free disk device names for the server.');
  return next;
}

/**
 * Makes and attaches the server's volume devices on `host`; returns them
 * for the driver, the root first. `guarded` runs a journaled step under the
 * server's lock (stopping if it was deleted); `ctx.step` the unlocked wait.
 */
export async function attachBlockDevices(
  runtime: ComputeRuntime,
  ctx: TaskRunContext<unknown>,
  guarded: Step,
  auth: CallerContext,
  serverId: string,
  devices: readonly BlockDevice[],
  host: string,
): Promise<GuestVolume[]> {
  if (devices.length === 0) return [];
  const api = volumesOf(runtime);
  const attached: Array<{ bootIndex: number | null; volume: GuestVolume }> = [];
  for (const [index, planned] of devices.entries()) {
    const volumeId = await guarded(`bdm:${index}:create`, async (current) => {
      const known = current.attrs.blockDevices?.[index]?.volumeId;
      if (known) return known;
      const made = await api
        .createVolume(auth, {
          size: planned.volumeSize as number,
          // Nova names only blank volumes; image and snapshot ones have no name.
          ...(planned.sourceType === 'blank' ? { name: `${serverId}-blank-vol` } : {}),
          ...(planned.sourceType === 'image' ? { imageId: planned.sourceId as string } : {}),
          ...(planned.sourceType === 'snapshot' ? { snapshotId: planned.sourceId as string } : {}),
          ...(planned.volumeType !== null ? { volumeType: planned.volumeType } : {}),
        })
        .catch((error: unknown) => {
          // Cinder's refusals (over quota, unknown type) do not change with a retry.
          if (error instanceof NimbusError && error.status < 500)
            throw new PermanentTaskError(`Build of instance ${serverId} aborted: ${error.message}`, { cause: error });
          throw error;
        });
      await recordDevice(runtime, serverId, index, { volumeId: made.id });
      return made.id;
    });
    await ctx.step(`bdm:${index}:wait`, async () => {
      await api.waitForVolume(auth, volumeId, ['available', 'reserved'], CREATE_TIMEOUT_MS).catch((error: Error) => {
        throw new Error(`Volume ${volumeId} did not finish being created: ${error.message}`);
      });
    });
    const volume = await guarded(`bdm:${index}:attach`, async (current) => {
      let attachmentId = current.attrs.blockDevices?.[index]?.attachmentId ?? null;
      if (!attachmentId) {
        attachmentId = (await api.reserve(auth, volumeId, serverId)).attachmentId;
        await recordDevice(runtime, serverId, index, { attachmentId });
      }
      const existing = await store.getVolumeAttachment(runtime.deps.db, serverId, volumeId);
      const device = existing?.device ?? (await deviceFor(runtime, serverId, planned));
      const connection = await api.connect(auth, attachmentId, { host, protocol: 'local', mountpoint: device });
      if (!existing) {
        await store.insertVolumeAttachment(runtime.deps.db, {
          serverId,
          volumeId,
          attachmentId,
          device,
          tag: planned.tag,
          deleteOnTermination: planned.deleteOnTermination,
          createdAt: new Date().toISOString(),
        });
      }
      await api.complete(auth, attachmentId);
      return { volumeId, device, connection: { driverVolumeType: connection.driver_volume_type, data: connection.data } } satisfies GuestVolume;
    });
    attached.push({ bootIndex: planned.bootIndex, volume });
  }
  const rank = (index: number | null) => (index !== null && index >= 0 ? index : Number.MAX_SAFE_INTEGER);
  return attached.sort((a, b) => rank(a.bootIndex) - rank(b.bootIndex)).map((a) => a.volume);
}

/** A device after its release by a failed build: no attachment, and no volume if the build made it. */
export function released(device: BlockDevice): BlockDevice {
  return { ...device, attachmentId: null, volumeId: madeByBuild(device) ? null : device.volumeId };
}

/** The volume the server boots from, if its root is a volume. */
export function rootVolumeOf(server: Server): string | null {
  return server.attrs.blockDevices?.find((d) => d.bootIndex === 0)?.volumeId ?? null;
}

/**
 * Releases the block devices a build did not finish with, or all of them
 * when `buildFailed`: attachments end, volumes the build made are deleted
 * (once out of `creating`). Devices that finished attaching to a server
 * being deleted are left to releaseVolumes, which honours
 * delete_on_termination. Tolerates what is gone already.
 */
export async function releaseBlockDevices(runtime: ComputeRuntime, server: Server, buildFailed: boolean): Promise<void> {
  const serverId = server.id;
  const devices = server.attrs.blockDevices ?? [];
  const volumes = runtime.deps.peers.volume();
  if (devices.length === 0 || !volumes) return;
  const auth = serviceCaller('nimbus-compute', null);
  const unlessGone = (error: unknown) => {
    if (!(error instanceof NotFound)) throw error;
  };
  for (const device of devices) {
    const row = device.volumeId ? await store.getVolumeAttachment(runtime.deps.db, serverId, device.volumeId) : null;
    if (row && !buildFailed) continue;
    if (device.attachmentId) await volumes.detach(auth, device.attachmentId).catch(unlessGone);
    if (row) await store.deleteVolumeAttachment(runtime.deps.db, serverId, row.volumeId);
    if (madeByBuild(device) && device.volumeId) {
      // A volume still `creating` cannot be deleted yet; one in error can.
      await volumes.waitForVolume(auth, device.volumeId, ['available'], CREATE_TIMEOUT_MS).catch(() => undefined);
      await volumes.deleteVolume(auth, device.volumeId).catch(unlessGone);
    }
  }
}
