/** The ResourceContext a plugin call gets: the stack owner's authority and durable bookkeeping on the resource row. */
import type { Json, JsonObject } from '../json.js';
import type { NestedStacks, ResourceContext, ResourceState, SiblingResource, StackInfo } from '../resources/types.js';
import { changeResourceData, getResource, updateResource, type HeatDb, type Resource, type Stack } from '../store/index.js';
import type { StackRuntime } from './runtime.js';

/** Resource data keys the engine keeps for itself (hook state); plugins never see them. */
export const ENGINE_DATA_PREFIX = 'heat-engine:';

/** What a context needs from the engine beyond the stack. */
export interface ContextServices {
  nestedStacks(runtime: StackRuntime, resource: Resource, signal: AbortSignal): NestedStacks;
  invokeSibling(runtime: StackRuntime, name: string, method: string, args: Json, signal: AbortSignal): Promise<Json>;
}

export function resourceState(resource: Resource): ResourceState {
  const data = Object.fromEntries(Object.entries(resource.data).filter(([key]) => !key.startsWith(ENGINE_DATA_PREFIX)));
  return {
    name: resource.name,
    uuid: resource.id,
    type: resource.type,
    physicalId: resource.physicalId,
    physicalName: resource.physicalName,
    data,
    metadata: resource.metadata,
  };
}

/** Another resource of the stack as a plugin may read it, fresh from its row. */
async function siblingView(db: HeatDb, row: Resource): Promise<SiblingResource | null> {
  const fresh = await getResource(db, row.id);
  if (!fresh) return null;
  const { data } = resourceState(fresh);
  return { name: fresh.name, type: fresh.type, physicalId: fresh.physicalId, data, metadata: fresh.metadata, status: `${fresh.action}_${fresh.status}` };
}

export function stackInfo(stack: Stack): StackInfo {
  return {
    id: stack.id,
    name: stack.name,
    projectId: stack.projectId,
    nestedDepth: stack.nestedDepth,
    timeoutMins: stack.timeoutMins,
    environment: stack.environment,
    files: stack.files,
  };
}

export function resourceContext(
  services: ContextServices,
  runtime: StackRuntime,
  resource: Resource,
  signal: AbortSignal,
  updatePolicy?: JsonObject,
): ResourceContext {
  const { deps, stack } = runtime;
  const db = deps.db;
  const state = { ...resourceState(resource), ...(updatePolicy && { updatePolicy }) };
  const stackRef = { id: stack.id, name: stack.name, projectId: stack.projectId };
  const setData = async (change: (data: Record<string, string>) => void) => {
    const data = await changeResourceData(db, resource.id, change);
    resource.data = data;
    state.data = resourceState(resource).data;
  };
  return {
    // Read when the plugin acts, so a stack whose trust no longer holds fails that action, not the context's making.
    get caller() {
      return runtime.caller;
    },
    services: deps.services,
    stack: stackInfo(stack),
    resource: state,
    signal,
    log: deps.log.child({ stackId: stack.id, resource: resource.name }),
    async setPhysicalId(id: string) {
      await updateResource(db, resource.id, { physical_id: id });
      resource.physicalId = id;
      state.physicalId = id;
    },
    setData: (key, value) =>
      setData((data) => {
        data[key] = value;
      }),
    deleteData: (key) =>
      setData((data) => {
        delete data[key];
      }),
    async setMetadata(metadata: JsonObject) {
      await updateResource(db, resource.id, { metadata: JSON.stringify(metadata) });
      resource.metadata = metadata;
      state.metadata = metadata;
    },
    nested: services.nestedStacks(runtime, resource, signal),
    sibling: async (name) => {
      const row = runtime.resources.get(name);
      return row ? siblingView(db, row) : null;
    },
    siblingByReference: async (reference) => {
      const row = [...runtime.resources.values()].find((r) => runtime.referenceId(r) === reference);
      return row ? siblingView(db, row) : null;
    },
    invokeSibling: (name, method, args) => services.invokeSibling(runtime, name, method, args, signal),
    signalUrls: {
      heat: () =>
        `${deps.publicUrl()}/orchestration/v1/${stack.projectId}/stacks/${encodeURIComponent(stack.name)}/${stack.id}/resources/${encodeURIComponent(resource.name)}/signal`,
      cfn: () => deps.cfnSignalUrl(stackRef, resource.name),
    },
    softwareConfigs: deps.softwareConfigs,
    publicUrl: () => deps.publicUrl(),
  };
}
