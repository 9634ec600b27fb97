/** Stack listings, lookups, outputs and export. */
import type { CallerContext } from '../../core/context.js';
import { NotFound } from '../../core/errors.js';
import type { JsonObject } from '../json.js';
import { evaluateOutput, evaluateOutputs } from '../engine/outputs.js';
import { StackRuntime } from '../engine/runtime.js';
import { snapshotData } from '../engine/snapshot-data.js';
import { countStacks, filterStacks, type StackFilter } from '../store/index.js';
import { authorizeProject, lookupStack, stackNotFound } from './access.js';
import type { StackServiceParts } from './deps.js';
import type { OutputValue, StackListQuery, StackRecord } from './types.js';
import { stackRecord } from './views.js';

function stackFilter(parts: StackServiceParts, caller: CallerContext, query: StackListQuery): StackFilter {
  const { deps } = parts;
  const global = query.globalTenant === true;
  authorizeProject(deps, caller, global ? 'stacks:global_index' : 'stacks:index');
  return {
    projectId: global ? null : (caller.project?.id ?? ''),
    ...(query.name && { names: query.name }),
    ...(query.status && { statuses: query.status }),
    ...(query.action && { actions: query.action }),
    ...(query.id && { ids: query.id }),
    ...(query.tags && { tags: query.tags }),
    ...(query.tagsAny && { tagsAny: query.tagsAny }),
    ...(query.notTags && { notTags: query.notTags }),
    ...(query.notTagsAny && { notTagsAny: query.notTagsAny }),
    showNested: query.showNested === true,
    showDeleted: query.showDeleted === true,
    hiddenTags: query.showHidden ? [] : deps.hiddenTags,
    sortKeys: query.sortKeys ?? [],
    sortDir: query.sortDir ?? 'desc',
    ...(query.limit !== undefined && { limit: query.limit }),
    ...(query.marker !== undefined && { marker: query.marker }),
  };
}

export async function listStacks(parts: StackServiceParts, caller: CallerContext, query: StackListQuery): Promise<StackRecord[]> {
  const stacks = await filterStacks(parts.deps.db, stackFilter(parts, caller, query));
  return stacks.map((s) => stackRecord(s, parts.deps.template));
}

export async function countListedStacks(parts: StackServiceParts, caller: CallerContext, query: StackListQuery): Promise<number> {
  return countStacks(parts.deps.db, stackFilter(parts, caller, query));
}

export async function findStack(
  parts: StackServiceParts,
  caller: CallerContext,
  nameOrId: string,
  options: { showDeleted?: boolean } = {},
): Promise<StackRecord> {
  return stackRecord(await lookupStack(parts.deps, caller, nameOrId, 'stacks:lookup', options.showDeleted), parts.deps.template);
}

export async function getStackByIdentity(parts: StackServiceParts, caller: CallerContext, name: string, id: string): Promise<StackRecord> {
  const stack = await lookupStack(parts.deps, caller, id, 'stacks:show', true);
  if (stack.name !== name && stack.id !== name) throw stackNotFound(name);
  return stackRecord(stack, parts.deps.template);
}

async function stackRuntime(parts: StackServiceParts, caller: CallerContext, stackId: string, rule: string): Promise<StackRuntime> {
  const stack = await lookupStack(parts.deps, caller, stackId, rule);
  return StackRuntime.load(parts.deps, stack.id, caller);
}

export async function stackOutputs(parts: StackServiceParts, caller: CallerContext, stackId: string): Promise<OutputValue[]> {
  return evaluateOutputs(parts.engine, await stackRuntime(parts, caller, stackId, 'stacks:list_outputs'));
}

export async function stackOutput(parts: StackServiceParts, caller: CallerContext, stackId: string, key: string): Promise<OutputValue> {
  const runtime = await stackRuntime(parts, caller, stackId, 'stacks:show_output');
  const def = runtime.parsed.outputs[key];
  if (!def) throw new NotFound(`Specified output key ${key} not found.`, { type: 'NotFound' });
  return evaluateOutput(parts.engine, runtime, def);
}

/** Heat's export: the stack as abandon would give it, the stack left in place. */
export async function exportStack(parts: StackServiceParts, caller: CallerContext, stackId: string, rule = 'stacks:export'): Promise<JsonObject> {
  const runtime = await stackRuntime(parts, caller, stackId, rule);
  return snapshotData(runtime);
}
