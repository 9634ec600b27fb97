/**
 * Finding a caller's stack and checking Heat's policy on it. A stack of
 * another project is a 404 for a non-admin, as in Heat.
 */
import type { CallerContext } from '../../core/context.js';
import { Forbidden, NotFound } from '../../core/errors.js';
import { PolicyNotRegistered } from '../../core/policy/index.js';
import type { PreparedStack } from '../engine/prepare.js';
import type { Environment } from '../template/types.js';
import { findStackByName, getStack, type Stack } from '../store/index.js';
import type { StackServiceDeps } from './deps.js';

export function stackNotFound(nameOrId: string): NotFound {
  return new NotFound(`The Stack (${nameOrId}) could not be found.`, { type: 'EntityNotFound' });
}

export function authorizeProject(deps: StackServiceDeps, caller: CallerContext, rule: string, projectId: string | null = caller.project?.id ?? null): void {
  deps.authz.authorize(caller, rule, { project_id: projectId ?? undefined, tenant_id: projectId ?? undefined });
}

function visible(deps: StackServiceDeps, caller: CallerContext, stack: Stack): boolean {
  return stack.projectId === caller.project?.id || deps.authz.isAdmin(caller);
}

/** A stack by id or name, checked against `rule`; deleted stacks only with `showDeleted`. */
export async function lookupStack(deps: StackServiceDeps, caller: CallerContext, nameOrId: string, rule: string, showDeleted = false): Promise<Stack> {
  let stack = await getStack(deps.db, nameOrId);
  if (stack && !visible(deps, caller, stack)) stack = null;
  if (!stack && caller.project) stack = await findStackByName(deps.db, caller.project.id, nameOrId);
  if (!stack || (stack.deletedAt !== null && !showDeleted)) throw stackNotFound(nameOrId);
  authorizeProject(deps, caller, rule, stack.projectId);
  return stack;
}

/**
 * Heat's per-type rules (`resource_types:OS::Nova::Flavor`, admin only by
 * default): a stack may use a type only where its rule, if one is
 * registered, allows the caller. Types without a rule are open to all.
 */
export function authorizeResourceTypes(
  deps: StackServiceDeps,
  caller: CallerContext,
  prepared: PreparedStack,
  environment: Environment,
  files: Record<string, string>,
): void {
  const types = new Set<string>();
  for (const def of deps.template.activeResources(prepared.parsed, prepared.conditions)) {
    types.add(def.type);
    types.add(deps.registry.resolve(def.type, environment, files, def.name).type);
  }
  for (const type of types) {
    let allowed: boolean;
    try {
      allowed = deps.authz.allowed(caller, `resource_types:${type}`);
    } catch (error) {
      if (error instanceof PolicyNotRegistered) continue;
      throw error;
    }
    if (!allowed) throw new Forbidden(`You are not authorized to use ${type}.`, { type: 'Forbidden' });
  }
}
