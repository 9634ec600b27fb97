/**
 * Resources as Heat's stack preview shows them: the template's resources at
 * INIT, properties resolved and checked where they can be before anything
 * exists, and a template resource as the nested list of its template's
 * resources (recursively), in a nested stack named `<stack>-<resource>`.
 */
import type { CallerContext } from '../../core/context.js';
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import type { EngineDeps } from '../engine/deps.js';
import { childEnvironment } from '../engine/nested.js';
import { prepareStack, resolveProperties, type PreparedStack } from '../engine/prepare.js';
import { checkedProperties } from '../engine/properties.js';
import type { Environment, ResolveScope, ResourceDefinition } from '../template/types.js';

/** Heat previews a stack that has no id yet: its id shows as the string 'None'. */
export const PREVIEW_STACK_ID = 'None';

export interface PreviewedStack {
  name: string;
  projectId: string;
  environment: Environment;
  files: Record<string, string>;
  nestedDepth: number;
}

/** A scope before the resources exist: `get_resource` gives the name, `get_attr` nothing. */
function previewScope(stack: PreviewedStack, prepared: PreparedStack): ResolveScope {
  return {
    parameters: prepared.parameters,
    conditions: prepared.conditions,
    files: stack.files,
    getResource: (name) => name,
    getAttr: async () => null,
    getAllAttrs: async () => null,
  };
}

export async function previewResources(
  deps: EngineDeps,
  caller: CallerContext,
  stack: PreviewedStack,
  prepared: PreparedStack,
  parentResource?: string,
): Promise<Json[]> {
  const scope = previewScope(stack, prepared);
  const defs = deps.template.activeResources(prepared.parsed, prepared.conditions);
  const dependencies = new Map(defs.map((d) => [d.name, deps.template.resourceDependencies(prepared.parsed, d, prepared.conditions)]));
  const views: Json[] = [];
  for (const def of defs) {
    const resolved = await resolveProperties(deps, prepared.parsed, def, scope);
    const plugin = deps.registry.resolve(def.type, stack.environment, stack.files, def.name);
    // What cannot be checked before the resources exist (a get_attr's null) is shown as resolved.
    const properties = await checkedProperties(deps, caller, plugin, def.name, resolved, { ...stack, id: PREVIEW_STACK_ID, timeoutMins: null }).catch(
      () => resolved,
    );
    if (plugin.nestedTemplate) {
      const nested = plugin.nestedTemplate(isJsonObject(properties) ? properties : {});
      views.push(await previewNested(deps, caller, stack, def, nested.template, nested.parameters));
      continue;
    }
    const requiredBy = defs.filter((d) => dependencies.get(d.name)?.includes(def.name)).map((d) => d.name);
    const attributes = Object.fromEntries([...Object.keys(plugin.attributes), 'show'].map((name) => [name, null]));
    views.push({
      ...previewView(stack, def, properties, requiredBy, PREVIEW_STACK_ID),
      attributes,
      ...(parentResource !== undefined && { parent_resource: parentResource }),
    });
  }
  return views;
}

/** A nested stack's resources (a template resource's, a group's members), previewed in the stack `<parent>-<resource>`. */
async function previewNested(
  deps: EngineDeps,
  caller: CallerContext,
  parent: PreviewedStack,
  def: ResourceDefinition,
  template: JsonObject,
  parameters: Record<string, Json>,
): Promise<Json[]> {
  const child: PreviewedStack = {
    ...parent,
    name: `${parent.name}-${def.name}`,
    nestedDepth: parent.nestedDepth + 1,
    environment: childEnvironment(parent.environment, def.name),
  };
  const prepared = await prepareStack(deps, caller, { ...child, id: PREVIEW_STACK_ID, template, parameters, timeoutMins: null }, { checkProperties: false });
  return previewResources(deps, caller, child, prepared, def.name);
}

/** One resource in Heat's preview and update-preview shape. */
export function previewView(
  stack: { name: string; projectId: string },
  def: ResourceDefinition,
  properties: Json,
  requiredBy: string[],
  stackId: string,
): JsonObject {
  const stackIdentity: JsonObject = { stack_name: stack.name, stack_id: stackId, tenant: stack.projectId, path: '' };
  return {
    attributes: {},
    creation_time: null,
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
    updated_time: null,
  };
}
