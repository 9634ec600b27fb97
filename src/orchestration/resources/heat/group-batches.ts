/**
 * ResourceGroup's update_policy, as Heat applies it: `batch_create`
 * (max_batch_size, pause_time) creates the members a batch at a time, and
 * `rolling_update` (min_in_service, max_batch_size, pause_time) gives a
 * changed `resource_def` to a batch of members at a time, adding members for
 * the while when needed to keep `min_in_service` members on their old
 * definition. Each batch is one update of the nested stack; the batches
 * follow Heat's rolling_update.next_batch and member_definitions (higher
 * indices are replaced first, surplus members removed at the end).
 *
 * The definitions each member last received are kept in the resource's data
 * (`member_definitions`), so a run cut short by a crash resumes from what the
 * nested stack really has.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { isJsonObject, type JsonObject } from '../../json.js';
import type { ResourceContext } from '../types.js';
import { heatResourceErrors } from './errors.js';
import { applyMembers, memberNames } from './group-members.js';

export interface BatchPolicy {
  minInService: number;
  maxBatchSize: number;
  pauseSeconds: number;
}

/** The policy under `key` of the resource's resolved update_policy, with Heat's defaults; null when absent. */
export function batchPolicy(ctx: ResourceContext, key: 'batch_create' | 'rolling_update'): BatchPolicy | null {
  const policy = ctx.resource.updatePolicy?.[key];
  if (!isJsonObject(policy ?? null)) return null;
  const section = policy as JsonObject;
  const number = (name: string, fallback: number) => (typeof section[name] === 'number' ? (section[name] as number) : fallback);
  return { minInService: number('min_in_service', 0), maxBatchSize: number('max_batch_size', 1), pauseSeconds: number('pause_time', 0) };
}

/** One batch: the group's size during it and how many members get the new definition. */
function nextBatch(target: number, current: number, upToDate: number, batchSize: number, minInService: number): [number, number] {
  const minSize = Math.min(minInService, target, current);
  const size = Math.min(batchSize, Math.max(target - upToDate, 0));
  return [size + Math.max(Math.min(current, target - size), minSize), size];
}

export function planBatches(target: number, current: number, policy: BatchPolicy): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  let upToDate = 0;
  while (!(upToDate >= current && current === target)) {
    const [capacity, fresh] = nextBatch(target, current, upToDate, policy.maxBatchSize, policy.minInService);
    result.push([capacity, fresh]);
    upToDate += fresh - Math.max(capacity - Math.max(current, target), 0);
    current = capacity;
  }
  return result;
}

type Member = [string, JsonObject];

function recorded(ctx: ResourceContext): Map<string, JsonObject> {
  const stored = ctx.resource.data.member_definitions;
  return new Map(stored === undefined ? [] : (JSON.parse(stored) as Member[]));
}

/** The members for one batch (Heat's member_definitions over the replace-priority order). */
export function batchMembers(
  current: Member[],
  names: string[],
  target: number,
  capacity: number,
  fresh: number,
  define: (name: string) => JsonObject,
): Member[] {
  const priority = ([name]: Member) => {
    const index = names.indexOf(name);
    if (index < 0) return 0;
    return index < target ? target - index : capacity;
  };
  const kept = [...current].sort((a, b) => priority(a) - priority(b)).slice(-capacity);
  const existing = new Set(current.map(([name]) => name));
  const newNames = names.filter((name) => !existing.has(name));
  let replace = fresh - (capacity - Math.min(kept.length, capacity));
  const members: Member[] = [];
  for (let i = 0; i < capacity; i++) {
    const old = kept[i];
    if (old === undefined) {
      const name = newNames.shift() ?? String(i);
      members.push([name, define(name)]);
      continue;
    }
    const wanted = define(old[0]);
    if (JSON.stringify(old[1]) !== JSON.stringify(wanted) && replace > 0) {
      replace -= 1;
      members.push([old[0], wanted]);
    } else members.push(old);
  }
  return members;
}

/**
 * Brings the group to `target` members defined by `define`, in batches.
 * `names(capacity)` gives the member names a group of that size uses;
 * `previous(name)` a member's definition when none was recorded.
 */
export async function applyInBatches(
  ctx: ResourceContext,
  policy: BatchPolicy,
  target: number,
  names: (capacity: number) => string[],
  define: (name: string) => JsonObject,
  previous: (name: string) => JsonObject,
  skipped: Set<string>,
): Promise<void> {
  const known = recorded(ctx);
  // Members removed by a removal policy are not counted: they leave with the first batch.
  let current: Member[] = memberNames(ctx)
    .filter((name) => !skipped.has(name))
    .map((name) => [name, known.get(name) ?? previous(name)]);
  const planned = planBatches(target, current.length, policy);
  const timeoutSeconds = (ctx.stack.timeoutMins ?? 60) * 60;
  if (policy.pauseSeconds * Math.max(planned.length - 1, 0) >= timeoutSeconds) {
    throw heatResourceErrors.stackValidation('The current update policy will result in stack update timeout.');
  }
  for (const [index, [capacity, fresh]] of planned.entries()) {
    current = batchMembers(current, names(capacity), target, capacity, fresh, define);
    await ctx.setData('member_definitions', JSON.stringify(current));
    await applyMembers(ctx, current);
    if (index < planned.length - 1 && policy.pauseSeconds > 0) await delay(policy.pauseSeconds * 1000, undefined, { signal: ctx.signal });
  }
}
