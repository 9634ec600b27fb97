/**
 * The contract between the stack engine and a resource type
 * (`OS::Nova::Server`, `OS::Heat::RandomString`, ...).
 *
 * A plugin declares Heat's property and attribute schemas (served by
 * `/resource_types/{type}` and checked by the template room before any call)
 * and does the work through the other services' `operations.ts` with
 * `ctx.caller`, the stack owner's context (through the stack's trust, see
 * engine/deferred-auth.ts), so policy and quotas hold exactly as through the
 * REST API.
 *
 * Crash safety is the plugin's half of "never stuck IN_PROGRESS": the engine
 * may call `create`, `update` or `delete` again after a kill -9 at any point.
 * - `create` first looks for what an earlier attempt made: by `ctx.resource.physicalId`
 *   when set, else by `ctx.resource.physicalName` (deterministic per resource and
 *   stored before the first attempt; use it as the service-side name where the
 *   template gives none, and search by it where a service has no client-set ids).
 *   It calls `ctx.setPhysicalId` as soon as the service answers, before waiting.
 * - `delete` treats "already gone" (404) as done; `physicalId` may be null.
 * - Property values arrive resolved, coerced and with defaults applied.
 */
import type { CallerContext } from '../../core/context.js';
import type { Logger } from '../../core/logger.js';
import type { ServiceRegistry } from '../../core/service-module.js';
import type { Json, JsonObject } from '../json.js';
import type { Constraint, Environment } from '../template/types.js';

export type PropertyType = 'string' | 'integer' | 'number' | 'boolean' | 'map' | 'list' | 'any';

export interface SupportStatus {
  status: 'SUPPORTED' | 'DEPRECATED' | 'UNSUPPORTED' | 'HIDDEN';
  version?: string;
  message?: string;
}

/** Heat's properties.Schema: what `/resource_types/{type}` shows and the template room enforces. */
export interface PropertySchema {
  type: PropertyType;
  description?: string;
  required?: boolean;
  default?: Json;
  /** Changing it updates in place; changing any other property replaces the resource. */
  updateAllowed?: boolean;
  /** Never changes after create (an update that changes it fails). */
  immutable?: boolean;
  constraints?: Constraint[];
  /** A map's known keys, or a list's item schema (`'*'`). */
  schema?: Record<string, PropertySchema>;
  supportStatus?: SupportStatus;
}

export interface AttributeSchema {
  description: string;
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'map' | 'list';
}

/** The resource being worked on, as the engine has it stored. */
export interface ResourceState {
  name: string;
  /** The resource's own uuid in Heat's API (`id` of the resource row). */
  uuid: string;
  type: string;
  physicalId: string | null;
  /** A stable name for the service-side object, `<stack>-<resource>-<12 random chars>`, kept across attempts. */
  physicalName: string;
  /** Heat's resource_data: small strings the plugin keeps (a generated password, a signal count, ...). */
  data: Record<string, string>;
  /** The resource's metadata (template `metadata:` then whatever the plugin or a signal set). */
  metadata: JsonObject;
  /** The resource's `update_policy`, resolved, during create and update (a ResourceGroup's batch_create and rolling_update). */
  updatePolicy?: JsonObject;
}

export interface StackInfo {
  id: string;
  name: string;
  projectId: string;
  /** 0 for a top-level stack. */
  nestedDepth: number;
  timeoutMins: number | null;
  /** The merged environment, for template resources and nested stacks. */
  environment: Environment;
  files: Record<string, string>;
}

/** A nested stack owned by the current resource (OS::Heat::Stack, ResourceGroup, AutoScalingGroup, template resources). */
export interface NestedStackRequest {
  template: JsonObject;
  parameters: Record<string, Json>;
  files?: Record<string, string>;
  environment?: Partial<Environment>;
  timeoutMins?: number | null;
}

export interface NestedStacks {
  /** The nested stack's id, or null before `apply` created it. */
  readonly stackId: string | null;
  /**
   * Creates the nested stack (first call) or updates it to `request`, and
   * waits until it completes; throws with the nested stack's status reason
   * when it fails. Idempotent: re-run after a crash resumes the same stack.
   */
  apply(request: NestedStackRequest): Promise<{ stackId: string }>;
  /** Deletes the nested stack and waits; done when it is already gone. */
  delete(): Promise<void>;
  /** The nested stack's outputs, evaluated. */
  outputs(): Promise<Record<string, Json>>;
  /** Evaluates a snippet inside the nested stack (e.g. `{get_attr: ['0', 'first_address']}`, `{get_resource: '1'}`). */
  evaluate(snippet: Json): Promise<Json>;
  /** The nested stack's resource names, in creation order. */
  resourceNames(): Promise<string[]>;
  suspend(): Promise<void>;
  resume(): Promise<void>;
}

/** Another resource of the same stack, read-only, for WaitCondition and scaling policies. */
export interface SiblingResource {
  name: string;
  type: string;
  physicalId: string | null;
  data: Record<string, string>;
  metadata: JsonObject;
  status: string;
}

/** URLs a guest or a user may call to signal a resource (WaitConditionHandle, ScalingPolicy, SoftwareDeployment). */
export interface SignalUrls {
  /** `.../orchestration/v1/{project}/stacks/{name}/{id}/resources/{resource}/signal` (token-authenticated, HEAT_SIGNAL). */
  heat(): string;
  /** A presigned CFN-style URL (EC2 signature over the resource), POSTable without a token (CFN_SIGNAL). */
  cfn(): Promise<string>;
}

/** Software configs and deployments (the software_configs/software_deployments API's store), for the config and deployment types. */
export interface SoftwareConfigStore {
  createConfig(caller: CallerContext, config: SoftwareConfigInput): Promise<SoftwareConfigRecord>;
  getConfig(caller: CallerContext, id: string): Promise<SoftwareConfigRecord>;
  deleteConfig(caller: CallerContext, id: string): Promise<void>;
  createDeployment(caller: CallerContext, deployment: SoftwareDeploymentInput): Promise<SoftwareDeploymentRecord>;
  getDeployment(caller: CallerContext, id: string): Promise<SoftwareDeploymentRecord>;
  updateDeployment(caller: CallerContext, id: string, changes: Partial<SoftwareDeploymentInput>): Promise<SoftwareDeploymentRecord>;
  deleteDeployment(caller: CallerContext, id: string): Promise<void>;
  /**
   * The configs deployed to a server, as its `deployments` metadata shows
   * them (Heat's metadata_software_deployments: format_software_config of
   * each deployment's config, sorted by config name). Optional so that
   * stand-ins need not have it; the module's store has it.
   */
  serverDeployments?(caller: CallerContext, serverId: string): Promise<JsonObject[]>;
}

export interface SoftwareConfigInput {
  name: string;
  group: string;
  /** A script or manifest (string); a map for OS::Heat::StructuredConfig and structured deployments, as Heat stores it. */
  config: Json;
  inputs: JsonObject[];
  outputs: JsonObject[];
  options: JsonObject;
}
export interface SoftwareConfigRecord extends SoftwareConfigInput {
  id: string;
  projectId: string;
  createdAt: string;
}
export interface SoftwareDeploymentInput {
  configId: string;
  serverId: string;
  action: string;
  status: 'IN_PROGRESS' | 'COMPLETE' | 'FAILED';
  statusReason: string;
  inputValues: JsonObject;
  outputValues: JsonObject;
}
export interface SoftwareDeploymentRecord extends SoftwareDeploymentInput {
  id: string;
  projectId: string;
  createdAt: string;
  updatedAt: string | null;
}

/** Everything a plugin works with during one call. */
export interface ResourceContext {
  /** The stack owner's authority (the stored delegation; valid after the token that created the stack has expired). */
  readonly caller: CallerContext;
  readonly services: ServiceRegistry;
  readonly stack: StackInfo;
  readonly resource: ResourceState;
  /** Aborted when the operation is cancelled or this worker lost the stack's task. */
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** Records the physical id now, durably, so a crash right after cannot leak the object. */
  setPhysicalId(id: string): Promise<void>;
  setData(key: string, value: string): Promise<void>;
  deleteData(key: string): Promise<void>;
  setMetadata(metadata: JsonObject): Promise<void>;
  readonly nested: NestedStacks;
  sibling(name: string): Promise<SiblingResource | null>;
  /**
   * The sibling whose reference id (what `get_resource` gives) is `reference`
   * (Heat's resource_by_refid): a scaling policy's group, a wait
   * condition's handle. Optional while engines catch up.
   */
  siblingByReference?(reference: string): Promise<SiblingResource | null>;
  /**
   * Calls another resource's `invoke` in this stack (a scaling policy
   * adjusting its group), under the engine's bookkeeping (events, status).
   */
  invokeSibling(name: string, method: string, args: Json): Promise<Json>;
  readonly signalUrls: SignalUrls;
  readonly softwareConfigs: SoftwareConfigStore;
  /** Base URL clients use (no trailing slash). */
  publicUrl(): string;
}

/** One resource's entry in a stack snapshot, as the snapshot recorded it (Heat's snapshot data `resources.<name>`). */
export interface ResourceSnapshot {
  physicalId: string | null;
  /** The resource's data when the snapshot was taken: what `snapshot` kept there (a backup id, an image id). */
  data: Record<string, string>;
  /** The resolved properties at snapshot time. */
  properties: JsonObject;
}

/** What a plugin gets outside a resource operation (validation, removing a snapshot's data). */
export interface PluginCallContext {
  caller: CallerContext;
  services: ServiceRegistry;
}

export interface PropertyChange {
  /** The new, resolved properties. */
  properties: JsonObject;
  previous: JsonObject;
  /** Names of the properties whose value differs. */
  changed: string[];
}

/**
 * One resource type. `create`, `delete` and `resolveAttribute` are required;
 * the rest is optional and absent means Heat's default: an update that
 * changes only `updateAllowed` properties calls `update` (or just stores the
 * new properties when there is no `update`); any other change replaces the
 * resource (create the new one, then delete the old one).
 */
export interface ResourcePlugin {
  readonly type: string;
  readonly description: string;
  readonly properties: Record<string, PropertySchema>;
  /** Takes any property names and values unchecked (OS::Heat::None standing in for another type); `properties` is then empty. */
  readonly acceptsAnyProperties?: boolean;
  /** `show` is added by the engine for every type. */
  readonly attributes: Record<string, AttributeSchema>;
  /**
   * Answers attribute names beyond `attributes` (a deployment's config
   * outputs, a group's `resource.<n>.<attr>` and member attributes), so
   * validation lets any `get_attr` name through to `resolveAttribute`.
   */
  readonly dynamicAttributes?: boolean;
  readonly supportStatus?: SupportStatus;
  /** Cross-property checks the schema cannot express; throw a BadRequest (StackValidationFailed) naming the property. */
  validate?(properties: JsonObject, ctx: { caller: CallerContext; services: ServiceRegistry; stack: StackInfo }): Promise<void>;
  create(ctx: ResourceContext, properties: JsonObject): Promise<void>;
  update?(ctx: ResourceContext, change: PropertyChange): Promise<void>;
  /** Overrides the default replace decision (e.g. a server whose image changed with `image_update_policy: REBUILD`). */
  needsReplace?(change: PropertyChange): boolean;
  /**
   * Heat's UpdateReplace raised by handle_update: asked when the properties
   * alone call for an update in place, whether the object must be replaced
   * anyway by what it finds in its service (a deployment whose config marks a
   * changed input `replace_on_change`).
   */
  replacesOnUpdate?(ctx: ResourceContext, change: PropertyChange): Promise<boolean>;
  /**
   * Heat's prepare_for_replace: called on the resource about to be replaced,
   * with its current properties, before its replacement is created (a server
   * lets go of its ports so the new one can take them). Called again after a
   * crash, so it must be idempotent.
   */
  prepareForReplace?(ctx: ResourceContext, properties: JsonObject): Promise<void>;
  /**
   * Heat's restore_prev_rsrc: on rollback, when the resource `prepareForReplace`
   * prepared comes back in place of its `replacement` (whose physical id is
   * null when it never got one), it takes back what it gave up. Idempotent.
   */
  restorePrevious?(ctx: ResourceContext, replacement: ResourceState): Promise<void>;
  delete(ctx: ResourceContext): Promise<void>;
  /** One attribute's value (null when the object is gone or the attribute not known yet). */
  resolveAttribute(ctx: ResourceContext, name: string): Promise<Json>;
  /**
   * `get_attr` with its path, for types whose path is not a plain selection
   * in the value (a group's `attributes, <attr>` asks every member for
   * `<attr>`). When present the engine calls it instead of
   * `resolveAttribute` followed by selecting `path`.
   */
  resolveAttributePath?(ctx: ResourceContext, name: string, path: Json[]): Promise<Json>;
  /**
   * The nested stack this resource would own with `properties`, without
   * making it (a group's members, a template resource's template), so that
   * preview and validate can look inside; absent for types that own none.
   */
  nestedTemplate?(properties: JsonObject): NestedStackRequest;
  /** The `show` attribute: the object as its service shows it. */
  show?(ctx: ResourceContext): Promise<Json>;
  /** What `get_resource` returns; default the physical id (the name while it has none). */
  referenceId?(resource: ResourceState): string;
  suspend?(ctx: ResourceContext): Promise<void>;
  resume?(ctx: ResourceContext): Promise<void>;
  /** `stack check`: throws when the object is gone or unhealthy. */
  check?(ctx: ResourceContext): Promise<void>;
  /** POST .../resources/{name}/signal with `details` (the JSON body, or null). */
  signal?(ctx: ResourceContext, details: Json): Promise<void>;
  /** Called by a sibling through `invokeSibling`. */
  invoke?(ctx: ResourceContext, method: string, args: Json): Promise<Json>;
  /**
   * Heat's handle_snapshot and check_snapshot_complete: makes what a restore
   * rebuilds from (a volume backup, a server image), keeps its id with
   * `ctx.setData` (the snapshot records the resource's data) and waits until
   * it is usable. Absent: the snapshot keeps the definition only.
   */
  snapshot?(ctx: ResourceContext): Promise<void>;
  /**
   * Heat's handle_restore: the properties the resource gets back on a
   * restore from its snapshot entry (e.g. a volume's `backup_id`). The
   * restore then updates the resource to them as any update would.
   */
  restoreProperties?(snapshot: ResourceSnapshot): JsonObject;
  /** Heat's handle_delete_snapshot: removes what `snapshot` made, when the stack snapshot or the stack is deleted; gone is done. */
  deleteSnapshot?(ctx: PluginCallContext, snapshot: ResourceSnapshot): Promise<void>;
}

/** A `custom_constraint` for parameters and properties: null when the value is acceptable, else Heat's message. */
export interface CustomConstraint {
  readonly name: string;
  check(value: Json, ctx: { caller: CallerContext; services: ServiceRegistry }): Promise<string | null>;
}
