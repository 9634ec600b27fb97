/** Stack update (PUT and PATCH) and its preview. */
import { storeCaller, type CallerContext } from '../../core/context.js';
import type { Json, JsonObject } from '../json.js';
import { beginOperation, actionInProgress } from '../engine/begin.js';
import { checkedProperties } from '../engine/properties.js';
import { stackInfo } from '../engine/resource-context.js';
import { NO_DESCRIPTION } from '../engine/new-stack.js';
import { prepareStack } from '../engine/prepare.js';
import { changedKeys, needsReplace } from '../engine/resource-steps.js';
import type { ResourcePlugin } from '../resources/types.js';
import { StackRuntime } from '../engine/runtime.js';
import { getStack, setTags, type Stack } from '../store/index.js';
import { authorizeResourceTypes, lookupStack } from './access.js';
import type { StackServiceParts } from './deps.js';
import { startOperation } from './operation.js';
import { previewView } from './preview.js';
import type { StackRecord, StackRequest } from './types.js';
import { stackRecord } from './views.js';

/** The stack's new definition: PUT replaces it, PATCH (`existing`) changes it. */
async function newDefinition(parts: StackServiceParts, caller: CallerContext, stack: Stack, request: StackRequest) {
  const { template } = parts.deps;
  const keepTemplate = request.existing === true && Object.keys(request.template).length === 0;
  const requestEnv = template.parseEnvironment(request.environment);
  const environment = request.existing ? template.mergeEnvironments(stack.environment, requestEnv) : requestEnv;
  const files = request.existing ? { ...stack.files, ...request.files } : (request.files ?? {});
  const kept: Record<string, Json> = {};
  if (request.existing) {
    for (const [name, value] of Object.entries(stack.parameters)) {
      if (!name.startsWith('OS::') && !request.clearParameters?.includes(name)) kept[name] = value;
    }
  }
  const definition = {
    template: keepTemplate ? stack.template : request.template,
    environment,
    files,
    parameters: { ...kept, ...request.parameters },
  };
  const timeoutMins = request.timeoutMins === undefined ? stack.timeoutMins : request.timeoutMins;
  const prepared = await prepareStack(parts.deps, caller, {
    ...definition,
    id: stack.id,
    name: stack.name,
    projectId: stack.projectId,
    nestedDepth: stack.nestedDepth,
    timeoutMins,
    previousParameters: stack.parameters,
  });
  authorizeResourceTypes(parts.deps, caller, prepared, environment, files);
  return { definition, prepared, timeoutMins };
}

export async function updateStack(parts: StackServiceParts, caller: CallerContext, stackId: string, request: StackRequest): Promise<StackRecord> {
  const { deps } = parts;
  const stack = await lookupStack(deps, caller, stackId, request.existing ? 'stacks:update_patch' : 'stacks:update');
  if (stack.lockOperation !== null) throw actionInProgress(stack);
  const { definition, prepared, timeoutMins } = await newDefinition(parts, caller, stack, request);
  await startOperation(
    parts,
    stack.id,
    async (db, operation) => {
      await beginOperation(db, stack, 'UPDATE', operation, {
        template: JSON.stringify(definition.template),
        environment: JSON.stringify(definition.environment),
        files: JSON.stringify(definition.files),
        parameters: JSON.stringify(prepared.parameters),
        description: prepared.parsed.description ?? NO_DESCRIPTION,
        previous: JSON.stringify({ template: stack.template, environment: stack.environment, files: stack.files, parameters: stack.parameters }),
        timeout_mins: timeoutMins,
        disable_rollback: request.disableRollback ?? stack.disableRollback,
      });
      // PUT replaces the tags (none given: none left); PATCH keeps them unless given.
      const tags = request.tags ?? (request.existing ? undefined : []);
      if (tags !== undefined) await setTags(db, stack.id, tags);
    },
    { requestedBy: storeCaller(caller) },
  );
  return stackRecord((await getStack(deps.db, stack.id))!, deps.template);
}

type UpdatePreview = { added: Json[]; deleted: Json[]; replaced: Json[]; unchanged: Json[]; updated: Json[] };

export async function previewStackUpdate(parts: StackServiceParts, caller: CallerContext, stackId: string, request: StackRequest): Promise<UpdatePreview> {
  const { deps, engine } = parts;
  const stack = await lookupStack(deps, caller, stackId, request.existing ? 'stacks:preview_update_patch' : 'stacks:preview_update');
  const { prepared } = await newDefinition(parts, caller, stack, request);
  const runtime = await StackRuntime.load(deps, stack.id, caller);
  const result: UpdatePreview = { added: [], deleted: [], replaced: [], unchanged: [], updated: [] };
  const scope = { ...runtime.scope(engine.attributeReader), parameters: prepared.parameters, conditions: prepared.conditions };
  const defs = deps.template.activeResources(prepared.parsed, prepared.conditions);
  for (const def of defs) {
    const existing = runtime.resources.get(def.name);
    const resolved = await deps.template.resolveSnippet(prepared.parsed, def.properties ?? {}, scope);
    const plugin = runtime.plugin(def.type, def.name);
    const properties = await checkedProperties(deps, caller, plugin, def.name, resolved, stackInfo(runtime.stack));
    result[category(plugin, properties, existing?.type, def.type, existing?.properties)].push(previewView(stack, def, properties, [], stack.id));
  }
  const names = new Set(defs.map((d) => d.name));
  for (const resource of runtime.resources.values()) {
    if (!names.has(resource.name))
      result.deleted.push({ resource_name: resource.name, resource_type: resource.type, resource_action: resource.action, resource_status: resource.status });
  }
  return result;
}

function category(
  plugin: ResourcePlugin,
  properties: JsonObject,
  existingType: string | undefined,
  type: string,
  existing: JsonObject | undefined,
): keyof UpdatePreview {
  if (existingType === undefined || existing === undefined) return 'added';
  if (existingType !== type) return 'replaced';
  const changed = changedKeys(existing, properties);
  if (changed.length === 0) return 'unchanged';
  return needsReplace(plugin, { properties, previous: existing, changed }) ? 'replaced' : 'updated';
}
