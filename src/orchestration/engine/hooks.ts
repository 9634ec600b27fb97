/**
 * Breakpoints (`resource_registry: resources: <name>: hooks: pre-create`):
 * a resource about to be created, updated or deleted waits until a signal
 * `{"unset_hook": "<hook>"}` clears it. The waiting state lives in the
 * resource's data, so a signal reaching another API process clears it too.
 */
import { BadRequest } from '../../core/errors.js';
import { isJsonObject, type Json } from '../json.js';
import { changeResourceData, getResource, type HeatDb, type Resource, type Stack } from '../store/index.js';
import type { Environment } from '../template/types.js';
import { resourceEvent } from './events.js';
import { globMatches } from './glob.js';
import { ENGINE_DATA_PREFIX } from './resource-context.js';

export type HookName = 'pre-create' | 'pre-update' | 'pre-delete';
const HOOKS: readonly string[] = ['pre-create', 'pre-update', 'pre-delete'];

const hookKey = (hook: string) => `${ENGINE_DATA_PREFIX}hook:${hook}`;

/** The hooks the environment sets on a resource (names and wildcards under `resource_registry.resources`). */
export function hooksOf(env: Environment, resourceName: string): string[] {
  const resources = env.resource_registry.resources;
  if (!isJsonObject(resources)) return [];
  const hooks: string[] = [];
  for (const [pattern, section] of Object.entries(resources)) {
    if (!isJsonObject(section) || !globMatches(pattern, resourceName)) continue;
    const value: Json | undefined = section.hooks;
    for (const hook of Array.isArray(value) ? value : [value]) if (typeof hook === 'string' && HOOKS.includes(hook)) hooks.push(hook);
  }
  return hooks;
}

/** Waits at `hook` when the environment sets it, recording Heat's "paused" event once. */
export async function pauseAtHook(db: HeatDb, stack: Stack, resource: Resource, hook: HookName, pollMs: number, signal: AbortSignal): Promise<void> {
  if (!hooksOf(stack.environment, resource.name).includes(hook)) return;
  const key = hookKey(hook);
  if (resource.data[key] === 'cleared') return;
  if (resource.data[key] !== 'waiting') {
    resource.data = await changeResourceData(db, resource.id, (data) => {
      data[key] = 'waiting';
    });
    const action = hook.slice(4).toUpperCase();
    await resourceEvent(db, stack, resource, resource.action, resource.status, `${action} paused until Hook ${hook} is cleared`);
  }
  while (!signal.aborted) {
    const fresh = await getResource(db, resource.id);
    if (!fresh || fresh.data[key] !== 'waiting') break;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  signal.throwIfAborted();
}

/** After the step the hook guarded: the next operation pauses again. */
export async function forgetHook(db: HeatDb, resource: Resource, hook: HookName): Promise<void> {
  if (!(hookKey(hook) in resource.data)) return;
  resource.data = await changeResourceData(db, resource.id, (data) => {
    delete data[hookKey(hook)];
  });
}

/** A signal `{"unset_hook": "<hook>"}`: clears the hook and records "Hook <hook> is cleared". */
export async function clearHook(db: HeatDb, stack: Stack, resource: Resource, hook: Json): Promise<void> {
  if (typeof hook !== 'string' || !HOOKS.includes(hook)) {
    throw new BadRequest(`Invalid hook type "${String(hook)}" for resource breakpoint, acceptable hook types are: ${HOOKS.join(', ')}`, {
      type: 'InvalidBreakPointHook',
    });
  }
  if (!hooksOf(stack.environment, resource.name).includes(hook)) {
    throw new BadRequest(`The "${hook}" hook is not defined on ${resource.type} "${resource.name}"`, { type: 'InvalidBreakPointHook' });
  }
  await changeResourceData(db, resource.id, (data) => {
    data[hookKey(hook)] = 'cleared';
  });
  await resourceEvent(db, stack, resource, resource.action, resource.status, `Hook ${hook} is cleared`);
}
