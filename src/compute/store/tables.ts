/** The compute service's tables (see migrations/0001-initial.ts). */
import type { BoolColumn, JsonColumn } from '../../core/db/values.js';

export interface CounterTable {
  name: string;
  value: number;
}

export interface FlavorTable {
  id: string;
  name: string;
  memory_mb: number;
  vcpus: number;
  root_gb: number;
  ephemeral_gb: number;
  swap: number;
  rxtx_factor: number;
  is_public: BoolColumn;
  disabled: BoolColumn;
  description: string | null;
  extra_specs: JsonColumn;
  created_at: string;
  updated_at: string | null;
}

export interface FlavorAccessTable {
  flavor_id: string;
  project_id: string;
}

export interface KeypairTable {
  user_id: string;
  name: string;
  id: number;
  project_id: string | null;
  type: string;
  fingerprint: string;
  public_key: string;
  created_at: string;
}

export interface ServerTable {
  id: string;
  project_id: string;
  user_id: string;
  name: string;
  vm_state: string;
  task_state: string | null;
  power_state: number;
  host: string | null;
  node: string | null;
  flavor_id: string;
  image_ref: string | null;
  locked: BoolColumn;
  deleted: BoolColumn;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  revision: number;
  attrs: JsonColumn;
}

export interface InstanceActionTable {
  id: string;
  instance_uuid: string;
  request_id: string;
  action: string;
  project_id: string;
  user_id: string;
  start_time: string;
  finish_time: string | null;
  updated_at: string;
  message: string | null;
  events: JsonColumn;
}

export interface ComputeServiceTable {
  id: string;
  host: string;
  binary: string;
  node_uuid: string;
  /** The integer id of the API before 2.53 (migration 0002). */
  seq: number | null;
  enabled: BoolColumn;
  disabled_reason: string | null;
  forced_down: BoolColumn;
  created_at: string;
  updated_at: string;
  attrs: JsonColumn;
}

export interface AggregateTable {
  id: number;
  uuid: string;
  name: string;
  availability_zone: string | null;
  hosts: JsonColumn;
  metadata: JsonColumn;
  created_at: string;
  updated_at: string | null;
}

export interface ServerGroupTable {
  id: string;
  project_id: string;
  user_id: string;
  name: string;
  policy: string;
  rules: JsonColumn;
  members: JsonColumn;
  created_at: string;
}

export interface MigrationTable {
  id: number;
  uuid: string;
  instance_uuid: string;
  migration_type: string;
  status: string;
  source_compute: string | null;
  dest_compute: string | null;
  source_node: string | null;
  dest_node: string | null;
  old_flavor_id: string | null;
  new_flavor_id: string | null;
  project_id: string | null;
  user_id: string | null;
  created_at: string;
  updated_at: string;
}

/** A Cinder volume attached to a server (migrations/0003-volume-attachments.ts). */
export interface VolumeAttachmentTable {
  server_id: string;
  volume_id: string;
  attachment_id: string;
  device: string;
  tag: string | null;
  delete_on_termination: BoolColumn;
  created_at: string;
}

/** A type alias (not an interface) so Kysely's withTables accepts it. */
export type ComputeTables = {
  compute_counter: CounterTable;
  compute_flavor: FlavorTable;
  compute_flavor_access: FlavorAccessTable;
  compute_keypair: KeypairTable;
  compute_server: ServerTable;
  compute_instance_action: InstanceActionTable;
  compute_service: ComputeServiceTable;
  compute_aggregate: AggregateTable;
  compute_server_group: ServerGroupTable;
  compute_server_migration: MigrationTable;
  compute_volume_attachment: VolumeAttachmentTable;
};
