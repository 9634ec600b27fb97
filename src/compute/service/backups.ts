/**
 * createBackup's rotation: after a backup of a server is written, only the
 * `rotation` newest backups of that type (daily, weekly...) are kept in the
 * image service, as Nova's `_rotate_backups` does.
 */
import type { CallerContext } from '../../core/context.js';
import type { ComputeRuntime } from './runtime.js';

export async function rotateBackups(runtime: ComputeRuntime, serverId: string, auth: CallerContext, backupType: string, rotation: number): Promise<void> {
  const image = runtime.deps.peers.image();
  const backups = await image.list(auth, {
    memberStatus: 'all',
    visibility: 'all',
    properties: { instance_uuid: serverId, image_type: 'backup', backup_type: backupType },
    sort: [{ key: 'created_at', dir: 'desc' }],
  });
  for (const old of backups.slice(rotation)) await image.delete(auth, old.id);
}
