/** Heat's tables (see migrations/0001-initial.ts). */
import type { Selectable } from 'kysely';
import type { BoolColumn, JsonColumn } from '../../core/db/values.js';

export interface StackTable {
  id: string;
  name: string;
  project_id: string;
  owner_user_id: string;
  owner_user_name: string;
  owner_caller: JsonColumn;
  /** The Keystone trust the engine acts through (migration stack-0002); null: it acts as `owner_caller`. */
  trust_id: string | null;
  action: string;
  status: string;
  status_reason: string;
  description: string;
  template: JsonColumn;
  environment: JsonColumn;
  files: JsonColumn;
  parameters: JsonColumn;
  previous: string | null;
  timeout_mins: number | null;
  disable_rollback: BoolColumn;
  parent_id: string | null;
  parent_resource_name: string | null;
  nested_depth: number;
  lock_operation: string | null;
  lock_action: string | null;
  created_at: string;
  updated_at: string | null;
  deleted_at: string | null;
}

export interface StackTagTable {
  stack_id: string;
  tag: string;
  position: number;
}

export interface ResourceTable {
  id: string;
  stack_id: string;
  name: string;
  type: string;
  physical_id: string | null;
  physical_name: string;
  action: string;
  status: string;
  status_reason: string;
  definition: JsonColumn;
  properties: JsonColumn;
  data: JsonColumn;
  metadata: JsonColumn;
  depends_on: JsonColumn;
  nested_stack_id: string | null;
  replaces: string | null;
  replaced_by: string | null;
  created_at: string;
  updated_at: string | null;
}

export interface EventTable {
  id: string;
  seq: number;
  stack_id: string;
  resource_name: string;
  physical_resource_id: string | null;
  resource_type: string;
  action: string;
  status: string;
  status_reason: string;
  properties: JsonColumn;
  created_at: string;
}

export interface SnapshotTable {
  id: string;
  stack_id: string;
  name: string | null;
  status: string;
  status_reason: string;
  data: string | null;
  created_at: string;
}

export type OrchestrationTables = {
  heat_stack: StackTable;
  heat_stack_tag: StackTagTable;
  heat_resource: ResourceTable;
  heat_event: EventTable;
  heat_snapshot: SnapshotTable;
};

export type StackRow = Selectable<StackTable>;
export type ResourceRow = Selectable<ResourceTable>;
export type EventRow = Selectable<EventTable>;
export type SnapshotRow = Selectable<SnapshotTable>;
