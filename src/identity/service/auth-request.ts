/**
 * The checks Keystone makes on a POST /v3/auth/tokens body after its JSON
 * schema (keystone/auth/schema.py validate_issue_token_auth, and AuthInfo's
 * _validate_auth_methods and _validate_and_normalize_scope_data in
 * keystone/auth/core.py), so a malformed request is Keystone's 400 and never
 * reaches a lookup with a shape it cannot handle.
 */
import type { AuthRequest, ScopeRequest } from './tokens.js';
import { identityErrors } from '../errors.js';

const METHODS = ['password', 'token', 'oauth1', 'application_credential'] as const;
const SCOPE_KINDS = ['project', 'domain', 'unscoped', 'system', 'OS-TRUST:trust'] as const;
const SCOPE_KINDS_TEXT = 'system, project, domain, OS-TRUST:trust or unscoped';

/** An auth request as it may arrive: the scope may still be `{"unscoped": {}}` or name a trust. */
export interface RawAuthRequest {
  identity: AuthRequest['identity'];
  scope?: string | Record<string, unknown>;
}

/** Validates a token request and returns it with its methods de-duplicated and its scope normalised. */
export function normalizeAuthRequest(raw: RawAuthRequest): AuthRequest {
  const identity = raw.identity;
  // Keystone drops repeated method names, keeping their order.
  const methods = [...new Set(identity.methods)];
  requireIdOrName(identity.password?.user, 'identity/password/user');
  requireIdOrName(identity.password?.user?.domain, 'identity/password/user/domain');
  for (const method of methods) {
    if (!(method in identity)) throw identityErrors.expectingToFind(method, 'identity');
  }
  if (methods.some((method) => !(METHODS as readonly string[]).includes(method))) {
    throw identityErrors.unsupportedMethod();
  }
  return { identity: { ...identity, methods }, scope: normalizeScope(raw.scope) };
}

function normalizeScope(scope: RawAuthRequest['scope']): ScopeRequest {
  if (scope === undefined || scope === 'unscoped') return scope;
  if (typeof scope === 'string') throw identityErrors.expectingToFind(SCOPE_KINDS_TEXT, 'scope');
  const named = SCOPE_KINDS.filter((kind) => kind in scope);
  if (named.length !== 1) throw identityErrors.expectingToFind(SCOPE_KINDS_TEXT, 'scope');
  const project = scope.project as { domain?: unknown } | undefined;
  requireIdOrName(project, 'scope/project');
  requireIdOrName(project?.domain, 'scope/project/domain');
  requireIdOrName(scope.domain, 'scope/domain');
  switch (named[0]) {
    case 'unscoped':
      // Old keystoneauth releases send {"unscoped": {}} for "unscoped".
      return 'unscoped';
    case 'OS-TRUST:trust': {
      const trust = scope['OS-TRUST:trust'] as { id?: unknown } | undefined;
      if (typeof trust?.id !== 'string' || trust.id === '') throw identityErrors.expectingToFind('trust_id', 'trust');
      return { trust: { id: trust.id } };
    }
    default:
      return scope as ScopeRequest;
  }
}

/** Keystone's SchemaValidationError for a reference that gives neither an id nor a name. */
function requireIdOrName(ref: unknown, field: string): void {
  if (ref === undefined || ref === null || typeof ref !== 'object') return;
  if (!('id' in ref) && !('name' in ref)) {
    throw identityErrors.idOrNameRequired(field);
  }
}
