/**
 * Heat's deferred auth: who the engine is when it acts for a stack later
 * (its operations' tasks, signals, scaling), long after the token that made
 * the stack expired. With `trusts` (Heat's default) the owner delegates their
 * roles on the project to the `heat` user at create; later work acts with a
 * trust-scoped token, so a user whose roles are taken away, or whose trust is
 * deleted, can no longer act through the stack. Without a trust the stack
 * acts as the caller stored with it (`password`, and the fallback for callers
 * Keystone lets create no trust).
 */
import { reviveCaller, type CallerContext } from '../../core/context.js';
import type { DeferredAuthMethod } from '../config.js';
import type { Stack } from '../store/index.js';
import type { EngineDeps } from './deps.js';

/** The service user stacks' trusts delegate to (identity's bootstrap makes it). */
export const HEAT_SERVICE_USER = 'heat';

/**
 * Keystone refuses trusts to application-credential tokens, and a
 * trust-scoped token's trust has another trustee (Heat reuses the caller's
 * trust there; the `heat` user cannot). A service's own context has no user
 * to delegate. These keep the stored caller.
 */
function canDelegate(caller: CallerContext): boolean {
  return caller.token !== '' && caller.applicationCredentialId === null && caller.trustId === null;
}

/** The trust a new root stack is to act through, made now; null when it acts as its stored caller. */
export async function delegateStack(deps: EngineDeps, method: DeferredAuthMethod, caller: CallerContext): Promise<string | null> {
  const identity = deps.services.identity;
  if (method !== 'trusts' || !identity || !canDelegate(caller)) return null;
  return identity.delegateToService(caller, HEAT_SERVICE_USER);
}

/** Who the engine is for `stack` outside its owner's request: the trust's caller (identity's 401/403 when it no longer holds), else the stored one. */
export async function deferredCaller(deps: EngineDeps, stack: Stack): Promise<CallerContext> {
  if (stack.trustId === null) return reviveCaller(stack.ownerCaller);
  const identity = deps.services.identity;
  if (!identity) throw new Error(`stack ${stack.id} acts through trust ${stack.trustId}, and the identity service is not available`);
  return (await identity.trustToken(HEAT_SERVICE_USER, stack.trustId)).caller;
}

/** Deletes a root stack's trust (nested stacks share the root's); one already gone is fine. */
export async function releaseTrust(deps: EngineDeps, stack: Pick<Stack, 'trustId' | 'parentId'>): Promise<void> {
  if (stack.trustId === null || stack.parentId !== null) return;
  await deps.services.identity?.deleteServiceTrust(HEAT_SERVICE_USER, stack.trustId);
}
