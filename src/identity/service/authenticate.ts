/**
 * The auth methods of POST /v3/auth/tokens: password, token, oauth1 and
 * application_credential. Each proves who the user is; scoping and token
 * issue happen afterwards in tokens.ts.
 */
import { toBool } from '../../core/db/values.js';
import {
  findAppCredentialByName,
  getAppCredential,
  passwordHistory,
  updateUser,
  type AccessToken,
  type AppCredential,
  type Domain,
  type User,
} from '../store/index.js';
import type { AuthMethod, OpenedToken } from '../tokens/index.js';
import type { IdentityDeps } from './deps.js';
import { checkNotLocked, lockoutExpired, passwordExpired, verifyPassword, type UserOptions } from './passwords.js';
import { resolveAuthUser, type UserRef } from './scope.js';
import { authenticateOAuth1 } from './oauth1-flow.js';
import { oauth1Errors } from './oauth1-errors.js';
import type { SignedRequest } from './oauth1-signature.js';
import { identityErrors } from '../errors.js';
import { nowIso, nowMs } from '../../core/time.js';

export interface IdentityClaims {
  password?: { user: UserRef & { password: string } };
  token?: { id: string };
  application_credential?: { id?: string; name?: string; secret: string; user?: UserRef };
  /** Empty: the oauth1 method's proof is the request's OAuth signature. */
  oauth1?: Record<string, unknown>;
}

/** Who the methods proved, and what limits the token they lead to. */
export interface Authenticated {
  user: User;
  userDomain: Domain;
  methods: AuthMethod[];
  /** Set for the token method: the token being exchanged (expiry and audit chain carry over). */
  parentToken: OpenedToken | null;
  appCredential: AppCredential | null;
  /** Set for the oauth1 method: the access token the request was signed with (its project is the scope). */
  accessToken: AccessToken | null;
}

export async function authenticate(
  deps: IdentityDeps,
  methods: string[],
  claims: IdentityClaims,
  openSubjectToken: (token: string) => Promise<{ payload: OpenedToken; user: User; userDomain: Domain }>,
  signed: SignedRequest | undefined,
): Promise<Authenticated> {
  const known: AuthMethod[] = ['password', 'token', 'oauth1', 'application_credential'];
  if (methods.length === 0 || methods.some((m) => !known.includes(m as AuthMethod))) {
    throw identityErrors.unsupportedMethod();
  }
  // Keystone requires every listed method to name the same user; we accept
  // one method per request, which is what every client sends.
  if (methods.length > 1) throw identityErrors.unsupportedMethod();
  const method = methods[0] as AuthMethod;
  switch (method) {
    case 'password': {
      if (!claims.password) throw identityErrors.expectingInIdentity('password');
      const { user, domain } = await byPassword(deps, claims.password.user);
      return { user, userDomain: domain, methods: ['password'], parentToken: null, appCredential: null, accessToken: null };
    }
    case 'token': {
      if (!claims.token?.id) throw identityErrors.expectingInIdentity('token');
      const { payload, user, userDomain } = await openSubjectToken(claims.token.id);
      if (payload.applicationCredentialId) {
        throw identityErrors.appCredentialTokenMethod();
      }
      if (payload.accessTokenId) throw oauth1Errors.oauthRescope();
      return {
        user,
        userDomain,
        methods: [...new Set<AuthMethod>([...payload.methods, 'token'])],
        parentToken: payload,
        appCredential: null,
        accessToken: null,
      };
    }
    case 'oauth1': {
      if (!signed) throw oauth1Errors.headersMissing();
      const accessToken = await authenticateOAuth1(deps, signed);
      const { user, domain } = await resolveAuthUser(deps.db, { id: accessToken.authorizing_user_id });
      assertUserEnabled(deps, user);
      return { user, userDomain: domain, methods: ['oauth1'], parentToken: null, appCredential: null, accessToken };
    }
    case 'application_credential': {
      if (!claims.application_credential) throw identityErrors.expectingInIdentity('application_credential');
      return byApplicationCredential(deps, claims.application_credential);
    }
  }
}

async function byPassword(deps: IdentityDeps, ref: UserRef & { password: string }): Promise<{ user: User; domain: Domain }> {
  const rules = deps.config.security_compliance;
  const { user, domain } = await resolveAuthUser(deps.db, ref);
  const options = JSON.parse(user.options) as UserOptions;
  if (lockoutExpired(user, rules)) {
    await updateUser(deps.db, user.id, { failed_auth_count: 0, failed_auth_at: null });
    user.failed_auth_count = 0;
  }
  checkNotLocked(user, rules);
  const [current] = await passwordHistory(deps.db, user.id, 1);
  if (!current || !(await verifyPassword(ref.password, current.hash))) {
    await updateUser(deps.db, user.id, { failed_auth_count: user.failed_auth_count + 1, failed_auth_at: nowIso() });
    throw identityErrors.authRequired();
  }
  assertUserEnabled(deps, user);
  if (passwordExpired(current.expires_at, options)) {
    throw identityErrors.passwordExpired(user.id);
  }
  await markActive(deps, user);
  return { user, domain };
}

async function byApplicationCredential(deps: IdentityDeps, claim: NonNullable<IdentityClaims['application_credential']>): Promise<Authenticated> {
  let credential: AppCredential | undefined;
  let owner: { user: User; domain: Domain } | undefined;
  if (claim.id !== undefined) {
    credential = await getAppCredential(deps.db, claim.id);
  } else if (claim.name !== undefined && claim.user) {
    owner = await resolveAuthUser(deps.db, claim.user);
    credential = await findAppCredentialByName(deps.db, owner.user.id, claim.name);
  }
  if (!credential || !(await verifyPassword(claim.secret, credential.secret_hash))) throw identityErrors.authRequired();
  if (credential.expires_at && Date.parse(credential.expires_at) <= nowMs()) throw identityErrors.authRequired();
  owner ??= await resolveAuthUser(deps.db, { id: credential.user_id });
  assertUserEnabled(deps, owner.user);
  await markActive(deps, owner.user);
  return { user: owner.user, userDomain: owner.domain, methods: ['application_credential'], parentToken: null, appCredential: credential, accessToken: null };
}

/** Disabled users, and users idle past disable_user_account_days_inactive, cannot authenticate. */
export function assertUserEnabled(deps: IdentityDeps, user: User): void {
  if (!toBool(user.enabled)) throw identityErrors.accountDisabled(user.id);
  const days = deps.config.security_compliance.disable_user_account_days_inactive;
  if (days > 0 && user.last_active_at && Date.parse(user.last_active_at) + days * 86_400_000 < nowMs()) {
    throw identityErrors.accountDisabled(user.id);
  }
}

async function markActive(deps: IdentityDeps, user: User): Promise<void> {
  const patch: { failed_auth_count?: number; failed_auth_at?: null; last_active_at?: string } = {};
  if (user.failed_auth_count > 0) Object.assign(patch, { failed_auth_count: 0, failed_auth_at: null });
  if (deps.config.security_compliance.disable_user_account_days_inactive > 0) {
    patch.last_active_at = nowIso();
  }
  if (Object.keys(patch).length > 0) await updateUser(deps.db, user.id, patch);
}
