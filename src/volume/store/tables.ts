/** The volume service's tables (see migrations/0001-initial.ts). */
import type { Selectable } from 'kysely';
import type { BoolColumn, JsonColumn } from '../../core/db/values.js';

export interface VolumeTypeTable {
  id: string;
  name: string;
  description: string | null;
  is_public: BoolColumn;
  extra_specs: JsonColumn;
  qos_specs_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface VolumeTypeAccessTable {
  volume_type_id: string;
  project_id: string;
}

export interface QosSpecsTable {
  id: string;
  name: string;
  consumer: string;
  specs: JsonColumn;
  created_at: string;
}

export interface VolumeTable {
  id: string;
  project_id: string;
  user_id: string;
  name: string | null;
  description: string | null;
  size: number;
  status: string;
  status_reason: string | null;
  attach_status: string;
  availability_zone: string;
  volume_type_id: string;
  host: string | null;
  snapshot_id: string | null;
  source_volid: string | null;
  image_id: string | null;
  bootable: BoolColumn;
  readonly: BoolColumn | null;
  multiattach: BoolColumn;
  migration_status: string | null;
  created_at: string;
  updated_at: string;
  launched_at: string | null;
  group_id: string | null;
}

export interface VolumeMetadataTable {
  volume_id: string;
  kind: 'user' | 'image';
  key: string;
  value: string;
}

export interface SnapshotTable {
  id: string;
  project_id: string;
  user_id: string;
  volume_id: string;
  name: string | null;
  description: string | null;
  size: number;
  status: string;
  status_reason: string | null;
  progress: string;
  metadata: JsonColumn;
  created_at: string;
  updated_at: string;
  group_snapshot_id: string | null;
}

export interface AttachmentTable {
  id: string;
  volume_id: string;
  project_id: string;
  instance_uuid: string | null;
  attached_host: string | null;
  mountpoint: string | null;
  attach_status: string;
  attach_mode: 'rw' | 'ro';
  connector: JsonColumn | null;
  connection_info: JsonColumn | null;
  attach_time: string | null;
  created_at: string;
  updated_at: string;
}

export interface TransferTable {
  id: string;
  volume_id: string;
  project_id: string;
  name: string | null;
  salt: string;
  crypt_hash: string;
  created_at: string;
}

export interface BackupTable {
  id: string;
  project_id: string;
  user_id: string;
  volume_id: string;
  name: string | null;
  description: string | null;
  size: number;
  status: string;
  fail_reason: string | null;
  parent_id: string | null;
  container: string;
  object_count: number;
  availability_zone: string;
  created_at: string;
  updated_at: string;
  /** The snapshot backed up, null for a backup of the volume itself. */
  snapshot_id: string | null;
  /** Whose objects hold the data, when not this backup's own (an imported record): their id prefix and project. */
  object_prefix: string | null;
  object_project_id: string | null;
}

export interface MessageTable {
  id: string;
  project_id: string;
  request_id: string;
  resource_type: string | null;
  resource_uuid: string | null;
  /** `VOLUME_<resource>_<action>_<detail>`. */
  event_id: string;
  message_level: string;
  action_id: string;
  detail_id: string;
  created_at: string;
  expires_at: string;
}

export interface TypeEncryptionTable {
  volume_type_id: string;
  encryption_id: string;
  provider: string | null;
  cipher: string | null;
  key_size: number | null;
  control_location: string | null;
  created_at: string;
  updated_at: string | null;
}

export interface GroupTypeTable {
  id: string;
  name: string;
  description: string | null;
  is_public: BoolColumn;
  group_specs: JsonColumn;
  created_at: string;
  updated_at: string;
}

export interface GroupTable {
  id: string;
  project_id: string;
  user_id: string;
  name: string | null;
  description: string | null;
  status: string;
  availability_zone: string;
  group_type_id: string;
  volume_type_ids: JsonColumn;
  group_snapshot_id: string | null;
  source_group_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface GroupSnapshotTable {
  id: string;
  project_id: string;
  user_id: string;
  group_id: string;
  group_type_id: string;
  name: string | null;
  description: string | null;
  status: string;
  created_at: string;
  updated_at: string;
}

export interface ServiceStateTable {
  host: string;
  binary: string;
  disabled: BoolColumn;
  disabled_reason: string | null;
  frozen: BoolColumn;
  updated_at: string;
}

/** A type alias (not an interface) so Kysely's withTables accepts it. */
export type VolumeTables = {
  cinder_volume_type: VolumeTypeTable;
  cinder_volume_type_access: VolumeTypeAccessTable;
  cinder_qos_specs: QosSpecsTable;
  cinder_volume: VolumeTable;
  cinder_volume_metadata: VolumeMetadataTable;
  cinder_snapshot: SnapshotTable;
  cinder_attachment: AttachmentTable;
  cinder_transfer: TransferTable;
  cinder_backup: BackupTable;
  cinder_type_encryption: TypeEncryptionTable;
  cinder_group_type: GroupTypeTable;
  cinder_group: GroupTable;
  cinder_group_snapshot: GroupSnapshotTable;
  cinder_service_state: ServiceStateTable;
  cinder_message: MessageTable;
};

export type VolumeRow = Selectable<VolumeTable>;
export type SnapshotRow = Selectable<SnapshotTable>;
export type VolumeTypeRow = Selectable<VolumeTypeTable>;
export type QosSpecsRow = Selectable<QosSpecsTable>;
export type AttachmentRow = Selectable<AttachmentTable>;
export type Transfer = Selectable<TransferTable>;
export type Backup = Selectable<BackupTable>;
export type Message = Selectable<MessageTable>;
export type TypeEncryption = Selectable<TypeEncryptionTable>;
export type GroupTypeRow = Selectable<GroupTypeTable>;
export type GroupRow = Selectable<GroupTable>;
export type GroupSnapshot = Selectable<GroupSnapshotTable>;
