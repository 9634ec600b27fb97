/**
 * Heat's bodies for stacks, resources, events, outputs and snapshots
 * (heat/engine/api.py's formatting as heat/api/openstack/v1/views and the
 * controllers present it): status joined with its action (`CREATE_COMPLETE`),
 * times in Heat's `2016-04-08T12:00:00Z`, links built from identities.
 */
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import type { EventRecord, OutputValue, ResourceRecord, SnapshotRecord, StackRecord } from '../service/types.js';

/** Heat's isotime: seconds precision, `Z`. */
export function isoTime(value: string | null): string | null {
  if (value === null) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `<root>/<project>/stacks/<name>/<id>`, each segment quoted as HeatIdentifier.url_path. */
export function stackUrl(root: string, stack: { projectId: string; name: string; id: string }): string {
  return `${root}/${encodeURIComponent(stack.projectId)}/stacks/${encodeURIComponent(stack.name)}/${encodeURIComponent(stack.id)}`;
}

function link(href: string, rel = 'self'): JsonObject {
  return { href, rel };
}

/** The keys of a stack list entry (stacks_view.basic_keys). */
export function stackSummary(root: string, stack: StackRecord, includeProject: boolean): JsonObject {
  const view: JsonObject = {
    id: stack.id,
    links: [link(stackUrl(root, stack))],
    stack_name: stack.name,
    description: stack.description,
    stack_status: `${stack.action}_${stack.status}`,
    stack_status_reason: stack.statusReason,
    creation_time: isoTime(stack.createdAt),
    updated_time: isoTime(stack.updatedAt),
    deletion_time: isoTime(stack.deletedAt),
    stack_owner: stack.ownerUserName,
    parent: stack.parentId,
    stack_user_project_id: stack.projectId,
    tags: stack.tags.length > 0 ? stack.tags : null,
  };
  if (includeProject) view['project'] = stack.projectId;
  return view;
}

/** A stack as show (and list's `detail`) answer it; `outputs` only when resolved and the stack is not deleted. */
export function stackDetail(root: string, stack: StackRecord, outputs: OutputValue[] | null): JsonObject {
  const view: JsonObject = {
    ...stackSummary(root, stack, false),
    notification_topics: [],
    parameters: stack.parameters,
    template_description: stack.description,
    capabilities: [],
    disable_rollback: stack.disableRollback,
    timeout_mins: stack.timeoutMins,
  };
  if (outputs !== null) view['outputs'] = outputs.map((output) => outputView(output, true));
  return view;
}

/** A previewed stack: no status, its resources' previews in place. */
export function stackPreview(root: string, stack: StackRecord, resources: Json[]): JsonObject {
  const { stack_status: _status, stack_status_reason: _reason, ...rest } = stackDetail(root, stack, null);
  return { ...rest, resources };
}

/** An output; with `resolved`, its value (null on error) and `output_error` when evaluating it failed. */
export function outputView(output: OutputValue, resolved: boolean): JsonObject {
  const view: JsonObject = { output_key: output.key, description: output.description };
  if (!resolved) return view;
  view['output_value'] = output.value ?? null;
  if (output.error !== undefined) view['output_error'] = output.error;
  return view;
}

export interface StackRef {
  projectId: string;
  name: string;
  id: string;
}

/** The resource's URL in its own stack. */
function resourceUrl(root: string, stack: StackRef, name: string): string {
  return `${stackUrl(root, stack)}/resources/${encodeURIComponent(name)}`;
}

/**
 * A resource as the resource list (`detail` false) or show (`detail` true,
 * with description and attributes) answer it. `stack` is the resource's own
 * stack (a nested one under nested_depth); `nested` the stack it owns.
 */
export function resourceView(
  root: string,
  stack: StackRef,
  resource: ResourceRecord,
  extra: { nested?: StackRef; attributes?: JsonObject; parentResource?: string | null } = {},
): JsonObject {
  const links = [link(resourceUrl(root, stack, resource.name)), link(stackUrl(root, stack), 'stack')];
  if (extra.nested) links.push(link(stackUrl(root, extra.nested), 'nested'));
  const view: JsonObject = {
    links,
    logical_resource_id: resource.name,
    resource_name: resource.name,
    physical_resource_id: resource.physicalId ?? '',
    resource_type: resource.type,
    resource_status: `${resource.action}_${resource.status}`,
    resource_status_reason: resource.statusReason,
    creation_time: isoTime(resource.createdAt),
    updated_time: isoTime(resource.updatedAt ?? resource.createdAt),
    required_by: resource.requiredBy,
  };
  if (extra.parentResource) view['parent_resource'] = extra.parentResource;
  if (extra.attributes !== undefined) {
    view['description'] = resource.description;
    view['attributes'] = extra.attributes;
  }
  return view;
}

/** An event; `detail` adds the resource's type and properties (show), the list has the summary keys. */
export function eventView(root: string, stack: StackRef, event: EventRecord, detail: boolean): JsonObject {
  const resource = resourceUrl(root, stack, event.resourceName);
  const view: JsonObject = {
    id: event.id,
    links: [link(`${resource}/events/${encodeURIComponent(event.id)}`), link(resource, 'resource'), link(stackUrl(root, stack), 'stack')],
    event_time: isoTime(event.createdAt),
    logical_resource_id: event.logicalResourceId,
    resource_name: event.resourceName,
    resource_status: `${event.action}_${event.status}`,
    resource_status_reason: event.statusReason,
    physical_resource_id: event.physicalResourceId,
  };
  if (detail) {
    view['resource_type'] = event.resourceType;
    view['resource_properties'] = event.resourceProperties;
  }
  return view;
}

export function snapshotView(snapshot: SnapshotRecord): JsonObject {
  return {
    id: snapshot.id,
    name: snapshot.name,
    stack_id: snapshot.stackId,
    data: snapshot.data,
    status: snapshot.status,
    status_reason: snapshot.statusReason,
    creation_time: isoTime(snapshot.createdAt),
  };
}

/**
 * An environment as validate shows it (Environment.user_env_as_dict): the
 * user's sections, the registry always with its `resources` level.
 */
export function userEnvironmentView(environment: JsonObject): JsonObject {
  const registry = isJsonObject(environment['resource_registry']) ? environment['resource_registry'] : {};
  return {
    parameters: environment['parameters'] ?? {},
    resource_registry: { ...registry, resources: isJsonObject(registry['resources']) ? registry['resources'] : {} },
    parameter_defaults: environment['parameter_defaults'] ?? {},
    event_sinks: environment['event_sinks'] ?? [],
  };
}

/** A stack's stored environment as GET .../environment answers it (env_as_dict: the user's sections and encrypted_param_names). */
export function storedEnvironmentView(environment: JsonObject): JsonObject {
  return { ...userEnvironmentView(environment), encrypted_param_names: environment['encrypted_param_names'] ?? [] };
}
