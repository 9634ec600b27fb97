/**
 * Finding a caller's stack and checking Heat's policy on it. A stack of
 * another project is a 404 for a non-admin, as in Heat.
 */
import type { CallerContext } from '../../core/context.js';
import { NotFound } from '../../core/errors.js';
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
