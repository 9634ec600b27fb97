/**
 * Attaching volumes to servers: the attachments API (3.27+: create, update
 * with the host's connector, complete, delete) and the legacy actions Nova
 * used before it (os-reserve, os-initialize_connection, os-attach,
 * os-begin_detaching, os-detach, os-terminate_connection, ...).
 *
 * Volume states: available → reserved/attaching → in-use → detaching →
 * available. A volume of a multiattach type may take further attachments
 * while in-use; any other is refused.
 */
import { uuid } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';
import type { ConnectionInfo, Connector } from '../drivers/index.js';
import { errors, notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { Attachment, Volume } from '../store/index.js';
import type { VolumeContext } from './context.js';
import type { VolumeDeps } from './deps.js';
import type { Scheduler } from './scheduler.js';
import type { VolumeOps } from './volumes.js';

export interface NewAttachment {
  volumeId: string;
  instanceUuid: string | null;
  connector: Record<string, unknown> | null;
  mode?: 'rw' | 'ro';
}

export class AttachmentOps {
  constructor(
    private readonly deps: VolumeDeps,
    private readonly volumes: VolumeOps,
    private readonly scheduler: Scheduler,
  ) {}

  /** Reserves the volume for a server; with a connector, also exports it (3.27). */
  async create(ctx: VolumeContext, input: NewAttachment): Promise<Attachment> {
    const volume = await this.volumes.find(ctx, input.volumeId);
    this.deps.authz.authorize(ctx.auth, 'volume:attachment_create', { project_id: volume.project_id });
    const id = await this.#reserve(volume, input.instanceUuid, input.mode ?? (volume.readonly ? 'ro' : 'rw'), 'reserved');
    if (input.connector) return this.update(ctx, id, input.connector);
    return this.#load(id);
  }

  async get(ctx: VolumeContext, id: string): Promise<Attachment> {
    const attachment = await store.getAttachment(this.deps.db, id);
    if (!attachment || (!ctx.isAdmin && attachment.project_id !== ctx.projectId)) throw notFound.attachment(id);
    return attachment;
  }

  async list(ctx: VolumeContext, allTenants: boolean): Promise<Attachment[]> {
    return store.listProjectAttachments(this.deps.db, allTenants && ctx.isAdmin ? null : (ctx.projectId ?? ''));
  }

  /** Exports the volume to the connector's host; the attachment and the volume go to `attaching`. */
  async update(ctx: VolumeContext, id: string, connector: Record<string, unknown>): Promise<Attachment> {
    const attachment = await this.get(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume:attachment_update', { project_id: attachment.project_id });
    const volume = await this.volumes.load(attachment.volume_id);
    const info = await this.#export(volume, connector);
    await this.deps.db.transaction().execute(async (trx) => {
      await store.updateAttachment(trx, id, {
        connector: JSON.stringify(connector),
        connection_info: JSON.stringify(info),
        attached_host: typeof connector.host === 'string' ? connector.host : null,
        mountpoint: typeof connector.mountpoint === 'string' ? connector.mountpoint : attachment.mountpoint,
        attach_status: 'attaching',
        updated_at: nowIso(),
      });
      await store.updateVolume(trx, volume.id, { status: volume.status === 'in-use' ? 'in-use' : 'attaching', updated_at: nowIso() });
    });
    return this.#load(id);
  }

  /** The host plugged the volume in (3.44): attached, volume in-use. */
  async complete(ctx: VolumeContext, id: string): Promise<void> {
    const attachment = await this.get(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume:attachment_complete', { project_id: attachment.project_id });
    await this.#markAttached(attachment, attachment.mountpoint, attachment.attached_host);
  }

  /** Ends the attachment and the export; the volume is available once no attachment is left. */
  async delete(ctx: VolumeContext, id: string): Promise<void> {
    const attachment = await this.get(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'volume:attachment_delete', { project_id: attachment.project_id });
    await this.#remove(attachment);
  }

  // ---- The legacy actions ------------------------------------------------

  async reserve(ctx: VolumeContext, volumeId: string): Promise<void> {
    const volume = await this.volumes.find(ctx, volumeId);
    this.deps.authz.authorize(ctx.auth, 'volume_extension:volume_actions:reserve', { project_id: volume.project_id });
    await this.#reserve(volume, null, volume.readonly ? 'ro' : 'rw', 'attaching');
  }

  async unreserve(ctx: VolumeContext, volumeId: string): Promise<void> {
    const volume = await this.volumes.find(ctx, volumeId);
    this.deps.authz.authorize(ctx.auth, 'volume_extension:volume_actions:reserve', { project_id: volume.project_id });
    for (const attachment of volume.attachments.filter((a) => a.attach_status === 'reserved')) {
      await store.deleteAttachment(this.deps.db, attachment.id);
    }
    await this.#settle(volume.id);
  }

  async initializeConnection(ctx: VolumeContext, volumeId: string, connector: Record<string, unknown>): Promise<ConnectionInfo> {
    const volume = await this.volumes.find(ctx, volumeId);
    this.deps.authz.authorize(ctx.auth, 'volume_extension:volume_actions:initialize_connection', { project_id: volume.project_id });
    return this.#export(volume, connector);
  }

  async terminateConnection(ctx: VolumeContext, volumeId: string, connector: Record<string, unknown>): Promise<void> {
    const volume = await this.volumes.find(ctx, volumeId);
    this.deps.authz.authorize(ctx.auth, 'volume_extension:volume_actions:terminate_connection', { project_id: volume.project_id });
    const backend = this.scheduler.byHost(volume.host);
    if (backend) await backend.driver.unexportVolume(volume.id, toConnector(connector));
  }

  /** os-attach: the reserved attachment (or a new one) becomes attached. */
  async attach(
    ctx: VolumeContext,
    volumeId: string,
    request: { instance_uuid?: string | null; host_name?: string | null; mountpoint: string; mode?: 'rw' | 'ro' },
  ): Promise<void> {
    const volume = await this.volumes.find(ctx, volumeId);
    this.deps.authz.authorize(ctx.auth, 'volume_extension:volume_actions:attach', { project_id: volume.project_id });
    if (!request.instance_uuid && !request.host_name) throw errors.invalidInput('Invalid request to attach volume to an invalid target');
    let attachment = volume.attachments.find((a) => a.attach_status === 'reserved' || a.attach_status === 'attaching');
    if (!attachment) {
      const id = await this.#reserve(volume, request.instance_uuid ?? null, request.mode ?? 'rw', 'attaching');
      attachment = await this.#load(id);
    }
    await store.updateAttachment(this.deps.db, attachment.id, {
      instance_uuid: request.instance_uuid ?? null,
      attach_mode: request.mode ?? attachment.attach_mode,
    });
    await this.#markAttached(attachment, request.mountpoint, request.host_name ?? attachment.attached_host);
  }

  async beginDetaching(ctx: VolumeContext, volumeId: string): Promise<void> {
    const volume = await this.volumes.find(ctx, volumeId);
    this.deps.authz.authorize(ctx.auth, 'volume_extension:volume_actions:detach', { project_id: volume.project_id });
    if (!(await store.updateVolume(this.deps.db, volumeId, { status: 'detaching', updated_at: nowIso() }, ['in-use']))) {
      throw errors.invalidVolume(`Unable to detach volume. Volume status must be 'in-use' and attach_status must be 'attached' to detach.`);
    }
  }

  async rollDetaching(ctx: VolumeContext, volumeId: string): Promise<void> {
    const volume = await this.volumes.find(ctx, volumeId);
    this.deps.authz.authorize(ctx.auth, 'volume_extension:volume_actions:detach', { project_id: volume.project_id });
    await store.updateVolume(this.deps.db, volumeId, { status: 'in-use', updated_at: nowIso() }, ['detaching']);
  }

  /** os-detach (and the admin's os-force_detach): one attachment, or the only one. */
  async detach(ctx: VolumeContext, volumeId: string, attachmentId: string | null, force = false): Promise<void> {
    const volume = await this.volumes.find(ctx, volumeId);
    this.deps.authz.authorize(ctx.auth, force ? 'volume_extension:volume_admin_actions:force_detach' : 'volume_extension:volume_actions:detach', {
      project_id: volume.project_id,
    });
    if (!force && volume.status === 'maintenance') throw errors.invalidVolume('The volume cannot be detached in maintenance mode.');
    const candidates = volume.attachments.filter((a) => attachmentId === null || a.id === attachmentId);
    if (attachmentId === null && candidates.length > 1) {
      throw errors.invalidVolume('Volume has several attachments: the attachment_id to detach must be given.');
    }
    const attachment = candidates[0];
    if (attachment) return this.#remove(attachment);
    if (attachmentId !== null) {
      // The admin action words the volume manager's refusal as a 400 (Cinder's volume_admin_actions).
      if (force) throw errors.badRequest(`Error force detaching volume - VolumeAttachmentNotFound: ${notFound.attachment(attachmentId).message}`);
      throw notFound.attachment(attachmentId);
    }
    // Nothing attached: Cinder's volume manager just settles the volume as available.
    await this.#settle(volume.id);
  }

  /** `reservedStatus`: the attachments API says `reserved`, the legacy os-reserve `attaching`. */
  async #reserve(volume: Volume, instanceUuid: string | null, mode: 'rw' | 'ro', reservedStatus: 'reserved' | 'attaching'): Promise<string> {
    const statuses = volume.multiattach ? ['available', 'in-use', 'reserved', 'attaching'] : ['available'];
    if (!statuses.includes(volume.status)) {
      throw errors.invalidVolume(`Volume ${volume.id} status must be ${statuses.join(' or ')} to reserve, but the current status is ${volume.status}.`);
    }
    const id = uuid();
    const now = nowIso();
    await this.deps.db.transaction().execute(async (trx) => {
      const next = volume.status === 'in-use' ? 'in-use' : reservedStatus;
      if (!(await store.updateVolume(trx, volume.id, { status: next, updated_at: now }, statuses))) {
        throw errors.invalidVolume(`Volume ${volume.id} changed status while it was being reserved.`);
      }
      await store.insertAttachment(trx, {
        id,
        volume_id: volume.id,
        project_id: volume.project_id,
        instance_uuid: instanceUuid,
        attached_host: null,
        mountpoint: null,
        attach_status: 'reserved',
        attach_mode: mode,
        connector: null,
        connection_info: null,
        attach_time: null,
        created_at: now,
        updated_at: now,
      });
    });
    return id;
  }

  async #export(volume: Volume, connector: Record<string, unknown>): Promise<ConnectionInfo> {
    const backend = this.scheduler.byHost(volume.host);
    if (!backend) throw errors.invalidVolume(`Volume ${volume.id} has no backend to export it from.`);
    const info = await backend.driver.exportVolume(volume.id, toConnector(connector));
    return { ...info, data: { ...info.data, volume_id: volume.id, access_mode: volume.readonly ? 'ro' : 'rw' } };
  }

  async #markAttached(attachment: Attachment, mountpoint: string | null, host: string | null): Promise<void> {
    const now = nowIso();
    await this.deps.db.transaction().execute(async (trx) => {
      await store.updateAttachment(trx, attachment.id, { attach_status: 'attached', mountpoint, attached_host: host, attach_time: now, updated_at: now });
      await store.updateVolume(trx, attachment.volume_id, { status: 'in-use', attach_status: 'attached', updated_at: now });
    });
  }

  async #remove(attachment: Attachment): Promise<void> {
    const volume = await this.volumes.load(attachment.volume_id);
    const backend = this.scheduler.byHost(volume.host);
    if (backend && attachment.connector) await backend.driver.unexportVolume(volume.id, toConnector(attachment.connector));
    await store.deleteAttachment(this.deps.db, attachment.id);
    await this.#settle(volume.id);
  }

  /** Sets the volume's status from its remaining attachments. */
  async #settle(volumeId: string): Promise<void> {
    const left = await store.listAttachments(this.deps.db, [volumeId]);
    const attached = left.some((a) => a.attach_status === 'attached');
    const status = attached ? 'in-use' : left.length > 0 ? 'reserved' : 'available';
    await store.updateVolume(this.deps.db, volumeId, { status, attach_status: attached ? 'attached' : 'detached', updated_at: nowIso() });
  }

  async #load(id: string): Promise<Attachment> {
    const attachment = await store.getAttachment(this.deps.db, id);
    if (!attachment) throw notFound.attachment(id);
    return attachment;
  }
}

/** Nova's connector: `host`, and whether that host is this one (`local`) or reaches us over NBD. */
function toConnector(connector: Record<string, unknown>): Connector {
  const host = typeof connector.host === 'string' ? connector.host : 'localhost';
  return { host, protocol: connector.protocol === 'nbd' ? 'nbd' : 'local' };
}
