/**
 * The OS-OAUTH1 delegation flow (keystone/api/os_oauth1.py): a consumer asks
 * for a request token on a project, a user holding the roles authorizes it
 * (getting a verifier), the consumer trades token and verifier for an access
 * token, and signs `POST /v3/auth/tokens` with it (method `oauth1`) to get
 * project-scoped tokens carrying the delegated roles. Each step checks its
 * request as Keystone does, in Keystone's order, so the same mistakes get the
 * same answers.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { CallerContext } from '../../core/context.js';
import { isoMicros, nowMs } from '../../core/time.js';
import * as store from '../store/index.js';
import type { AccessToken, IdentityDb, Project, Role } from '../store/index.js';
import type { IdentityDeps } from './deps.js';
import { effectiveRoles, expandImpliedRoles } from './effective-roles.js';
import { identityErrors } from '../errors.js';
import { oauth1Errors } from './oauth1-errors.js';
import {
  authorizationParams,
  isTokenKey,
  OAuthRequestError,
  readOAuthRequest,
  signatureValid,
  type OAuthRequest,
  type SignedRequest,
} from './oauth1-signature.js';

/** A token and its secret as the form-encoded answers give them. */
export interface IssuedOAuthToken {
  key: string;
  secret: string;
  /** ISO 8601 with microseconds; null when the configured duration is 0. */
  expiresAt: string | null;
}

export type RoleRef = { id: string } | { name: string };

/** keystone/oauth1/backends/base.py: letters and digits without the ones easily confused. */
const VERIFIER_CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'].filter((c) => !'jiIl1oO0'.includes(c));

export class OAuth1FlowOps {
  constructor(private readonly deps: IdentityDeps) {}

  /** POST /v3/OS-OAUTH1/request_token: signed with the consumer's key and secret only. */
  async createRequestToken(request: SignedRequest, requestedProjectId: string | undefined): Promise<IssuedOAuthToken> {
    const headerParams = oauthHeader(request);
    const consumerId = headerParams.oauth_consumer_key;
    if (!consumerId) throw identityErrors.expectingToFind('oauth_consumer_key', 'request');
    if (!requestedProjectId) throw identityErrors.expectingToFind('Requested-Project-Id', 'request');
    await store.getProjectOrThrow(this.deps.db, requestedProjectId);
    const consumer = await store.getConsumerOrThrow(this.deps.db, consumerId);
    const signed = checked(request);
    if (signed.realm) throw oauth1Errors.validationFailed('invalid_request', `Invalid realm ['${signed.realm}']. Allowed are [].`);
    if (!signed.oauth.oauth_callback) throw oauth1Errors.validationFailed('invalid_request', 'Missing callback URI.');
    if (!signatureValid(signed, consumer.secret, null)) throw oauth1Errors.invalidSignature();
    const token = {
      key: randomUUID().replaceAll('-', ''),
      secret: randomUUID().replaceAll('-', ''),
      expiresAt: expiry(this.deps.config.oauth1.request_token_duration),
    };
    await store.insertRequestToken(this.deps.db, {
      id: token.key,
      request_secret: token.secret,
      verifier: null,
      authorizing_user_id: null,
      requested_project_id: requestedProjectId,
      role_ids: null,
      consumer_id: consumerId,
      expires_at: token.expiresAt,
    });
    return token;
  }

  /**
   * PUT /v3/OS-OAUTH1/authorize/{id}: the caller (not by a delegated token)
   * must hold every role on the requested project; answers the verifier.
   */
  async authorize(auth: CallerContext, requestTokenId: string, roles: RoleRef[]): Promise<string> {
    this.deps.authz.authorize(auth, 'authorize_request_token');
    if (isDelegated(auth)) throw oauth1Errors.delegatedAuthorize();
    const db = this.deps.db;
    const requestToken = await store.getRequestToken(db, requestTokenId);
    if (!requestToken) throw oauth1Errors.requestTokenNotFound();
    if (expired(requestToken.expires_at)) throw oauth1Errors.requestTokenExpired();
    const wanted = new Set<string>();
    for (const ref of roles) wanted.add('id' in ref ? ref.id : await roleIdByName(db, ref.name));
    const project = await store.getProjectOrThrow(db, requestToken.requested_project_id);
    const held = new Set((await effectiveRoles(db, auth.userId, { project })).map((r) => r.id));
    if ([...wanted].some((id) => !held.has(id))) throw oauth1Errors.roleNotHeld();
    const verifier = Array.from({ length: 8 }, () => VERIFIER_CHARS[randomInt(VERIFIER_CHARS.length)]).join('');
    await store.authorizeRequestToken(db, requestTokenId, { authorizing_user_id: auth.userId, verifier, role_ids: JSON.stringify([...wanted]) });
    return verifier;
  }

  /** POST /v3/OS-OAUTH1/access_token: signed with the consumer and the authorized request token, carrying the verifier. */
  async createAccessToken(request: SignedRequest): Promise<IssuedOAuthToken> {
    const headerParams = oauthHeader(request);
    for (const name of ['oauth_consumer_key', 'oauth_token', 'oauth_verifier']) {
      if (!headerParams[name]) throw identityErrors.expectingToFind(name, 'request');
    }
    const db = this.deps.db;
    const requestToken = await store.getRequestToken(db, headerParams.oauth_token as string);
    if (!requestToken) throw oauth1Errors.requestTokenNotFound();
    if (expired(requestToken.expires_at)) throw oauth1Errors.requestTokenExpired();
    const signed = checked(request);
    const { oauth_token: tokenKey, oauth_verifier: verifier, oauth_consumer_key: consumerId } = signed.oauth;
    if (!tokenKey) throw oauth1Errors.validationFailed('invalid_request', 'Missing resource owner.');
    if (!isTokenKey(tokenKey)) throw oauth1Errors.validationFailed('invalid_request', 'Invalid resource owner key format.');
    if (!verifier) throw oauth1Errors.validationFailed('invalid_request', 'Missing verifier.');
    if (verifier.length !== 8 || [...verifier].some((c) => !VERIFIER_CHARS.includes(c))) {
      throw oauth1Errors.validationFailed('invalid_request', 'Invalid verifier format.');
    }
    const consumer = await store.getConsumer(db, consumerId as string);
    if (!consumer) throw oauth1Errors.consumerMissing();
    if (requestToken.consumer_id !== consumer.id) throw oauth1Errors.consumerMismatch();
    if (requestToken.verifier !== verifier) throw oauth1Errors.verifierMismatch();
    if (!signatureValid(signed, consumer.secret, requestToken.request_secret)) throw oauth1Errors.invalidSignature();
    if (!requestToken.authorizing_user_id || requestToken.role_ids === null) throw oauth1Errors.notAuthorized();
    const token = {
      key: randomUUID().replaceAll('-', ''),
      secret: randomUUID().replaceAll('-', ''),
      expiresAt: expiry(this.deps.config.oauth1.access_token_duration),
    };
    const { authorizing_user_id: userId, role_ids: roleIds } = requestToken;
    await db.transaction().execute(async (trx) => {
      // The request token is spent: a second exchange (a replayed verifier) finds it gone.
      if (!(await store.deleteRequestToken(trx, requestToken.id))) throw oauth1Errors.requestTokenNotFound();
      await store.insertAccessToken(trx, {
        id: token.key,
        access_secret: token.secret,
        authorizing_user_id: userId,
        project_id: requestToken.requested_project_id,
        role_ids: roleIds,
        consumer_id: consumer.id,
        expires_at: token.expiresAt,
      });
    });
    return token;
  }
}

/**
 * The `oauth1` auth method (keystone/auth/plugins/oauth1.py): the access
 * token a request is signed with, when it is live and the signature holds.
 */
export async function authenticateOAuth1(deps: IdentityDeps, request: SignedRequest): Promise<AccessToken> {
  const tokenKey = oauthHeader(request).oauth_token;
  if (!tokenKey) throw identityErrors.expectingToFind('oauth_token', 'request');
  const accessToken = await store.getAccessToken(deps.db, tokenKey);
  if (!accessToken) throw oauth1Errors.accessTokenNotFound();
  if (expired(accessToken.expires_at)) throw oauth1Errors.accessTokenExpired();
  let signed: OAuthRequest;
  try {
    signed = readOAuthRequest(request, nowMs());
  } catch (error) {
    if (error instanceof OAuthRequestError) throw oauth1Errors.accessTokenInvalid();
    throw error;
  }
  // Keystone checks only that the access token exists; it must also be this consumer's.
  const consumer = await store.getConsumer(deps.db, signed.oauth.oauth_consumer_key as string);
  if (!consumer || consumer.id !== accessToken.consumer_id || !signatureValid(signed, consumer.secret, accessToken.access_secret)) {
    throw oauth1Errors.accessTokenInvalid();
  }
  return accessToken;
}

/**
 * The roles an OAuth token carries (Keystone's _get_oauth_roles): the
 * delegated roles and those they imply, as far as the user still holds them
 * on the project.
 */
export async function oauthRoles(db: IdentityDb, accessToken: AccessToken, userId: string, project: Project): Promise<Role[]> {
  const delegated = await expandImpliedRoles(db, JSON.parse(accessToken.role_ids) as string[]);
  const held = new Set((await effectiveRoles(db, userId, { project })).map((r) => r.id));
  return (
    await store.rolesByIds(
      db,
      delegated.filter((id) => held.has(id)),
    )
  ).sort((a, b) => a.name.localeCompare(b.name));
}

/** Whether the caller's token was issued from an OAuth access token. */
export function isOAuthToken(auth: CallerContext): boolean {
  return auth.oauthAccessTokenId !== null;
}

/** Whether the caller's token is a delegation (trust, application credential or OAuth access token). */
export function isDelegated(auth: CallerContext): boolean {
  return auth.trustId !== null || auth.applicationCredentialId !== null || isOAuthToken(auth);
}

/** The Authorization header's parameters as Keystone's get_oauth_headers reads them. */
function oauthHeader(request: SignedRequest): Record<string, string> {
  try {
    const params = authorizationParams(request.authorization);
    if (!params) throw oauth1Errors.headersMissing();
    return Object.fromEntries(params);
  } catch (error) {
    if (error instanceof OAuthRequestError) throw oauth1Errors.validationFailed(error.error, error.description);
    throw error;
  }
}

/** oauthlib's checks before any lookup, its errors as Keystone reports them (400). */
function checked(request: SignedRequest): OAuthRequest {
  try {
    return readOAuthRequest(request, nowMs());
  } catch (error) {
    if (error instanceof OAuthRequestError) throw oauth1Errors.validationFailed(error.error, error.description);
    throw error;
  }
}

async function roleIdByName(db: IdentityDb, name: string): Promise<string> {
  const role = await store.findRoleByName(db, name);
  if (!role) throw identityErrors.notFound('role', name);
  return role.id;
}

function expiry(durationSeconds: number): string | null {
  return durationSeconds > 0 ? isoMicros(new Date(nowMs() + durationSeconds * 1000)) : null;
}

/** Keystone compares `now > expires_at`. */
export function expired(expiresAt: string | null): boolean {
  return expiresAt !== null && nowMs() > Date.parse(expiresAt);
}
