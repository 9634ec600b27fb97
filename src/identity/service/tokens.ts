/**
 * Token issue, validation and revocation. Tokens are Fernet (nothing stored);
 * validation re-reads the user, scope and roles every time, so disabling a
 * user, deleting a project or removing a role assignment takes effect at once,
 * and revocation events cover what re-reading cannot see (an explicit revoke,
 * a password change).
 */
import type { CallerContext } from '../../core/context.js';
import { toBool } from '../../core/db/values.js';
import {
  appCredentialRoleIds,
  getAccessToken,
  getAppCredential,
  getDomain,
  consumeTrustUse,
  getUser,
  insertRevocationEvent,
  isRevoked,
  passwordHistory,
  type AccessToken,
  type AppCredential,
  type Domain,
  type Project,
  type Role,
  type Trust,
  type User,
} from '../store/index.js';
import type { OpenedToken, TokenPayload, TokenScope } from '../tokens/index.js';
import { assertUserEnabled, authenticate, type IdentityClaims } from './authenticate.js';
import type { IdentityDeps } from './deps.js';
import { effectiveRoles } from './effective-roles.js';
import { normalizeAuthRequest, type RawAuthRequest } from './auth-request.js';
import { resolveScopeDomain, resolveScopeProject, type DomainRef, type ProjectRef } from './scope.js';
import { tokenCatalog, type CatalogService } from './token-catalog.js';
import { ValidatedTokenCache, type CacheStamp } from './token-cache.js';
import { identityErrors } from '../errors.js';
import { delegatedRoles, usableTrust } from './trusts.js';
import { oauthRoles } from './oauth1-flow.js';
import type { SignedRequest } from './oauth1-signature.js';
import { nowIso, nowMs } from '../../core/time.js';

export type ScopeRequest = { project: ProjectRef } | { domain: DomainRef } | { system: { all: boolean } } | { trust: { id: string } } | 'unscoped' | undefined;

export interface AuthRequest {
  identity: IdentityClaims & { methods: string[] };
  scope?: ScopeRequest;
}

/** A valid token and everything it stands for, as rendered in token bodies. */
export interface TokenData {
  token: string;
  payload: OpenedToken;
  user: User;
  userDomain: Domain;
  passwordExpiresAt: string | null;
  project: { project: Project; domain: Domain } | null;
  domain: Domain | null;
  system: boolean;
  roles: Role[];
  appCredential: AppCredential | null;
  /**
   * The trust of a trust-scoped token. `user` is then the trustor when the
   * trust impersonates (as Keystone renders it), else the trustee.
   */
  trust: Trust | null;
  /** The OS-OAUTH1 access token an OAuth token was issued from (its roles are the token's). */
  accessToken: AccessToken | null;
}

export class TokenService {
  readonly #cache: ValidatedTokenCache<TokenData>;
  /** Validation answers as the API sent them, by what they depend on (see `cachedAnswer`). */
  readonly #answers: ValidatedTokenCache<Buffer>;

  constructor(private readonly deps: IdentityDeps) {
    const ttlMs = deps.config.token.cache_time * 1000;
    this.#cache = new ValidatedTokenCache(deps.writes, deps.tokens, ttlMs);
    this.#answers = new ValidatedTokenCache(deps.writes, deps.tokens, ttlMs);
  }

  /** POST /v3/auth/tokens; `signed` is what the oauth1 method checks the OAuth signature of. */
  async issue(raw: RawAuthRequest, signed?: SignedRequest): Promise<TokenData> {
    const request = normalizeAuthRequest(raw);
    const who = await authenticate(this.deps, request.identity.methods, request.identity, (token) => this.openSubject(token), signed);
    const parent = who.parentToken;
    if (parent?.scope.kind === 'trust') throw identityErrors.trustScopedRescope();
    if (parent && parent.scope.kind !== 'unscoped' && request.scope && request.scope !== 'unscoped' && !this.deps.config.token.allow_rescope_scoped_token) {
      throw identityErrors.rescopeRefused();
    }
    let scope: TokenScope;
    if (who.appCredential) {
      if (request.scope !== undefined && !sameProject(request.scope, who.appCredential.project_id)) {
        throw identityErrors.appCredentialScope();
      }
      scope = who.appCredential.project_id ? { kind: 'project', projectId: who.appCredential.project_id } : { kind: 'unscoped' };
    } else if (who.accessToken) {
      // An OAuth token is always scoped to the access token's project, whatever the body asks.
      scope = { kind: 'project', projectId: who.accessToken.project_id };
    } else {
      scope = await this.requestedScope(request.scope, who.user);
    }
    const lifetime = nowMs() + this.deps.config.token.expiration * 1000;
    let expiresAt = new Date(parent ? Math.min(parent.expiresAt.getTime(), lifetime) : lifetime);
    if (who.appCredential?.expires_at) expiresAt = new Date(Math.min(expiresAt.getTime(), Date.parse(who.appCredential.expires_at)));
    const trust = scope.kind === 'trust' ? await usableTrust(this.deps.db, scope.trustId) : null;
    if (trust?.expires_at) expiresAt = new Date(Math.min(expiresAt.getTime(), Date.parse(trust.expires_at)));
    const auditIds = [this.deps.tokens.newAuditId(), ...(parent ? [parent.auditIds.at(-1) as string] : [])];
    const payload: TokenPayload = { userId: who.user.id, methods: who.methods, scope, expiresAt, auditIds };
    if (who.appCredential) payload.applicationCredentialId = who.appCredential.id;
    if (who.accessToken) payload.accessTokenId = who.accessToken.id;
    const token = this.deps.tokens.issue(payload);
    const data = await this.resolve(token, { ...payload, issuedAt: new Date(Math.floor(nowMs() / 1000) * 1000) }, 'auth', { minted: true });
    // Keystone takes a use of a limited trust once the token is made.
    if (trust && !(await consumeTrustUse(this.deps.db, trust.id))) throw identityErrors.trustNotFound(trust.id);
    return data;
  }

  /**
   * A trust-scoped token for a service's own user, the trust's trustee, made
   * in-process (Heat and Aodh act later for a user: Keystone's
   * get_trusted_client). As at POST /v3/auth/tokens: 401 when the trust is
   * gone, 403 when this user is not its trustee or the trustor lost a role,
   * and a use of a limited trust is taken.
   */
  async issueTrustToken(userId: string, trustId: string): Promise<TokenData> {
    const user = await getUser(this.deps.db, userId);
    if (!user) throw identityErrors.authRequired();
    assertUserEnabled(this.deps, user);
    const scope = await this.trustScope(trustId, user);
    const trust = await usableTrust(this.deps.db, trustId);
    let expiresAt = new Date(nowMs() + this.deps.config.token.expiration * 1000);
    if (trust?.expires_at) expiresAt = new Date(Math.min(expiresAt.getTime(), Date.parse(trust.expires_at)));
    const payload: TokenPayload = { userId, methods: ['password'], scope, expiresAt, auditIds: [this.deps.tokens.newAuditId()] };
    const token = this.deps.tokens.issue(payload);
    const data = await this.resolve(token, { ...payload, issuedAt: new Date(Math.floor(nowMs() / 1000) * 1000) }, 'auth', { minted: true });
    if (!(await consumeTrustUse(this.deps.db, trustId))) throw identityErrors.trustNotFound(trustId);
    return data;
  }

  /**
   * Validates a token presented as X-Auth-Token (failures are 401) or as
   * X-Subject-Token (failures are 404, as Keystone answers).
   */
  async validate(token: string, as: 'auth' | 'subject' = 'auth'): Promise<TokenData> {
    // A cached token is not opened again: its entry ends with its expiry and with any reload of the keys.
    const cached = this.#cache.get(token);
    if (cached) return cached;
    const stamp = this.#cache.stamp();
    let payload: OpenedToken;
    try {
      payload = this.deps.tokens.open(token);
    } catch (error) {
      if (as === 'subject') throw identityErrors.notFound('token', token);
      throw error;
    }
    const data = await this.resolve(token, payload, as);
    this.#cache.set(token, data, payload.expiresAt.getTime(), stamp);
    return data;
  }

  /**
   * A validation answer the API rendered earlier under `key`, which must name
   * everything the answer depends on (both tokens, the query). It holds as
   * long as a validated token would: no identity write, no key reload, and
   * neither token expired.
   */
  cachedAnswer(key: string): Buffer | undefined {
    return this.#answers.get(key);
  }

  /** Taken before the tokens behind an answer are validated, and handed to `rememberAnswer`. */
  answerStamp(): CacheStamp {
    return this.#answers.stamp();
  }

  /** Remembers an answer rendered from tokens validated since `stamp`, until the first of them expires (`expiresAt`). */
  rememberAnswer(key: string, body: Buffer, expiresAt: Date[], stamp: CacheStamp): void {
    this.#answers.set(key, body, Math.min(...expiresAt.map((at) => at.getTime())), stamp);
  }

  /**
   * DELETE /v3/auth/tokens: revokes this token by its own audit id. Tokens it
   * was exchanged from or for stay valid, as in Keystone.
   */
  async revoke(data: TokenData): Promise<void> {
    const now = nowIso();
    await insertRevocationEvent(this.deps.db, {
      audit_id: data.payload.auditIds[0] as string,
      user_id: null,
      project_id: null,
      domain_id: null,
      issued_before: now,
      revoked_at: now,
    });
  }

  /** Policy for acting on another token: admins and services, or the token's own user. */
  authorizeTokenAction(auth: CallerContext, action: 'validate_token' | 'check_token' | 'revoke_token', subject: TokenData): void {
    this.deps.authz.authorize(auth, action, { token: { user_id: subject.user.id } });
  }

  async hasSystemRoles(userId: string): Promise<boolean> {
    return (await effectiveRoles(this.deps.db, userId, { system: true })).length > 0;
  }

  /** The catalog a token shows (GET /v3/auth/catalog and token bodies). */
  async catalog(data: TokenData): Promise<CatalogService[]> {
    return tokenCatalog(this.deps.db, data.project?.project.id ?? null);
  }

  /** The caller a validated token stands for; the API adds the request id (`authenticateRequest`). */
  toCallerContext(data: TokenData): CallerContext {
    return {
      token: data.token,
      userId: data.user.id,
      userName: data.user.name,
      userDomainId: data.userDomain.id,
      userDomainName: data.userDomain.name,
      project: data.project
        ? { id: data.project.project.id, name: data.project.project.name, domainId: data.project.domain.id, domainName: data.project.domain.name }
        : null,
      domain: data.domain ? { id: data.domain.id, name: data.domain.name } : null,
      system: data.system,
      roles: data.roles.map((r) => r.name),
      roleIds: data.roles.map((r) => r.id),
      isAdminProject: data.project !== null && data.project.project.id === this.deps.adminProjectId(),
      applicationCredentialId: data.appCredential?.id ?? null,
      trustId: data.trust?.id ?? null,
      oauthAccessTokenId: data.accessToken?.id ?? null,
      auditIds: data.payload.auditIds,
      expiresAt: data.payload.expiresAt,
      issuedAt: data.payload.issuedAt,
      requestId: null,
    };
  }

  /** The token method's token: Keystone answers 404 when it is invalid, expired or revoked. */
  private async openSubject(token: string) {
    const data = await this.validate(token, 'subject');
    return { payload: data.payload, user: data.user, userDomain: data.userDomain };
  }

  private async requestedScope(scope: ScopeRequest, user: User): Promise<TokenScope> {
    if (scope === 'unscoped') return { kind: 'unscoped' };
    if (scope === undefined) {
      // Keystone scopes to the user's default project when they have a role there.
      if (!user.default_project_id) return { kind: 'unscoped' };
      try {
        const { project } = await resolveScopeProject(this.deps.db, { id: user.default_project_id });
        const roles = await effectiveRoles(this.deps.db, user.id, { project });
        return roles.length > 0 ? { kind: 'project', projectId: project.id } : { kind: 'unscoped' };
      } catch {
        return { kind: 'unscoped' };
      }
    }
    if ('project' in scope) return { kind: 'project', projectId: (await resolveScopeProject(this.deps.db, scope.project)).project.id };
    if ('domain' in scope) return { kind: 'domain', domainId: (await resolveScopeDomain(this.deps.db, scope.domain)).id };
    if ('trust' in scope) return this.trustScope(scope.trust.id, user);
    if (scope.system.all !== true) throw identityErrors.systemScopeAllOnly();
    return { kind: 'system' };
  }

  /**
   * A trust scope for `user`, who must be the trustee; the trust must exist
   * (401 otherwise, as Keystone answers a TrustNotFound at auth) and still
   * pass on all its roles (403).
   */
  private async trustScope(trustId: string, user: User): Promise<TokenScope> {
    const trust = await usableTrust(this.deps.db, trustId);
    if (!trust) throw identityErrors.trustNotFound(trustId);
    if (trust.trustee_user_id !== user.id) throw identityErrors.notTrustee();
    const trustor = await getUser(this.deps.db, trust.trustor_user_id);
    try {
      if (!trustor) throw identityErrors.trustorDisabled();
      assertUserEnabled(this.deps, trustor);
    } catch {
      throw identityErrors.trustorDisabled();
    }
    await delegatedRoles(this.deps.db, trust);
    return { kind: 'trust', trustId: trust.id, projectId: trust.project_id };
  }

  /** Turns a payload into TokenData, failing if anything it relies on changed. */
  /**
   * What a token stands for now. A token `minted` by this request is not held against revocation events: they
   * all predate it, yet its issue time has a Fernet timestamp's one-second precision, so an event of the same
   * second (a password reset just before this login) would match it. Keystone, precise to the second too,
   * does not check events when it issues a token; a validation in that same second refuses it, as Keystone's.
   */
  private async resolve(token: string, payload: OpenedToken, as: 'auth' | 'subject', options: { minted?: boolean } = {}): Promise<TokenData> {
    const fail = (message: string) => identityErrors.tokenRefused(as === 'subject', message);
    const db = this.deps.db;
    const user = await getUser(db, payload.userId);
    const userDomain = user ? await getDomain(db, user.domain_id) : undefined;
    if (!user || !userDomain || !toBool(userDomain.enabled)) throw fail(`Could not find token: ${token}.`);
    try {
      assertUserEnabled(this.deps, user);
    } catch {
      throw fail(`Could not find token: ${token}.`);
    }
    const data: TokenData = {
      token,
      payload,
      user,
      userDomain,
      passwordExpiresAt: (await passwordHistory(db, user.id, 1))[0]?.expires_at ?? null,
      project: null,
      domain: null,
      system: false,
      roles: [],
      appCredential: null,
      trust: null,
      accessToken: null,
    };
    const scope = payload.scope;
    try {
      if (scope.kind === 'trust') await trustTokenData(this.deps, data, scope.trustId);
      if (scope.kind === 'project') {
        data.project = await resolveScopeProject(db, { id: scope.projectId });
        data.roles = await effectiveRoles(db, user.id, { project: data.project.project });
      } else if (scope.kind === 'domain') {
        data.domain = await resolveScopeDomain(db, { id: scope.domainId });
        data.roles = await effectiveRoles(db, user.id, { domainId: scope.domainId });
      } else if (scope.kind === 'system') {
        data.system = true;
        data.roles = await effectiveRoles(db, user.id, { system: true });
      }
    } catch {
      throw fail(`Could not find token: ${token}.`);
    }
    if (payload.accessTokenId) {
      // Deleting the access token (or its consumer) voids every token issued from it.
      const accessToken = await getAccessToken(db, payload.accessTokenId);
      if (!accessToken || !data.project || accessToken.project_id !== data.project.project.id) throw fail(`Could not find token: ${token}.`);
      data.accessToken = accessToken;
      data.roles = await oauthRoles(db, accessToken, user.id, data.project.project);
    }
    if (payload.applicationCredentialId) {
      const credential = await getAppCredential(db, payload.applicationCredentialId);
      if (!credential) throw fail(`Could not find token: ${token}.`);
      data.appCredential = credential;
      const allowed = new Set((await appCredentialRoleIds(db, [credential.id])).get(credential.id) ?? []);
      data.roles = data.roles.filter((role) => allowed.has(role.id));
    }
    if (scope.kind !== 'unscoped' && !(scope.kind === 'trust' && scope.projectId === null) && data.roles.length === 0) {
      const target =
        scope.kind === 'project' || scope.kind === 'trust' ? `project ${scope.projectId}` : scope.kind === 'domain' ? `domain ${scope.domainId}` : 'the system';
      throw as === 'subject' ? identityErrors.notFound('token', token) : identityErrors.noAccess(user.id, target);
    }
    const revoked =
      !options.minted &&
      (await isRevoked(db, {
        auditId: payload.auditIds[0] as string,
        userId: user.id,
        projectId: data.project?.project.id ?? null,
        domainId: data.domain?.id ?? null,
        issuedAt: payload.issuedAt.toISOString(),
      }));
    if (revoked) throw as === 'subject' ? identityErrors.notFound('token', token) : identityErrors.authRequired();
    return data;
  }
}

/**
 * What a trust-scoped token stands for, re-read at each validation: the trust
 * still usable, the token's user its trustee, the trustor enabled and still
 * holding every delegated role (else the token is void).
 */
async function trustTokenData(deps: IdentityDeps, data: TokenData, trustId: string): Promise<void> {
  const db = deps.db;
  const trust = await usableTrust(db, trustId);
  if (!trust || trust.trustee_user_id !== data.user.id) throw identityErrors.trustNotFound(trustId);
  const trustor = await getUser(db, trust.trustor_user_id);
  const trustorDomain = trustor ? await getDomain(db, trustor.domain_id) : undefined;
  if (!trustor || !trustorDomain || !toBool(trustorDomain.enabled)) throw identityErrors.trustorDisabled();
  assertUserEnabled(deps, trustor);
  data.trust = trust;
  if (trust.project_id) data.project = await resolveScopeProject(db, { id: trust.project_id });
  data.roles = await delegatedRoles(db, trust);
  if (toBool(trust.impersonation)) {
    data.user = trustor;
    data.userDomain = trustorDomain;
    data.passwordExpiresAt = (await passwordHistory(db, trustor.id, 1))[0]?.expires_at ?? null;
  }
}

function sameProject(scope: ScopeRequest, projectId: string | null): boolean {
  return typeof scope === 'object' && 'project' in scope && scope.project.id === projectId;
}
