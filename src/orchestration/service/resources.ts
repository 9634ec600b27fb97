/** A stack's resources: listings (nested_depth, filters), show, metadata, signals and mark-unhealthy. */
import type { CallerContext } from '../../core/context.js';
import { BadRequest, NotFound } from '../../core/errors.js';
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import { setResourceState } from '../engine/events.js';
import { clearHook } from '../engine/hooks.js';
import { resourceContext } from '../engine/resource-context.js';
import { StackRuntime } from '../engine/runtime.js';
import { getStack, type Resource, type Stack } from '../store/index.js';
import { lookupStack } from './access.js';
import type { StackServiceParts } from './deps.js';
import type { ResourceListQuery, ResourceRecord } from './types.js';
import { resourceRecord } from './views.js';

function resourceNotFound(name: string, stack: Stack): NotFound {
  return new NotFound(`The Resource (${name}) could not be found in Stack ${stack.name}.`, { type: 'ResourceNotFound' });
}

export async function listResources(parts: StackServiceParts, caller: CallerContext, stackId: string, query: ResourceListQuery): Promise<ResourceRecord[]> {
  const stack = await lookupStack(parts.deps, caller, stackId, 'resource:index');
  const records: ResourceRecord[] = [];
  await collect(parts, caller, stack, query.nestedDepth ?? 0, records);
  return records.filter((r) => matches(r, query));
}

/** The stack's current resources, then (down to `depth` levels) those of the nested stacks they own. */
async function collect(parts: StackServiceParts, caller: CallerContext, stack: Stack, depth: number, into: ResourceRecord[]): Promise<void> {
  const runtime = await StackRuntime.load(parts.deps, stack.id, caller);
  const current = [...runtime.resources.values()];
  for (const resource of current) into.push(resourceRecord(resource, stack, current));
  if (depth <= 0) return;
  for (const resource of current) {
    const child = resource.nestedStackId ? await getStack(parts.deps.db, resource.nestedStackId) : null;
    if (child && child.deletedAt === null) await collect(parts, caller, child, depth - 1, into);
  }
}

function matches(record: ResourceRecord, query: ResourceListQuery): boolean {
  const within = (values: string[] | undefined, value: string | null) => values === undefined || (value !== null && values.includes(value));
  return (
    within(query.name, record.name) &&
    within(query.type, record.type) &&
    within(query.status, record.status) &&
    within(query.action, record.action) &&
    within(query.id, record.uuid) &&
    within(query.physicalResourceId, record.physicalId)
  );
}

/**
 * The resource, on the stack loaded to act as the request's caller, or (for
 * signals, which Heat handles with the stack's stored context) as the stack's
 * deferred caller.
 */
async function resourceIn(parts: StackServiceParts, caller: CallerContext | null, stackId: string, name: string, rule: string, acting: 'request' | 'stack') {
  const stack = caller ? await lookupStack(parts.deps, caller, stackId, rule) : await getStack(parts.deps.db, stackId);
  if (!stack || stack.deletedAt !== null) throw new NotFound(`The Stack (${stackId}) could not be found.`, { type: 'EntityNotFound' });
  const runtime = await StackRuntime.load(parts.deps, stack.id, acting === 'request' ? (caller ?? undefined) : undefined);
  const resource = runtime.resources.get(name);
  if (!resource) throw resourceNotFound(name, stack);
  return { stack, runtime, resource };
}

export async function showResource(
  parts: StackServiceParts,
  caller: CallerContext,
  stackId: string,
  name: string,
): Promise<ResourceRecord & { attributes: JsonObject; properties: JsonObject }> {
  const { stack, runtime, resource } = await resourceIn(parts, caller, stackId, name, 'resource:show', 'request');
  const attributes: JsonObject = {};
  const plugin = runtime.plugin(resource.type, resource.name);
  for (const attribute of Object.keys(plugin.attributes)) attributes[attribute] = await attributeOrNull(parts, runtime, resource, attribute);
  const record = resourceRecord(resource, stack, [...runtime.resources.values()]);
  return { ...record, metadata: await liveMetadata(parts, runtime, resource), attributes, properties: resource.properties };
}

/** An attribute the object cannot give now (gone, not made yet) shows as null, as in Heat's resource show. */
async function attributeOrNull(parts: StackServiceParts, runtime: StackRuntime, resource: Resource, attribute: string): Promise<Json> {
  try {
    return await parts.engine.readAttribute(runtime, resource, attribute);
  } catch {
    return null;
  }
}

export async function resourceMetadata(parts: StackServiceParts, caller: CallerContext, stackId: string, name: string): Promise<JsonObject> {
  const { runtime, resource } = await resourceIn(parts, caller, stackId, name, 'resource:metadata', 'request');
  return liveMetadata(parts, runtime, resource);
}

/**
 * A resource's metadata; a server's `deployments` list (present when its
 * user_data_format is SOFTWARE_CONFIG) is the software deployments that
 * target it now, from any stack of the project, as Heat keeps it updated.
 */
async function liveMetadata(parts: StackServiceParts, runtime: StackRuntime, resource: Resource): Promise<JsonObject> {
  const { metadata } = resource;
  const serverDeployments = parts.deps.softwareConfigs.serverDeployments;
  if (!('deployments' in metadata) || resource.physicalId === null || !serverDeployments) return metadata;
  const deployments = await serverDeployments.call(parts.deps.softwareConfigs, runtime.caller, resource.physicalId);
  return { ...metadata, deployments };
}

/** A signal; `{"unset_hook": ...}` clears a breakpoint, anything else goes to the type's signal handler. */
export async function signalResource(parts: StackServiceParts, caller: CallerContext | null, stackId: string, name: string, details: Json): Promise<void> {
  const { stack, runtime, resource } = await resourceIn(parts, caller, stackId, name, 'resource:signal', 'stack');
  if (isJsonObject(details) && 'unset_hook' in details) return clearHook(parts.deps.db, stack, resource, details.unset_hook ?? null);
  const plugin = runtime.plugin(resource.type, resource.name);
  if (!plugin.signal) throw new BadRequest('Signal is not supported for resource.', { type: 'ResourceActionNotSupported' });
  await plugin.signal(resourceContext(parts.engine, runtime, resource, new AbortController().signal), details);
}

export async function markUnhealthy(
  parts: StackServiceParts,
  caller: CallerContext,
  stackId: string,
  name: string,
  unhealthy: boolean,
  reason: string,
): Promise<void> {
  const { stack, resource } = await resourceIn(parts, caller, stackId, name, 'resource:mark_unhealthy', 'request');
  if (unhealthy) {
    await setResourceState(parts.deps.db, stack, resource, 'CHECK', 'FAILED', reason || 'state changed by resource_mark_unhealthy');
  } else if (resource.action === 'CHECK' && resource.status === 'FAILED') {
    await setResourceState(parts.deps.db, stack, resource, 'CHECK', 'COMPLETE', reason || 'state changed by resource_mark_unhealthy');
  }
}
