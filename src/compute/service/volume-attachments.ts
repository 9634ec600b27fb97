/**
 * os-volume_attachments: volumes plugged into a server. Attach follows Nova's
 * Cinder v3 flow (reserve an attachment, connect it to the server's host, let
 * the driver plug the disk, complete); detach unplugs and ends the attachment.
 * Both answer synchronously, as Nova's API waits for the reservation, and are
 * recorded as instance actions. A shelved-offloaded server has no host: its
 * attachment is only reserved and completed (the volume is `in-use`, as Nova
 * keeps the old flow's API semantics) and the disk is plugged in when the
 * unshelve spawns it (guestVolumes).
 */
import type { CallerContext } from '../../core/context.js';
import { NotFound } from '../../core/errors.js';
import { novaErrors, volumeErrors } from '../errors.js';
import type { GuestVolume } from '../drivers/driver.js';
import { nowIso } from '../../core/time.js';
import type { VolumeOperations } from '../../volume/operations.js';
import type { Server } from '../store/index.js';
import * as store from '../store/volume-attachments.js';
import type { VolumeAttachment } from '../store/volume-attachments.js';
import { hostOf } from './guest-actions.js';
import { recordedAction } from './instance-actions.js';
import type { ComputeRuntime } from './runtime.js';
import type { ServerOps } from './servers.js';
import { serviceCaller } from '../../core/context.js';
import { rootVolumeOf } from './boot-volumes.js';
import { checkState, VM } from './states.js';
import { swapVolume } from './volume-swap.js';

export interface AttachRequest {
  volumeId: string;
  tag: string | null;
  deleteOnTermination: boolean;
}

/** Nova takes volumes on and off shelved servers only from microversion 2.20; older requests see a 409. */
const SHELVED_STATES: readonly string[] = [VM.SHELVED, VM.SHELVED_OFFLOADED];

export class VolumeAttachmentOps {
  constructor(
    private readonly runtime: ComputeRuntime,
    private readonly servers: ServerOps,
  ) {}

  get #volumes(): VolumeOperations {
    const volumes = this.runtime.deps.peers.volume();
    if (!volumes) throw volumeErrors.serviceUnavailable();
    return volumes;
  }

  async list(auth: CallerContext, serverId: string): Promise<VolumeAttachment[]> {
    const server = await this.servers.get(auth, serverId, 'os_compute_api:os-volumes-attachments:index');
    return store.listVolumeAttachments(this.runtime.deps.db, server.id);
  }

  async show(auth: CallerContext, serverId: string, volumeId: string): Promise<VolumeAttachment> {
    const server = await this.servers.get(auth, serverId, 'os_compute_api:os-volumes-attachments:show');
    const attachment = await store.getVolumeAttachment(this.runtime.deps.db, server.id, volumeId);
    if (!attachment) throw volumeErrors.notAttached(volumeId, server.id);
    return attachment;
  }

  async attach(auth: CallerContext, serverId: string, requestId: string, request: AttachRequest, shelvedAllowed = true): Promise<VolumeAttachment> {
    const server = await this.#ready(auth, serverId, 'os_compute_api:os-volumes-attachments:create', 'attach_volume', shelvedAllowed);
    const volumes = this.#volumes;
    const volume = await volumes.getVolume(auth, request.volumeId).catch(() => {
      throw volumeErrors.notFound(request.volumeId);
    });
    if (await store.getVolumeAttachment(this.runtime.deps.db, server.id, volume.id)) {
      throw volumeErrors.alreadyAttached(volume.id, server.id);
    }
    if (volume.status !== 'available' && !(volume.multiattach && volume.status === 'in-use')) {
      throw volumeErrors.notAvailable(volume.id, volume.status);
    }
    const offloaded = server.vmState === VM.SHELVED_OFFLOADED;
    if (offloaded && volume.multiattach) throw volumeErrors.multiattachToShelved();
    return recordedAction(this.runtime, server, auth, requestId, 'attach_volume', 'compute_attach_volume', async () => {
      const used = (await store.listVolumeAttachments(this.runtime.deps.db, server.id)).map((a) => a.device);
      const device = store.nextDevice(used);
      if (!device) throw volumeErrors.noFreeDevice();
      const { attachmentId } = await volumes.reserve(auth, volume.id, server.id);
      try {
        if (!offloaded) await plug(this.runtime, volumes, auth, hostOf(server), server.id, { volumeId: volume.id, attachmentId, device });
        const attachment: VolumeAttachment = {
          serverId: server.id,
          volumeId: volume.id,
          attachmentId,
          device,
          tag: request.tag,
          deleteOnTermination: request.deleteOnTermination,
          createdAt: nowIso(),
        };
        await store.insertVolumeAttachment(this.runtime.deps.db, attachment);
        await volumes.complete(auth, attachmentId);
        return attachment;
      } catch (error) {
        await volumes.detach(auth, attachmentId).catch(() => undefined);
        await store.deleteVolumeAttachment(this.runtime.deps.db, server.id, volume.id);
        throw error;
      }
    });
  }

  async detach(auth: CallerContext, serverId: string, requestId: string, volumeId: string, shelvedAllowed = true): Promise<void> {
    const server = await this.#ready(auth, serverId, 'os_compute_api:os-volumes-attachments:delete', 'detach_volume', shelvedAllowed);
    const attachment = await store.getVolumeAttachment(this.runtime.deps.db, server.id, volumeId);
    if (!attachment) throw volumeErrors.notAttached(volumeId, server.id);
    const volumes = this.#volumes;
    await recordedAction(this.runtime, server, auth, requestId, 'detach_volume', 'compute_detach_volume', async () => {
      if (server.host) await this.runtime.deps.driver.detachVolume(server.host, server.id, volumeId);
      await volumes.detach(auth, attachment.attachmentId);
      await store.deleteVolumeAttachment(this.runtime.deps.db, server.id, volumeId);
    });
  }

  /**
   * Replaces an attached volume by another on the same device (admin only by
   * default): the new one ends `in-use`, the old one `available`.
   */
  async swap(auth: CallerContext, serverId: string, requestId: string, oldVolumeId: string, newVolumeId: string): Promise<void> {
    const server = await this.servers.get(auth, serverId, 'os_compute_api:os-volumes-attachments:swap');
    const volumes = this.#volumes;
    const oldVolume = await volumes.getVolume(auth, oldVolumeId).catch(() => {
      throw volumeErrors.notFound(oldVolumeId);
    });
    const newVolume = await volumes.getVolume(auth, newVolumeId).catch(() => {
      throw volumeErrors.swapTargetNotFound(newVolumeId);
    });
    this.servers.checkLock(auth, server);
    await swapVolume(this.runtime, volumes, { auth, server, requestId, oldVolume, newVolume });
  }

  async #ready(auth: CallerContext, serverId: string, rule: string, action: string, shelvedAllowed: boolean): Promise<Server> {
    const server = await this.servers.get(auth, serverId, rule);
    this.servers.checkLock(auth, server);
    if (!shelvedAllowed && SHELVED_STATES.includes(server.vmState)) throw novaErrors.invalidState(action, server.id, 'vm_state', server.vmState);
    checkState(server, action);
    return server;
  }
}

type Plugged = Pick<VolumeAttachment, 'volumeId' | 'attachmentId' | 'device'>;

/** Exports an attachment to `host` (a repeat re-exports): the disk as the guest there opens it. */
async function exportTo(volumes: VolumeOperations, auth: CallerContext, host: string, attachment: Plugged): Promise<GuestVolume> {
  const connection = await volumes.connect(auth, attachment.attachmentId, { host, protocol: 'local', mountpoint: attachment.device });
  return { volumeId: attachment.volumeId, device: attachment.device, connection: { driverVolumeType: connection.driver_volume_type, data: connection.data } };
}

/** Exports an attachment to `host` and lets the driver plug the disk in at its device. */
export async function plug(
  runtime: ComputeRuntime,
  volumes: VolumeOperations,
  auth: CallerContext,
  host: string,
  serverId: string,
  attachment: Plugged,
): Promise<void> {
  await runtime.deps.driver.attachVolume(host, serverId, await exportTo(volumes, auth, host, attachment));
}

/**
 * The server's attached volumes as a new guest on `host` opens them, each
 * exported there, the root volume first: what a rebuild or an unshelve
 * spawns with, so the guest keeps its disks. Exporting marks an attachment
 * `attaching` again: `spawnedWith` completes them once the guest runs.
 */
export async function guestVolumes(runtime: ComputeRuntime, server: Server, host: string): Promise<GuestVolume[]> {
  const attachments = await store.listVolumeAttachments(runtime.deps.db, server.id);
  const volumes = runtime.deps.peers.volume();
  if (attachments.length === 0 || !volumes) return [];
  const auth = serviceCaller('nimbus-compute', null);
  const root = rootVolumeOf(server);
  const ordered = [...attachments.filter((a) => a.volumeId === root), ...attachments.filter((a) => a.volumeId !== root)];
  const guest: GuestVolume[] = [];
  for (const attachment of ordered) guest.push(await exportTo(volumes, auth, host, attachment));
  return guest;
}

/**
 * Part of deleting a server (the driver then destroys the guest with its
 * disks plugged): every volume is detached, and deleted when the
 * attachment asked for it. Tolerates what is already gone (the delete task retries).
 */
export async function releaseVolumes(runtime: ComputeRuntime, server: Server): Promise<void> {
  const volumes = runtime.deps.peers.volume();
  const attachments = await store.listVolumeAttachments(runtime.deps.db, server.id);
  if (!volumes || attachments.length === 0) return;
  const auth = serviceCaller('nimbus-compute', null);
  const unlessGone = (error: unknown) => {
    if (!(error instanceof NotFound)) throw error;
  };
  for (const attachment of attachments) {
    await volumes.detach(auth, attachment.attachmentId).catch(unlessGone);
    if (attachment.deleteOnTermination) {
      // As Nova's _cleanup_volumes: a volume Cinder will not delete (it has snapshots, say) stays,
      // with a warning; a server that can never be deleted would be worse.
      await volumes.deleteVolume(auth, attachment.volumeId).catch((error: unknown) => {
        if (!(error instanceof NotFound))
          runtime.deps.log.warn({ err: error, server: server.id, volume: attachment.volumeId }, 'ignoring volume cleanup failure');
      });
    }
    await store.deleteVolumeAttachment(runtime.deps.db, server.id, attachment.volumeId);
  }
}

/** The guest spawned with its volumes (guestVolumes): their attachments are complete again, the volumes `in-use`. */
export async function spawnedWith(runtime: ComputeRuntime, server: Server): Promise<void> {
  const attachments = await store.listVolumeAttachments(runtime.deps.db, server.id);
  const volumes = runtime.deps.peers.volume();
  if (attachments.length === 0 || !volumes) return;
  const auth = serviceCaller('nimbus-compute', null);
  for (const attachment of attachments) await volumes.complete(auth, attachment.attachmentId);
}
