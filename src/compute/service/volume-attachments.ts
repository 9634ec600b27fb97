/**
 * os-volume_attachments: volumes plugged into a server. Attach follows Nova's
 * Cinder v3 flow (reserve an attachment, connect it to the server's host, let
 * the driver plug the disk, complete); detach unplugs and ends the attachment.
 * Both answer synchronously, as Nova's API waits for the reservation, and are
 * recorded as instance actions.
 */
import type { CallerContext } from '../../core/context.js';
import { NotFound } from '../../core/errors.js';
import { volumeErrors } from '../errors.js';
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
import { checkState } from './states.js';

export interface AttachRequest {
  volumeId: string;
  tag: string | null;
  deleteOnTermination: boolean;
}

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

  async attach(auth: CallerContext, serverId: string, requestId: string, request: AttachRequest): Promise<VolumeAttachment> {
    const server = await this.#ready(auth, serverId, 'os_compute_api:os-volumes-attachments:create', 'attach_volume');
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
    const host = hostOf(server);
    return recordedAction(this.runtime, server, auth, requestId, 'attach_volume', 'compute_attach_volume', async () => {
      const used = (await store.listVolumeAttachments(this.runtime.deps.db, server.id)).map((a) => a.device);
      const device = store.nextDevice(used);
      if (!device) throw volumeErrors.noFreeDevice();
      const { attachmentId } = await volumes.reserve(auth, volume.id, server.id);
      try {
        const connection = await volumes.connect(auth, attachmentId, { host, protocol: 'local', mountpoint: device });
        await this.runtime.deps.driver.attachVolume(host, server.id, {
          volumeId: volume.id,
          device,
          connection: { driverVolumeType: connection.driver_volume_type, data: connection.data },
        });
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

  async detach(auth: CallerContext, serverId: string, requestId: string, volumeId: string): Promise<void> {
    const server = await this.#ready(auth, serverId, 'os_compute_api:os-volumes-attachments:delete', 'detach_volume');
    const attachment = await store.getVolumeAttachment(this.runtime.deps.db, server.id, volumeId);
    if (!attachment) throw volumeErrors.notAttached(volumeId, server.id);
    const volumes = this.#volumes;
    await recordedAction(this.runtime, server, auth, requestId, 'detach_volume', 'compute_detach_volume', async () => {
      await this.runtime.deps.driver.detachVolume(hostOf(server), server.id, volumeId);
      await volumes.detach(auth, attachment.attachmentId);
      await store.deleteVolumeAttachment(this.runtime.deps.db, server.id, volumeId);
    });
  }

  async #ready(auth: CallerContext, serverId: string, rule: string, action: string): Promise<Server> {
    const server = await this.servers.get(auth, serverId, rule);
    this.servers.checkLock(auth, server);
    checkState(server, action);
    return server;
  }
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
