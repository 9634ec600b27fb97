/**
 * Stack snapshots: what a snapshot keeps (the definition and, per resource,
 * its physical id, data and properties: Heat's snapshot `data`), the plugins'
 * part in taking one (`snapshot`: a volume's backup), in restoring one
 * (`restoreProperties`: the template's resource gets the properties to
 * rebuild from) and in deleting one (`deleteSnapshot`).
 */
import type { CallerContext } from '../../core/context.js';
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import type { ResourcePlugin, ResourceSnapshot } from '../resources/types.js';
import type { Environment } from '../template/types.js';
import type { EngineDeps } from './deps.js';
import { resourceContext, resourceState, type ContextServices } from './resource-context.js';
import type { StackRuntime } from './runtime.js';

/** Each resource that has a physical object and a `snapshot` makes its part, all at once. */
export async function takeResourceSnapshots(services: ContextServices, runtime: StackRuntime, signal: AbortSignal): Promise<void> {
  await runtime.refresh();
  const pending = [...runtime.resources.values()].flatMap((resource) => {
    const plugin = runtime.plugin(resource.type, resource.name);
    return plugin.snapshot && resource.physicalId !== null ? [plugin.snapshot(resourceContext(services, runtime, resource, signal))] : [];
  });
  await Promise.all(pending);
}

export async function snapshotData(runtime: StackRuntime): Promise<JsonObject> {
  await runtime.refresh();
  const { stack } = runtime;
  const resources: JsonObject = {};
  for (const resource of runtime.resources.values()) {
    resources[resource.name] = {
      name: resource.name,
      type: resource.type,
      resource_id: resource.physicalId,
      action: resource.action,
      status: resource.status,
      metadata: resource.metadata,
      resource_data: resourceState(resource).data,
      properties: resource.properties,
    };
  }
  return {
    id: stack.id,
    name: stack.name,
    project_id: stack.projectId,
    action: stack.action,
    status: stack.status,
    template: stack.template,
    environment: { ...stack.environment },
    files: stack.files,
    parameters: stack.parameters,
    resources,
  };
}

/** A snapshot's resource entries with the plugin of each (entries of types no longer known are left out). */
function snapshotEntries(deps: EngineDeps, data: JsonObject): Array<{ name: string; plugin: ResourcePlugin; entry: ResourceSnapshot }> {
  const resources = isJsonObject(data.resources) ? data.resources : {};
  const environment = (isJsonObject(data.environment) ? data.environment : {}) as unknown as Environment;
  const files = (isJsonObject(data.files) ? data.files : {}) as Record<string, string>;
  return Object.entries(resources).flatMap(([name, value]) => {
    if (!isJsonObject(value) || typeof value.type !== 'string') return [];
    let plugin: ResourcePlugin;
    try {
      plugin = deps.registry.resolve(value.type, environment, files, name);
    } catch {
      return [];
    }
    const data = isJsonObject(value.resource_data) ? (value.resource_data as Record<string, string>) : {};
    const entry: ResourceSnapshot = {
      physicalId: typeof value.resource_id === 'string' ? value.resource_id : null,
      data,
      properties: isJsonObject(value.properties) ? value.properties : {},
    };
    return [{ name, plugin, entry }];
  });
}

/**
 * The template a restore updates the stack to: the snapshot's, where each
 * resource whose type rebuilds from its snapshot has the properties
 * `restoreProperties` gives (Heat's handle_restore freezing the definition).
 */
export function restoreTemplate(deps: EngineDeps, data: JsonObject): Json {
  const template = data.template;
  if (!isJsonObject(template)) return template ?? null;
  const key = 'resources' in template ? 'resources' : 'Resources';
  const resources = isJsonObject(template[key]) ? { ...template[key] } : {};
  for (const { name, plugin, entry } of snapshotEntries(deps, data)) {
    const definition = resources[name];
    if (!plugin.restoreProperties || !isJsonObject(definition)) continue;
    resources[name] = { ...definition, [key === 'resources' ? 'properties' : 'Properties']: plugin.restoreProperties(entry) };
  }
  return { ...template, [key]: resources };
}

/** Removes what the resources made for a snapshot (on deleting the snapshot, or the stack). */
export async function deleteResourceSnapshots(deps: EngineDeps, caller: CallerContext, data: JsonObject | null): Promise<void> {
  if (data === null) return;
  const removals = snapshotEntries(deps, data).map(({ plugin, entry }) => plugin.deleteSnapshot?.({ caller, services: deps.services }, entry));
  await Promise.all(removals);
}
