/** Volumes attached to servers: Nova's volume block device mappings. */
import { toBool } from '../../core/db/values.js';
import type { ComputeDb } from './db.js';

export interface VolumeAttachment {
  serverId: string;
  volumeId: string;
  attachmentId: string;
  device: string;
  tag: string | null;
  deleteOnTermination: boolean;
  createdAt: string;
}

interface Row {
  server_id: string;
  volume_id: string;
  attachment_id: string;
  device: string;
  tag: string | null;
  delete_on_termination: boolean | number;
  created_at: string;
}

function fromRow(row: Row): VolumeAttachment {
  return {
    serverId: row.server_id,
    volumeId: row.volume_id,
    attachmentId: row.attachment_id,
    device: row.device,
    tag: row.tag,
    deleteOnTermination: toBool(row.delete_on_termination),
    createdAt: row.created_at,
  };
}

/** The root disk is /dev/vda; attached volumes take vdb, vdc, ... in order. */
const ROOT_DEVICE = '/dev/vda';
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * The first /dev/vdX not used on the server (vdb onwards), or null when all
 * 25 are taken. A freed name is reused, as Nova's device allocation does.
 */
export function nextDevice(used: readonly string[]): string | null {
  const taken = new Set([ROOT_DEVICE, ...used]);
  for (const letter of LETTERS) {
    const device = `/dev/vd${letter}`;
    if (!taken.has(device)) return device;
  }
  return null;
}

export async function insertVolumeAttachment(db: ComputeDb, attachment: VolumeAttachment): Promise<void> {
  await db
    .insertInto('compute_volume_attachment')
    .values({
      server_id: attachment.serverId,
      volume_id: attachment.volumeId,
      attachment_id: attachment.attachmentId,
      device: attachment.device,
      tag: attachment.tag,
      delete_on_termination: attachment.deleteOnTermination,
      created_at: attachment.createdAt,
    })
    .execute();
}

/** A server's attachments in attach order (Nova lists its block device mappings that way). */
export async function listVolumeAttachments(db: ComputeDb, serverId: string): Promise<VolumeAttachment[]> {
  const rows = await db.selectFrom('compute_volume_attachment').selectAll().where('server_id', '=', serverId).orderBy('created_at').orderBy('device').execute();
  return rows.map(fromRow);
}

/** The attachments of a page of servers, by server id (one query for a list view). */
export async function volumeAttachmentsOf(db: ComputeDb, serverIds: readonly string[]): Promise<Map<string, VolumeAttachment[]>> {
  const byServer = new Map<string, VolumeAttachment[]>();
  if (serverIds.length === 0) return byServer;
  const rows = await db
    .selectFrom('compute_volume_attachment')
    .selectAll()
    .where('server_id', 'in', [...serverIds])
    .orderBy('created_at')
    .orderBy('device')
    .execute();
  for (const row of rows) {
    const list = byServer.get(row.server_id) ?? [];
    list.push(fromRow(row));
    byServer.set(row.server_id, list);
  }
  return byServer;
}

export async function getVolumeAttachment(db: ComputeDb, serverId: string, volumeId: string): Promise<VolumeAttachment | null> {
  const row = await db
    .selectFrom('compute_volume_attachment')
    .selectAll()
    .where('server_id', '=', serverId)
    .where('volume_id', '=', volumeId)
    .executeTakeFirst();
  return row ? fromRow(row) : null;
}

/** Removes the attachment; false when there was none (a concurrent detach won). */
export async function deleteVolumeAttachment(db: ComputeDb, serverId: string, volumeId: string): Promise<boolean> {
  const result = await db.deleteFrom('compute_volume_attachment').where('server_id', '=', serverId).where('volume_id', '=', volumeId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Points the attachment on `device` at another volume and attachment (a swap); tag, device and delete_on_termination stay. */
export async function swapVolumeAttachment(
  db: ComputeDb,
  serverId: string,
  oldVolumeId: string,
  next: Pick<VolumeAttachment, 'volumeId' | 'attachmentId'>,
): Promise<void> {
  await db
    .updateTable('compute_volume_attachment')
    .set({ volume_id: next.volumeId, attachment_id: next.attachmentId })
    .where('server_id', '=', serverId)
    .where('volume_id', '=', oldVolumeId)
    .execute();
}
