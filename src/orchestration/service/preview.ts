/** Resources as Heat's stack preview shows them: the template's resources at INIT, properties resolved where they can be before anything exists. */
import type { Json, JsonObject } from '../json.js';
import type { EngineDeps } from '../engine/deps.js';
import type { PreparedStack } from '../engine/prepare.js';
import type { Stack } from '../store/index.js';
import type { ResolveScope, ResourceDefinition } from '../template/types.js';

/** A scope before the resources exist: `get_resource` gives the name, `get_attr` nothing. */
export function previewScope(stack: Pick<Stack, 'files'>, prepared: PreparedStack): ResolveScope {
  return {
    parameters: prepared.parameters,
    conditions: prepared.conditions,
    files: stack.files,
    getResource: (name) => name,
    getAttr: async () => null,
    getAllAttrs: async () => null,
  };
}

export async function previewResources(deps: EngineDeps, stack: Stack, prepared: PreparedStack): Promise<Json[]> {
  const scope = previewScope(stack, prepared);
  const defs = deps.template.activeResources(prepared.parsed, prepared.conditions);
  const dependencies = new Map(defs.map((d) => [d.name, deps.template.resourceDependencies(prepared.parsed, d, prepared.conditions)]));
  const views: Json[] = [];
  for (const def of defs) {
    const properties = await deps.template.resolveSnippet(prepared.parsed, def.properties ?? {}, scope);
    const requiredBy = defs.filter((d) => dependencies.get(d.name)?.includes(def.name)).map((d) => d.name);
    views.push(previewView(stack, def, properties, requiredBy));
  }
  return views;
}

export function previewView(
  stack: Pick<Stack, 'id' | 'name' | 'projectId' | 'createdAt'>,
  def: ResourceDefinition,
  properties: Json,
  requiredBy: string[],
): JsonObject {
  const stackIdentity: JsonObject = { stack_name: stack.name, stack_id: stack.id, tenant: stack.projectId, path: '' };
  return {
    attributes: {},
    creation_time: stack.createdAt,
    description: def.description ?? '',
    metadata: def.metadata ?? {},
    physical_resource_id: '',
    properties,
    required_by: requiredBy,
    resource_action: 'INIT',
    resource_identity: { ...stackIdentity, path: `/resources/${def.name}` },
    resource_name: def.name,
    resource_status: 'COMPLETE',
    resource_status_reason: '',
    resource_type: def.type,
    stack_identity: stackIdentity,
    stack_name: stack.name,
    updated_time: stack.createdAt,
  };
}
