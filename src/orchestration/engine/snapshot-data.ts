/** What a stack snapshot keeps: the definition and, per resource, its physical id, data and properties (Heat's snapshot `data`). */
import type { JsonObject } from '../json.js';
import { resourceState } from './resource-context.js';
import type { StackRuntime } from './runtime.js';

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
