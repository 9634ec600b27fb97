/**
 * Swap volume (PUT os-volume_attachments/{old} with a new volumeId), Nova's
 * compute API swap_volume with Cinder's new-style attachments: the new
 * volume is reserved, the driver unplugs the old disk and plugs the new one
 * at the same device, the new attachment completes (`in-use`) and the old one
 * ends (`available`), as Cinder's migrate_volume_completion does for a swap
 * Nova started. The guest sees the new volume's own contents: no Nimbus
 * driver copies blocks between volumes (libvirt's blockRebase does in Nova).
 */
import type { CallerContext } from '../../core/context.js';
import type { VolumeInfo, VolumeOperations } from '../../volume/operations.js';
import { volumeErrors } from '../errors.js';
import * as store from '../store/volume-attachments.js';
import type { Server } from '../store/index.js';
import { hostOf } from './guest-actions.js';
import { recordedAction } from './instance-actions.js';
import type { ComputeRuntime } from './runtime.js';
import { updateServer } from './server-state.js';
import { checkState } from './states.js';
import { plug } from './volume-attachments.js';

export interface SwapRequest {
  auth: CallerContext;
  server: Server;
  requestId: string;
  oldVolume: VolumeInfo;
  newVolume: VolumeInfo;
}

/** Nova's checks in their order: state, the old volume on this server, the new one free and big enough, no shared old one. */
function check(request: SwapRequest, attached: store.VolumeAttachment | null): store.VolumeAttachment {
  const { server, oldVolume, newVolume } = request;
  checkState(server, 'swap_volume');
  if (!attached) throw volumeErrors.swapSourceNotAttached();
  if (newVolume.attachments.length > 0) throw volumeErrors.swapTargetAttached();
  if (newVolume.status !== 'available') throw volumeErrors.notAvailable(newVolume.id, newVolume.status);
  if (newVolume.size < oldVolume.size) throw volumeErrors.swapTargetSmaller();
  if (oldVolume.attachments.length > 1) throw volumeErrors.multiattachSwap();
  return attached;
}

export async function swapVolume(runtime: ComputeRuntime, volumes: VolumeOperations, request: SwapRequest): Promise<void> {
  const { auth, server, requestId, oldVolume, newVolume } = request;
  const { db, driver } = runtime.deps;
  const old = check(request, await store.getVolumeAttachment(db, server.id, oldVolume.id));
  const host = hostOf(server);
  await recordedAction(runtime, server, auth, requestId, 'swap_volume', 'compute_swap_volume', async () => {
    const { attachmentId } = await volumes.reserve(auth, newVolume.id, server.id);
    try {
      await driver.detachVolume(host, server.id, old.volumeId);
      await plug(runtime, volumes, auth, host, server.id, { volumeId: newVolume.id, attachmentId, device: old.device });
    } catch (error) {
      // The guest gets its old disk back and the new volume is free again.
      await volumes.detach(auth, attachmentId).catch(() => undefined);
      await plug(runtime, volumes, auth, host, server.id, old)
        .then(() => volumes.complete(auth, old.attachmentId))
        .catch(() => undefined);
      throw error;
    }
    await volumes.complete(auth, attachmentId);
    await store.swapVolumeAttachment(db, server.id, old.volumeId, { volumeId: newVolume.id, attachmentId });
    // A volume given at boot is now the new one (Nova's BDM update: a plain volume source from here on).
    await updateServer(db, server.id, (s) => ({
      ...s,
      attrs: {
        ...s.attrs,
        blockDevices: s.attrs.blockDevices?.map((d) =>
          d.volumeId === old.volumeId ? { ...d, sourceType: 'volume' as const, sourceId: newVolume.id, volumeId: newVolume.id, attachmentId } : d,
        ),
      },
    }));
    await volumes.detach(auth, old.attachmentId);
  });
}
