/**
 * The stack service (service/types.ts) over the engine: the API calls it,
 * it checks Heat's policy and the caller's project, stores each change with
 * the task that carries it out, and reads records for the API's views.
 *
 * Delegation: a stack keeps its owner's caller context (core's StoredCaller,
 * never a token) and its operations act with it, also after the token that
 * created the stack has expired. This is the service-held delegation Nimbus
 * uses until Keystone trusts exist; Heat keeps a trust for the same purpose.
 */
import { StackEngine } from '../engine/engine.js';
import { defineStackTask } from '../engine/tasks.js';
import type { StackServiceDeps } from './deps.js';
import { listEvents, showEvent } from './events.js';
import { listResourceTypes, resourceTypeSchema, resourceTypeTemplate } from './resource-types.js';
import { listResources, markUnhealthy, resourceMetadata, showResource, signalResource } from './resources.js';
import { abandonStack, createSnapshot, deleteSnapshot, deleteStack, listSnapshots, restoreSnapshot, showSnapshot, stackAction } from './stack-actions.js';
import { createStack, previewStack } from './stack-create.js';
import { countListedStacks, exportStack, findStack, getStackByIdentity, listStacks, stackOutput, stackOutputs } from './stack-read.js';
import { previewStackUpdate, updateStack } from './stack-update.js';
import type { StackService } from './types.js';
import { validateStackTemplate } from './validate.js';

export type { StackServiceDeps } from './deps.js';

/** Builds the service and defines its task kind on `deps.tasks` (call once, at wiring time). */
export function stackService(deps: StackServiceDeps): StackService {
  const engine = new StackEngine(deps);
  const parts = { deps, engine, kind: defineStackTask(deps.tasks, engine) };
  return {
    create: (caller, request) => createStack(parts, caller, request),
    preview: (caller, request) => previewStack(parts, caller, request),
    list: (caller, query) => listStacks(parts, caller, query),
    count: (caller, query) => countListedStacks(parts, caller, query),
    find: (caller, nameOrId, options) => findStack(parts, caller, nameOrId, options),
    get: (caller, name, id) => getStackByIdentity(parts, caller, name, id),
    update: (caller, stackId, request) => updateStack(parts, caller, stackId, request),
    previewUpdate: (caller, stackId, request) => previewStackUpdate(parts, caller, stackId, request),
    delete: (caller, stackId) => deleteStack(parts, caller, stackId),
    abandon: (caller, stackId) => abandonStack(parts, caller, stackId),
    export: (caller, stackId) => exportStack(parts, caller, stackId),
    outputs: (caller, stackId) => stackOutputs(parts, caller, stackId),
    output: (caller, stackId, key) => stackOutput(parts, caller, stackId, key),
    action: (caller, stackId, action) => stackAction(parts, caller, stackId, action),
    validate: (caller, request) => validateStackTemplate(parts, caller, request),
    resources: (caller, stackId, query) => listResources(parts, caller, stackId, query),
    resource: (caller, stackId, name) => showResource(parts, caller, stackId, name),
    resourceMetadata: (caller, stackId, name) => resourceMetadata(parts, caller, stackId, name),
    signal: (caller, stackId, name, details) => signalResource(parts, caller, stackId, name, details),
    markUnhealthy: (caller, stackId, name, unhealthy, reason) => markUnhealthy(parts, caller, stackId, name, unhealthy, reason),
    events: (caller, stackId, query) => listEvents(parts, caller, stackId, query),
    event: (caller, stackId, resourceName, eventId) => showEvent(parts, caller, stackId, resourceName, eventId),
    snapshots: (caller, stackId) => listSnapshots(parts, caller, stackId),
    snapshot: (caller, stackId, snapshotId) => showSnapshot(parts, caller, stackId, snapshotId),
    createSnapshot: (caller, stackId, name) => createSnapshot(parts, caller, stackId, name),
    deleteSnapshot: (caller, stackId, snapshotId) => deleteSnapshot(parts, caller, stackId, snapshotId),
    restoreSnapshot: (caller, stackId, snapshotId) => restoreSnapshot(parts, caller, stackId, snapshotId),
    resourceTypes: (caller, filter) => listResourceTypes(parts, caller, filter),
    resourceTypeSchema: (caller, type) => resourceTypeSchema(parts, caller, type),
    resourceTypeTemplate: (caller, type, templateType) => resourceTypeTemplate(parts, caller, type, templateType),
  };
}
