/**
 * Backup export and import (admin only): a backup's database record handed
 * out as an opaque string (`backup_url`: base64 of JSON) with the backup
 * driver it was written by (`backup_service`), so that an operator who lost
 * the database, or moves backups between clouds, can register the backup
 * again. The imported backup belongs to the importing project and reads the
 * objects the exported one wrote, wherever they lie.
 */
import { nowIso } from '../../core/time.js';
import { NotFound } from '../../core/errors.js';
import { BackendObjectNotFound } from '../drivers/index.js';
import { errors } from '../errors.js';
import * as store from '../store/index.js';
import type { Backup } from '../store/index.js';
import { objectOwner, readManifest } from './backup-chunks.js';
import type { BackupOps } from './backups.js';
import { requireProject, type VolumeContext } from './context.js';
import type { VolumeDeps } from './deps.js';
import type { QuotaOps } from './quotas.js';

export interface BackupRecord {
  backup_service: string;
  backup_url: string;
}

/** The fields a record carries, named as Cinder's backup object names them where it has them. */
interface RecordBody {
  id: string;
  display_name: string | null;
  display_description: string | null;
  volume_id: string;
  snapshot_id: string | null;
  size: number;
  container: string;
  object_count: number;
  parent_id: string | null;
  availability_zone: string;
  created_at: string;
  /** The id the backup's objects are named after. */
  service_metadata: string;
  /** The project whose store holds the objects. */
  project_id: string;
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const unparsable = () => errors.invalidInput("Can't parse backup record.");

export class BackupRecordOps {
  constructor(
    private readonly deps: VolumeDeps,
    private readonly backups: BackupOps,
    private readonly quotas: QuotaOps,
  ) {}

  async export(ctx: VolumeContext, id: string): Promise<BackupRecord> {
    const backup = await this.backups.get(ctx, id);
    this.deps.authz.authorize(ctx.auth, 'backup:export-import', { project_id: backup.project_id });
    if (backup.status !== 'available') throw errors.invalidBackup(`Backup status must be available and not ${backup.status}.`);
    const owner = objectOwner(backup);
    const body: RecordBody = {
      id: backup.id,
      display_name: backup.name,
      display_description: backup.description,
      volume_id: backup.volume_id,
      snapshot_id: backup.snapshot_id,
      size: backup.size,
      container: backup.container,
      object_count: backup.object_count,
      parent_id: backup.parent_id,
      availability_zone: backup.availability_zone,
      created_at: backup.created_at,
      service_metadata: owner.prefix,
      project_id: owner.projectId,
    };
    return { backup_service: this.deps.backupStore(owner.projectId).service, backup_url: Buffer.from(JSON.stringify(body)).toString('base64') };
  }

  /**
   * Registers the record's backup under its id: `available` when the store
   * holds its manifest, `error` when it does not (as Cinder's backup
   * manager leaves an import it cannot verify).
   */
  async import(ctx: VolumeContext, record: BackupRecord): Promise<Backup> {
    this.deps.authz.authorize(ctx.auth, 'backup:backup-import');
    const projectId = requireProject(ctx);
    const body = parseRecord(record.backup_url);
    const objects = this.deps.backupStore(body.project_id);
    if (record.backup_service !== objects.service) throw new NotFound(`Service ${record.backup_service} could not be found.`);
    if (await store.getBackup(this.deps.db, body.id)) throw errors.invalidBackup('Backup already exists in database.');
    const now = nowIso();
    const row = {
      id: body.id,
      project_id: projectId,
      user_id: ctx.auth.userId,
      volume_id: body.volume_id,
      snapshot_id: body.snapshot_id,
      name: body.display_name,
      description: body.display_description,
      size: body.size,
      status: 'creating',
      fail_reason: null,
      parent_id: body.parent_id,
      container: body.container,
      object_count: body.object_count,
      availability_zone: body.availability_zone,
      object_prefix: body.service_metadata,
      object_project_id: body.project_id,
      created_at: body.created_at,
      updated_at: now,
    };
    const found = await readManifest(objects, row).then(
      () => true,
      (error: unknown) => {
        if (error instanceof BackendObjectNotFound) return false;
        throw error;
      },
    );
    await this.deps.db.transaction().execute(async (trx) => {
      await this.quotas.reserveBackup(trx, projectId, body.size);
      await store.insertBackup(trx, {
        ...row,
        status: found ? 'available' : 'error',
        fail_reason: found ? null : `The backup's objects are not in container ${body.container}.`,
      });
    });
    return this.backups.load(body.id);
  }
}

function parseRecord(url: string): RecordBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(url, 'base64').toString('utf8'));
  } catch {
    throw unparsable();
  }
  if (typeof parsed !== 'object' || parsed === null) throw unparsable();
  const body = parsed as Partial<RecordBody>;
  const text = (value: unknown) => typeof value === 'string' && value.length > 0;
  const textOrNull = (value: unknown) => value === undefined || value === null || typeof value === 'string';
  const count = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;
  const valid =
    typeof body.id === 'string' &&
    UUID.test(body.id) &&
    text(body.volume_id) &&
    text(body.container) &&
    text(body.service_metadata) &&
    text(body.project_id) &&
    text(body.created_at) &&
    count(body.size) &&
    count(body.object_count ?? 0) &&
    textOrNull(body.display_name) &&
    textOrNull(body.display_description) &&
    textOrNull(body.snapshot_id) &&
    textOrNull(body.parent_id);
  if (!valid) throw unparsable();
  return {
    ...(body as RecordBody),
    display_name: body.display_name ?? null,
    display_description: body.display_description ?? null,
    snapshot_id: body.snapshot_id ?? null,
    parent_id: body.parent_id ?? null,
    object_count: body.object_count ?? 0,
    availability_zone: body.availability_zone ?? 'nova',
  };
}
