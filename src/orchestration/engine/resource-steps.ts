/**
 * One resource's create, update, delete and simple actions, each recorded
 * as Heat does (an IN_PROGRESS and a COMPLETE or FAILED event with its
 * reasons). Every step reads the row first and skips work a crashed attempt
 * already completed, so the engine can run it again after a restart.
 */
import { BadRequest } from '../../core/errors.js';
import { uuid } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import type { PropertyChange, ResourcePlugin } from '../resources/types.js';
import type { StackAction } from '../service/types.js';
import type { Insertable } from 'kysely';
import { insertResource, updateResource, type AppliedDefinition, type Resource } from '../store/index.js';
import type { ResourceTable } from '../store/tables.js';
import type { ResourceDefinition } from '../template/types.js';
import { failureReason, ResourceFailure, setResourceState } from './events.js';
import { forgetHook, pauseAtHook } from './hooks.js';
import { checkedProperties } from './properties.js';
import { resourceContext, resourceState, stackInfo, type ContextServices } from './resource-context.js';
import type { AttributeReader, StackRuntime } from './runtime.js';

const STATE_CHANGED = 'state changed';

export function appliedDefinition(def: ResourceDefinition): AppliedDefinition {
  return {
    type: def.type,
    properties: def.properties,
    metadata: def.metadata,
    deletionPolicy: def.deletionPolicy,
    updatePolicy: def.updatePolicy,
    ...(def.description !== undefined && { description: def.description }),
  };
}

/** Heat's physical_resource_name: `<stack>-<resource>-<12 random characters>`, stable across attempts. */
export function physicalName(stackName: string, resourceName: string): string {
  const suffix = uuid().replace(/-/g, '').slice(0, 12);
  return `${stackName}-${resourceName}-${suffix}`;
}

/** A resource row before its first action (INIT COMPLETE, as Heat lists resources not made yet). */
export function initResourceRow(
  stack: { id: string; name: string },
  def: ResourceDefinition,
  dependsOn: string[],
  replaces: string | null,
): Insertable<ResourceTable> {
  return {
    id: uuid(),
    stack_id: stack.id,
    name: def.name,
    type: def.type,
    physical_id: null,
    physical_name: physicalName(stack.name, def.name),
    action: 'INIT',
    status: 'COMPLETE',
    status_reason: '',
    definition: JSON.stringify(appliedDefinition(def)),
    properties: '{}',
    data: '{}',
    metadata: '{}',
    depends_on: JSON.stringify(dependsOn),
    nested_stack_id: null,
    replaces,
    replaced_by: null,
    created_at: nowIso(),
    updated_at: null,
  };
}

async function insertInitResource(runtime: StackRuntime, def: ResourceDefinition, replaces: string | null): Promise<Resource> {
  const row = initResourceRow(runtime.stack, def, runtime.dependencies(def), replaces);
  await insertResource(runtime.deps.db, row);
  await runtime.refresh();
  return runtime.rows.find((r) => r.id === row.id)!;
}

export class ResourceSteps {
  constructor(
    private readonly services: ContextServices,
    readonly readAttribute: AttributeReader,
  ) {}

  /** Resolves and validates a definition's properties for its plugin. */
  async properties(runtime: StackRuntime, def: ResourceDefinition, plugin: ResourcePlugin): Promise<JsonObject> {
    const resolved = await runtime.resolve(def.properties ?? {}, this.readAttribute);
    return checkedProperties(runtime.deps, runtime.caller, plugin, def.name, resolved, stackInfo(runtime.stack));
  }

  async create(runtime: StackRuntime, def: ResourceDefinition, signal: AbortSignal): Promise<void> {
    const resource = runtime.resources.get(def.name) ?? (await insertInitResource(runtime, def, null));
    if (resource.action === 'CREATE' && resource.status === 'COMPLETE') return;
    const { db } = runtime.deps;
    await pauseAtHook(db, runtime.stack, resource, 'pre-create', runtime.deps.hookPollMs, signal);
    await this.#guard(runtime, resource, 'CREATE', async () => {
      const plugin = runtime.plugin(def.type, def.name);
      const properties = await this.properties(runtime, def, plugin);
      const metadata = await runtime.resolve(def.metadata ?? {}, this.readAttribute);
      await updateResource(db, resource.id, {
        properties: JSON.stringify(properties),
        metadata: JSON.stringify(isJsonObject(metadata) ? metadata : {}),
        definition: JSON.stringify(appliedDefinition(def)),
      });
      resource.properties = properties;
      resource.metadata = isJsonObject(metadata) ? metadata : {};
      await plugin.create(resourceContext(this.services, runtime, resource, signal, await this.#updatePolicy(runtime, def)), properties);
    });
    await forgetHook(db, resource, 'pre-create');
  }

  /**
   * Heat's adopt of one resource: its row already holds the abandoned
   * stack's physical id, data and metadata; the step records the resolved
   * properties and takes the object over, making nothing.
   */
  async adopt(runtime: StackRuntime, def: ResourceDefinition): Promise<void> {
    const resource = runtime.resources.get(def.name);
    if (!resource || (resource.action === 'ADOPT' && resource.status === 'COMPLETE')) return;
    await this.#guard(runtime, resource, 'ADOPT', async () => {
      if (resource.physicalId === null) throw new Error('Resource ID was not provided.');
      const plugin = runtime.plugin(def.type, def.name);
      const properties = await this.properties(runtime, def, plugin);
      await updateResource(runtime.deps.db, resource.id, { properties: JSON.stringify(properties), definition: JSON.stringify(appliedDefinition(def)) });
      resource.properties = properties;
    });
  }

  /**
   * Brings an existing resource to `def`: nothing when its resolved properties
   * are unchanged, the plugin's update when only update-allowed ones changed,
   * else a replacement (created now; the old row is deleted by the clean-up).
   */
  async update(runtime: StackRuntime, def: ResourceDefinition, signal: AbortSignal): Promise<void> {
    const existing = runtime.resources.get(def.name);
    if (!existing) return this.create(runtime, def, signal);
    const { db } = runtime.deps;
    if (existing.replaces !== null) {
      // A rollback finds the resource it replaced still there: that one comes back instead of a new one.
      const replaced = runtime.rows.find((r) => r.id === existing.replaces && r.replacedBy === existing.id);
      if (replaced && replaced.status === 'COMPLETE' && sameJson(replaced.definition as unknown as Json, appliedDefinition(def) as unknown as Json)) {
        const plugin = runtime.plugin(replaced.type, replaced.name);
        if (plugin.restorePrevious) {
          const restore = plugin.restorePrevious.bind(plugin);
          await this.#beforeReplace(runtime, existing, () => restore(resourceContext(this.services, runtime, replaced, signal), resourceState(existing)));
        }
        await updateResource(db, replaced.id, { replaced_by: null });
        await updateResource(db, existing.id, { replaced_by: replaced.id });
        await runtime.refresh();
        return this.update(runtime, def, signal);
      }
      if (!(existing.action === 'CREATE' && existing.status === 'COMPLETE')) return this.create(runtime, def, signal);
    }
    await pauseAtHook(db, runtime.stack, existing, 'pre-update', runtime.deps.hookPollMs, signal);
    await forgetHook(db, existing, 'pre-update');
    const plugin = runtime.plugin(def.type, def.name);
    const properties = await this.properties(runtime, def, plugin);
    const change: PropertyChange = { properties, previous: existing.properties, changed: changedKeys(existing.properties, properties) };
    const failed = existing.status === 'FAILED' || existing.action === 'INIT';
    if (!failed && existing.type === def.type && change.changed.length === 0) {
      await updateResource(db, existing.id, { definition: JSON.stringify(appliedDefinition(def)), depends_on: JSON.stringify(runtime.dependencies(def)) });
      return;
    }
    const replace =
      failed ||
      existing.type !== def.type ||
      needsReplace(plugin, change) ||
      (await plugin.replacesOnUpdate?.(resourceContext(this.services, runtime, existing, signal), change));
    if (replace) {
      await this.#replace(runtime, existing, def, signal);
      return;
    }
    const immutable = change.changed.filter((name) => plugin.properties[name]?.immutable);
    if (immutable.length > 0) {
      throw new BadRequest(`Update to properties ${immutable.join(', ')} of ${def.name} (${def.type}) is not supported.`, { type: 'NotSupported' });
    }
    await this.#guard(runtime, existing, 'UPDATE', async () => {
      await plugin.update?.(resourceContext(this.services, runtime, existing, signal, await this.#updatePolicy(runtime, def)), change);
      existing.properties = properties;
      await updateResource(db, existing.id, {
        properties: JSON.stringify(properties),
        definition: JSON.stringify(appliedDefinition(def)),
        depends_on: JSON.stringify(runtime.dependencies(def)),
      });
    });
  }

  async #replace(runtime: StackRuntime, existing: Resource, def: ResourceDefinition, signal: AbortSignal): Promise<void> {
    const plugin = runtime.plugin(existing.type, existing.name);
    if (plugin.prepareForReplace) {
      const prepare = plugin.prepareForReplace.bind(plugin);
      await this.#beforeReplace(runtime, existing, () => prepare(resourceContext(this.services, runtime, existing, signal), existing.properties));
    }
    const replacement = await insertInitResource(runtime, def, existing.id);
    await updateResource(runtime.deps.db, existing.id, { replaced_by: replacement.id });
    await runtime.refresh();
    await this.create(runtime, def, signal);
  }

  /**
   * A plugin's prepare or restore around a replacement. Heat records no event
   * when it succeeds; a failure leaves `resource` UPDATE FAILED with the reason.
   */
  async #beforeReplace(runtime: StackRuntime, resource: Resource, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      const reason = failureReason(error, resource.name);
      await setResourceState(runtime.deps.db, runtime.stack, resource, 'UPDATE', 'FAILED', reason);
      throw new ResourceFailure(reason, { cause: error });
    }
  }

  /** Deletes the object (kept with DeletionPolicy Retain); "already gone" is done. */
  async delete(runtime: StackRuntime, resource: Resource, signal: AbortSignal): Promise<void> {
    if (resource.action === 'DELETE' && resource.status === 'COMPLETE') return;
    const { db } = runtime.deps;
    await pauseAtHook(db, runtime.stack, resource, 'pre-delete', runtime.deps.hookPollMs, signal);
    const neverCreated = resource.action === 'INIT' && resource.physicalId === null && resource.nestedStackId === null;
    if (neverCreated) {
      await updateResource(db, resource.id, { action: 'DELETE', status: 'COMPLETE', status_reason: '' });
      Object.assign(resource, { action: 'DELETE', status: 'COMPLETE' });
      return;
    }
    await this.#guard(runtime, resource, 'DELETE', async () => {
      if (resource.definition.deletionPolicy === 'Retain') return;
      const plugin = runtime.plugin(resource.type, resource.name);
      await plugin.delete(resourceContext(this.services, runtime, resource, signal));
    });
  }

  /** Suspend, resume or check: the plugin's method, or Heat's default where a type has none. */
  async simple(runtime: StackRuntime, resource: Resource, action: 'SUSPEND' | 'RESUME' | 'CHECK', signal: AbortSignal): Promise<void> {
    if (resource.action === action && resource.status === 'COMPLETE') return;
    if (resource.action === 'INIT') return;
    const plugin = runtime.plugin(resource.type, resource.name);
    const method = { SUSPEND: plugin.suspend, RESUME: plugin.resume, CHECK: plugin.check }[action];
    if (action === 'CHECK' && !method) {
      await setResourceState(runtime.deps.db, runtime.stack, resource, 'CHECK', 'COMPLETE', `CHECK not supported for ${resource.type}`);
      return;
    }
    await this.#guard(runtime, resource, action, async () => {
      await method?.call(plugin, resourceContext(this.services, runtime, resource, signal));
    });
  }

  /** IN_PROGRESS, the work, then COMPLETE or FAILED with Heat's reason (thrown on as a ResourceFailure). */
  /** The definition's update_policy resolved (`get_param` inside it), for the types that act on it. */
  async #updatePolicy(runtime: StackRuntime, def: ResourceDefinition): Promise<JsonObject> {
    const resolved = await runtime.resolve(def.updatePolicy ?? {}, this.readAttribute);
    return isJsonObject(resolved) ? resolved : {};
  }

  async #guard(runtime: StackRuntime, resource: Resource, action: StackAction, work: () => Promise<void>): Promise<void> {
    const { db } = runtime.deps;
    if (!(resource.action === action && resource.status === 'IN_PROGRESS')) {
      await setResourceState(db, runtime.stack, resource, action, 'IN_PROGRESS', STATE_CHANGED);
    }
    try {
      await work();
    } catch (error) {
      const reason = failureReason(error, resource.name);
      await setResourceState(db, runtime.stack, resource, action, 'FAILED', reason);
      throw new ResourceFailure(reason, { cause: error });
    }
    await setResourceState(db, runtime.stack, resource, action, 'COMPLETE', STATE_CHANGED);
  }
}

export function needsReplace(plugin: ResourcePlugin, change: PropertyChange): boolean {
  if (plugin.needsReplace) return plugin.needsReplace(change);
  return change.changed.some((name) => !plugin.properties[name]?.updateAllowed);
}

export function changedKeys(before: JsonObject, after: JsonObject): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => !sameJson(before[key], after[key]));
}

function sameJson(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: Json | undefined): Json | undefined {
  if (Array.isArray(value)) return value.map((v) => canonical(v) ?? null);
  if (isJsonObject(value))
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical(value[k]) ?? null]),
    );
  return value;
}
