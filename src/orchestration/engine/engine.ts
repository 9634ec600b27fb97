/**
 * The stack engine: runs a stack's operation, whatever phase its row says
 * (CREATE, UPDATE, ROLLBACK, DELETE, ...), until the stack leaves
 * IN_PROGRESS. The row is the state machine and the resource rows are the
 * progress, so running it again after a crash resumes where it stopped.
 */
import { reviveCaller, type StoredCaller } from '../../core/context.js';
import { BadRequest } from '../../core/errors.js';
import type { Json } from '../json.js';
import type { NestedStacks } from '../resources/types.js';
import type { StackAction } from '../service/types.js';
import type { ResourceDefinition } from '../template/types.js';
import {
  deleteResource,
  deleteSnapshotRow,
  deleteStackResources,
  finishOperation,
  getStack,
  stackSnapshots,
  updateSnapshot,
  updateStack,
  type Resource,
  type Stack,
} from '../store/index.js';
import { releaseTrust } from './deferred-auth.js';
import type { EngineDeps } from './deps.js';
import { failureReason, stackEvent } from './events.js';
import { NestedStackHandle } from './nested.js';
import { resourceContext, type ContextServices } from './resource-context.js';
import { ResourceSteps } from './resource-steps.js';
import { followPath, StackRuntime, type AttributeReader } from './runtime.js';
import { deleteResourceSnapshots, snapshotData, takeResourceSnapshots } from './snapshot-data.js';
import { reverseEdges, walkGraph } from './walk.js';
import { OperationWatch, type StopReason } from './watch.js';

export interface OperationPayload {
  stackId: string;
  /** The lock the operation holds; the task ends when the stack's lock is another. */
  operation: string;
  /** When the operation started, for the stack's timeout. */
  startedAt: string;
  /** SNAPSHOT: the snapshot row to fill. */
  snapshotId?: string;
  /**
   * DELETE: who asked for it. The delete acts as them, as Heat's delete acts
   * with the request's context, so an admin can still delete a stack whose
   * owner, and with them the trust, are gone.
   */
  requestedBy?: StoredCaller;
}

/** Stacks without `timeout_mins` get Heat's stack_action_timeout (one hour). */
const DEFAULT_TIMEOUT_MINS = 60;

export class StackEngine implements ContextServices {
  readonly steps: ResourceSteps;
  /** `readAttribute` as a function, for scopes. */
  readonly attributeReader: AttributeReader = (runtime, resource, attribute, path) => this.readAttribute(runtime, resource, attribute, path);

  constructor(readonly deps: EngineDeps) {
    this.steps = new ResourceSteps(this, this.attributeReader);
  }

  /** `get_attr`: the plugin's attribute (or `show`), then the path into it. */
  async readAttribute(runtime: StackRuntime, resource: Resource, attribute: string, path: Json[] = []): Promise<Json> {
    const plugin = runtime.plugin(resource.type, resource.name);
    const ctx = resourceContext(this, runtime, resource, new AbortController().signal);
    if (attribute === 'show') return followPath(plugin.show ? await plugin.show(ctx) : null, path);
    if (!(attribute in plugin.attributes) && !plugin.dynamicAttributes) {
      throw new BadRequest(`The Referenced Attribute (${resource.name} ${attribute}) is incorrect.`, { type: 'InvalidTemplateAttribute' });
    }
    if (plugin.resolveAttributePath) return plugin.resolveAttributePath(ctx, attribute, path);
    return followPath(await plugin.resolveAttribute(ctx, attribute), path);
  }

  nestedStacks(runtime: StackRuntime, resource: Resource, signal: AbortSignal): NestedStacks {
    return new NestedStackHandle(this, runtime, resource, signal);
  }

  async invokeSibling(runtime: StackRuntime, name: string, method: string, args: Json, signal: AbortSignal): Promise<Json> {
    await runtime.refresh();
    const resource = runtime.resources.get(name);
    if (!resource) throw new BadRequest(`The Resource (${name}) could not be found in Stack ${runtime.stack.name}.`, { type: 'ResourceNotFound' });
    const plugin = runtime.plugin(resource.type, resource.name);
    if (!plugin.invoke) throw new BadRequest(`${method} is not supported for resource.`, { type: 'ResourceActionNotSupported' });
    return plugin.invoke(resourceContext(this, runtime, resource, signal), method, args);
  }

  /** Runs the operation's phases until the stack leaves IN_PROGRESS or another operation holds its lock. */
  async run(payload: OperationPayload, outer: AbortSignal): Promise<void> {
    for (;;) {
      const stack = await getStack(this.deps.db, payload.stackId);
      if (!stack || stack.lockOperation !== payload.operation) return;
      const runtime = await StackRuntime.load(this.deps, stack.id, payload.requestedBy && reviveCaller(payload.requestedBy));
      const watch = new OperationWatch(this.deps.db, stack.id, payload.operation, deadline(stack, payload), outer);
      try {
        await this.#phase(runtime, payload, watch.signal);
        await this.#succeeded(runtime, payload);
        return;
      } catch (error) {
        if (watch.reason === 'superseded') return;
        if (watch.reason === 'lease-lost') throw error;
        if (!(await this.#failed(runtime, payload, error, watch.reason))) return;
      } finally {
        watch.stop();
      }
    }
  }

  async #phase(runtime: StackRuntime, payload: OperationPayload, signal: AbortSignal): Promise<void> {
    const { stack } = runtime;
    switch (stack.action) {
      case 'CREATE':
        return this.#create(runtime, signal);
      case 'ADOPT':
        await this.#walkDefinitions(runtime, (def) => this.steps.adopt(runtime, def));
        return;
      case 'UPDATE':
      case 'RESTORE':
        return this.#update(runtime, signal);
      case 'ROLLBACK':
        // An update's rollback goes back to the kept definition; a create's deletes what was made.
        return stack.previous ? this.#update(runtime, signal) : this.#deleteRows(runtime, runtime.rows, signal);
      case 'DELETE':
        await this.#deleteSnapshots(runtime);
        await this.#deleteRows(runtime, runtime.rows, signal);
        // After the resources, which act through it.
        return releaseTrust(this.deps, runtime.stack);
      case 'SUSPEND':
        return this.#simple(runtime, 'SUSPEND', true, signal);
      case 'RESUME':
        return this.#simple(runtime, 'RESUME', false, signal);
      case 'CHECK':
        return this.#simple(runtime, 'CHECK', false, signal);
      case 'SNAPSHOT': {
        if (!payload.snapshotId) return;
        await takeResourceSnapshots(this, runtime, signal);
        const data = await snapshotData(runtime);
        await updateSnapshot(this.deps.db, payload.snapshotId, {
          status: 'COMPLETE',
          status_reason: 'Stack SNAPSHOT completed successfully',
          data: JSON.stringify(data),
        });
        return;
      }
      default:
        throw new Error(`no engine phase for ${stack.action}`);
    }
  }

  /** Runs `step` on each resource of the template in dependency order; returns the names walked. */
  async #walkDefinitions(runtime: StackRuntime, step: (def: ResourceDefinition) => Promise<void>): Promise<Set<string>> {
    const defs = runtime.definitions();
    const byName = new Map(defs.map((d) => [d.name, d]));
    await walkGraph(
      defs.map((d) => d.name),
      (name) => runtime.dependencies(byName.get(name)!),
      (name) => step(byName.get(name)!),
    );
    return new Set(byName.keys());
  }

  async #create(runtime: StackRuntime, signal: AbortSignal): Promise<void> {
    await this.#walkDefinitions(runtime, (def) => this.steps.create(runtime, def, signal));
  }

  /** Brings every resource to the stack's (new) template, then deletes the removed and the replaced ones. */
  async #update(runtime: StackRuntime, signal: AbortSignal): Promise<void> {
    const names = await this.#walkDefinitions(runtime, (def) => this.steps.update(runtime, def, signal));
    await runtime.refresh();
    const leftovers = runtime.rows.filter((r) => r.replacedBy !== null || !names.has(r.name));
    await this.#deleteRows(runtime, leftovers, signal);
    for (const row of leftovers) await deleteResource(this.deps.db, row.id);
  }

  /** Deletes rows in reverse dependency order (a resource after everything that depends on it). */
  async #deleteRows(runtime: StackRuntime, rows: Resource[], signal: AbortSignal): Promise<void> {
    const ids = rows.map((r) => r.id);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const dependsOn = (id: string) => {
      const names = byId.get(id)!.dependsOn;
      return rows.filter((r) => names.includes(r.name)).map((r) => r.id);
    };
    await walkGraph(ids, reverseEdges(ids, dependsOn), (id) => this.steps.delete(runtime, byId.get(id)!, signal));
  }

  /** A deleted stack's snapshots go with it, and what its resources made for them (Heat deletes them first). */
  async #deleteSnapshots(runtime: StackRuntime): Promise<void> {
    for (const snapshot of await stackSnapshots(this.deps.db, runtime.stack.id)) {
      await deleteResourceSnapshots(this.deps, runtime.caller, snapshot.data);
      await deleteSnapshotRow(this.deps.db, snapshot.id);
    }
  }

  async #simple(runtime: StackRuntime, action: 'SUSPEND' | 'RESUME' | 'CHECK', reverse: boolean, signal: AbortSignal): Promise<void> {
    const rows = [...runtime.resources.values()];
    const names = rows.map((r) => r.name);
    const byName = new Map(rows.map((r) => [r.name, r]));
    const forward = (name: string) => byName.get(name)!.dependsOn;
    await walkGraph(names, reverse ? reverseEdges(names, forward) : forward, (name) => this.steps.simple(runtime, byName.get(name)!, action, signal));
  }

  async #succeeded(runtime: StackRuntime, payload: OperationPayload): Promise<void> {
    const { stack } = runtime;
    const reason = `Stack ${stack.action} completed successfully`;
    const changes = stack.action === 'DELETE' ? { deleted_at: new Date().toISOString() } : {};
    const done = await finishOperation(this.deps.db, stack.id, payload.operation, { ...changes, status: 'COMPLETE', status_reason: reason, previous: null });
    if (!done) return;
    await stackEvent(this.deps.db, stack, stack.action, 'COMPLETE', reason);
    // A deleted stack and a rolled-back create keep no resources.
    if (stack.action === 'DELETE' || (stack.action === 'ROLLBACK' && !stack.previous)) await deleteStackResources(this.deps.db, stack.id);
  }

  /** Records the failure; true when a rollback phase follows. */
  async #failed(runtime: StackRuntime, payload: OperationPayload, error: unknown, stop: StopReason | null): Promise<boolean> {
    const { stack } = runtime;
    const { db } = this.deps;
    const reason = failedReason(stack.action, error, stop);
    const rollback = rollbackAfter(stack, stop);
    await stackEvent(db, stack, stack.action, 'FAILED', reason);
    if (payload.snapshotId) await updateSnapshot(db, payload.snapshotId, { status: 'FAILED', status_reason: reason });
    if (!rollback) {
      await finishOperation(db, stack.id, payload.operation, { status: 'FAILED', status_reason: reason });
      return false;
    }
    const restore = stack.action === 'UPDATE' && stack.previous ? stack.previous : null;
    await updateStack(db, stack.id, {
      action: 'ROLLBACK',
      status: 'IN_PROGRESS',
      status_reason: 'Stack ROLLBACK started',
      lock_action: 'ROLLBACK',
      ...(restore && {
        template: JSON.stringify(restore.template),
        environment: JSON.stringify(restore.environment),
        files: JSON.stringify(restore.files),
        parameters: JSON.stringify(restore.parameters),
      }),
    });
    await stackEvent(db, stack, 'ROLLBACK', 'IN_PROGRESS', 'Stack ROLLBACK started');
    return true;
  }
}

/** Heat's stack status reason for a failed phase. */
function failedReason(action: StackAction, error: unknown, stop: StopReason | null): string {
  if (stop === 'timeout') return `${action.charAt(0)}${action.slice(1).toLowerCase()} timed out`;
  if (stop === 'cancel' || stop === 'cancel-without-rollback') return `Stack ${action} cancelled`;
  const detail = error instanceof Error && error.name === 'ResourceFailure' ? error.message : failureReason(error, 'unknown');
  return `Resource ${action} failed: ${detail}`;
}

/** Create and update roll back unless the stack disables it; a cancel rolls back, a cancel without rollback does not. */
function rollbackAfter(stack: Stack, stop: StopReason | null): boolean {
  if (stack.action !== 'CREATE' && stack.action !== 'UPDATE') return false;
  if (stop === 'cancel') return true;
  if (stop === 'cancel-without-rollback') return false;
  return !stack.disableRollback;
}

function deadline(stack: Stack, payload: OperationPayload): number | null {
  if (stack.action !== 'CREATE' && stack.action !== 'UPDATE') return null;
  return Date.parse(payload.startedAt) + (stack.timeoutMins ?? DEFAULT_TIMEOUT_MINS) * 60_000;
}
