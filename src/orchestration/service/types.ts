/**
 * The orchestration service layer's contract with its API: what the engine
 * room implements (stacks, resources, events, actions, snapshots, outputs)
 * and the API room renders as heat-api v1. Records are domain shapes; the
 * API's views turn them into Heat's bodies. Every call takes the caller and
 * enforces Heat's policy and project scoping inside (a stack of another
 * project is a 404, as in Heat).
 */
import type { CallerContext } from '../../core/context.js';
import type { Json, JsonObject } from '../json.js';
import type { Environment } from '../template/types.js';

export type StackAction = 'INIT' | 'CREATE' | 'UPDATE' | 'DELETE' | 'ROLLBACK' | 'SUSPEND' | 'RESUME' | 'ADOPT' | 'CHECK' | 'SNAPSHOT' | 'RESTORE';
export type StackStatus = 'IN_PROGRESS' | 'COMPLETE' | 'FAILED';

export interface StackRecord {
  id: string;
  name: string;
  projectId: string;
  /** The user that created the stack (`stack_owner` is its name). */
  ownerUserId: string;
  ownerUserName: string;
  action: StackAction;
  status: StackStatus;
  statusReason: string;
  description: string;
  /** The template as sent (GET .../template answers it). */
  template: JsonObject;
  environment: Environment;
  files: Record<string, string>;
  /** Parameter values as shown (hidden ones masked as `******`), pseudo parameters included. */
  parameters: Record<string, string>;
  tags: string[];
  timeoutMins: number | null;
  disableRollback: boolean;
  parentId: string | null;
  /** The resource in the parent stack that owns this one (nested stacks). */
  parentResourceName: string | null;
  nestedDepth: number;
  createdAt: string;
  updatedAt: string | null;
  deletedAt: string | null;
}

export interface OutputValue {
  key: string;
  description: string;
  value?: Json;
  /** Heat's `output_error` when evaluating the output failed. */
  error?: string;
}

export interface ResourceRecord {
  uuid: string;
  name: string;
  type: string;
  physicalId: string | null;
  action: StackAction;
  status: StackStatus;
  statusReason: string;
  stackId: string;
  stackName: string;
  /** Names of the resources this one depends on (`required_by` is the inverse). */
  dependsOn: string[];
  requiredBy: string[];
  /** Set when the resource owns a nested stack. */
  nestedStackId: string | null;
  metadata: JsonObject;
  description: string;
  createdAt: string;
  updatedAt: string | null;
}

export interface EventRecord {
  id: string;
  stackId: string;
  stackName: string;
  resourceName: string;
  physicalResourceId: string | null;
  logicalResourceId: string;
  resourceType: string;
  action: StackAction;
  status: StackStatus;
  statusReason: string;
  /** Properties of the resource at the time (Heat's `resource_properties`). */
  resourceProperties: JsonObject;
  createdAt: string;
}

export interface SnapshotRecord {
  id: string;
  name: string | null;
  stackId: string;
  status: StackStatus;
  statusReason: string;
  data: JsonObject | null;
  createdAt: string;
}

/** A create, update or preview as the API received it (template already an object; `template_url` fetched by the API). */
export interface StackRequest {
  name: string;
  template: JsonObject;
  environment?: JsonObject;
  files?: Record<string, string>;
  parameters?: Record<string, Json>;
  timeoutMins?: number | null;
  disableRollback?: boolean;
  tags?: string[];
  /** PATCH: keep the existing template, parameters and environment where the request gives none. */
  existing?: boolean;
  /** PATCH: parameters to reset to their defaults. */
  clearParameters?: string[];
  /** Adopt: the abandoned stack's data. */
  adoptStackData?: JsonObject;
}

export interface StackListQuery {
  name?: string[];
  status?: string[];
  action?: string[];
  id?: string[];
  tags?: string[];
  tagsAny?: string[];
  notTags?: string[];
  notTagsAny?: string[];
  showNested?: boolean;
  showHidden?: boolean;
  showDeleted?: boolean;
  globalTenant?: boolean;
  sortKeys?: string[];
  sortDir?: 'asc' | 'desc';
  limit?: number;
  marker?: string;
}

export interface ResourceListQuery {
  nestedDepth?: number;
  name?: string[];
  type?: string[];
  status?: string[];
  action?: string[];
  id?: string[];
  physicalResourceId?: string[];
  withDetail?: boolean;
}

export interface EventListQuery {
  resourceName?: string;
  resourceAction?: string[];
  resourceStatus?: string[];
  resourceType?: string[];
  nestedDepth?: number;
  sortKeys?: string[];
  sortDir?: 'asc' | 'desc';
  limit?: number;
  marker?: string;
}

export interface ValidateResult {
  description: string;
  parameters: Record<string, JsonObject>;
  parameterGroups?: JsonObject[];
  environment?: JsonObject;
  /** With `showNested`: each nested template's resource name to its own validate result (Heat's `NestedParameters`). */
  nestedParameters?: JsonObject;
}

export interface PreviewResult {
  stack: StackRecord;
  /** Resources as Heat previews them (nested stacks as nested lists). */
  resources: Json[];
}

/** The stack engine as the API calls it. */
export interface StackService {
  create(caller: CallerContext, request: StackRequest): Promise<StackRecord>;
  preview(caller: CallerContext, request: StackRequest): Promise<PreviewResult>;
  list(caller: CallerContext, query: StackListQuery): Promise<StackRecord[]>;
  count(caller: CallerContext, query: StackListQuery): Promise<number>;
  /** By name or id; throws 404 (Heat's "The Stack (x) could not be found."). */
  find(caller: CallerContext, nameOrId: string, options?: { showDeleted?: boolean }): Promise<StackRecord>;
  get(caller: CallerContext, name: string, id: string): Promise<StackRecord>;
  update(caller: CallerContext, stackId: string, request: StackRequest): Promise<StackRecord>;
  previewUpdate(
    caller: CallerContext,
    stackId: string,
    request: StackRequest,
  ): Promise<{ added: Json[]; deleted: Json[]; replaced: Json[]; unchanged: Json[]; updated: Json[] }>;
  delete(caller: CallerContext, stackId: string): Promise<void>;
  abandon(caller: CallerContext, stackId: string): Promise<JsonObject>;
  export(caller: CallerContext, stackId: string): Promise<JsonObject>;
  outputs(caller: CallerContext, stackId: string): Promise<OutputValue[]>;
  output(caller: CallerContext, stackId: string, key: string): Promise<OutputValue>;
  action(caller: CallerContext, stackId: string, action: 'suspend' | 'resume' | 'check' | 'cancel_update' | 'cancel_without_rollback'): Promise<void>;
  validate(caller: CallerContext, request: Omit<StackRequest, 'name'> & { showNested?: boolean; ignoreErrors?: string[] }): Promise<ValidateResult>;

  resources(caller: CallerContext, stackId: string, query: ResourceListQuery): Promise<ResourceRecord[]>;
  resource(caller: CallerContext, stackId: string, name: string): Promise<ResourceRecord & { attributes: JsonObject; properties: JsonObject }>;
  resourceMetadata(caller: CallerContext, stackId: string, name: string): Promise<JsonObject>;
  /** Also the hooks' `{"unset_hook": "pre-create"}`. */
  signal(caller: CallerContext | null, stackId: string, name: string, details: Json): Promise<void>;
  markUnhealthy(caller: CallerContext, stackId: string, name: string, unhealthy: boolean, reason: string): Promise<void>;

  events(caller: CallerContext, stackId: string, query: EventListQuery): Promise<EventRecord[]>;
  event(caller: CallerContext, stackId: string, resourceName: string, eventId: string): Promise<EventRecord>;

  snapshots(caller: CallerContext, stackId: string): Promise<SnapshotRecord[]>;
  snapshot(caller: CallerContext, stackId: string, snapshotId: string): Promise<SnapshotRecord>;
  createSnapshot(caller: CallerContext, stackId: string, name: string | null): Promise<SnapshotRecord>;
  deleteSnapshot(caller: CallerContext, stackId: string, snapshotId: string): Promise<void>;
  restoreSnapshot(caller: CallerContext, stackId: string, snapshotId: string): Promise<void>;

  /** Every registered type (template resources excluded), for `/resource_types`. */
  resourceTypes(
    caller: CallerContext,
    filter: { name?: string; version?: string; supportStatus?: string; withDescription?: boolean },
  ): Promise<Array<{ type: string; description: string }>>;
  resourceTypeSchema(caller: CallerContext, type: string): Promise<JsonObject>;
  /** The type's properties and attributes as a template (`template_type` hot or cfn). */
  resourceTypeTemplate(caller: CallerContext, type: string, templateType: 'hot' | 'cfn'): Promise<JsonObject>;
}
