/**
 * Credentials: secrets Keystone keeps for other services (EC2 access/secret
 * pairs, certificates, TOTP seeds), each owned by a user. An `ec2` blob must
 * name its access key, and the key's SHA-256 becomes the credential's id, so
 * an EC2 signature check finds the credential from the key alone.
 */
import { createHash } from 'node:crypto';
import type { CallerContext } from '../../core/context.js';

import { hexId } from '../../core/ids.js';
import * as store from '../store/index.js';
import type { Credential } from '../store/index.js';
import { assertUnrestrictedToken } from './app-credentials.js';
import type { IdentityDeps } from './deps.js';
import { extraOf, mergeExtra, type Attributes } from './extras.js';
import { requireMatchingId } from './validation.js';
import { identityErrors } from '../errors.js';

const CREDENTIAL_FIELDS = ['id', 'user_id', 'project_id', 'type', 'blob', 'links'] as const;
/** Keys of an ec2 blob that tie it to a delegation; an update may not change them. */
const EC2_SCOPE_KEYS = ['trust_id', 'app_cred_id', 'access_token_id', 'access_id'];

type Blob = Record<string, unknown>;

export class CredentialOps {
  constructor(private readonly deps: IdentityDeps) {}

  async create(auth: CallerContext, body: Attributes): Promise<Credential> {
    this.deps.authz.authorize(auth, 'create_credential', { credential: body });
    const projectId = (body.project_id as string | null | undefined) ?? null;
    const ec2 = isEc2(body.type);
    if (ec2 && projectId === null) throw identityErrors.ec2NeedsProject();
    if (ec2) await assertUnrestrictedToken(this.deps, auth, 'credentials');
    assertInDelegatedProject(auth, projectId);
    let id = hexId();
    let blob = body.blob as string;
    if (ec2) {
      const parsed = ec2Blob(blob);
      id = ec2CredentialId(String(parsed.access));
      // EC2 tokens made from this credential are then bound like the token that made it.
      if (auth.applicationCredentialId !== null) blob = JSON.stringify({ ...parsed, app_cred_id: auth.applicationCredentialId });
    }
    await store.insertCredential(this.deps.db, {
      id,
      user_id: body.user_id as string,
      project_id: projectId,
      type: body.type as string,
      blob,
      extra: extraOf(body, CREDENTIAL_FIELDS),
    });
    return store.getCredentialOrThrow(this.deps.db, id);
  }

  async get(auth: CallerContext, id: string): Promise<Credential> {
    return this.authorized(auth, 'get_credential', id);
  }

  /**
   * Lists what the caller may read: the policy is asked once for the listing
   * (as the caller's own, unless system-scoped) and again for every row, so
   * project admins and readers see only their own credentials.
   */
  async list(auth: CallerContext, filter: { userId?: string; type?: string }): Promise<Credential[]> {
    this.deps.authz.authorize(auth, 'list_credentials', auth.system ? {} : { credential: { user_id: auth.userId } });
    const credentials = await store.listCredentials(this.deps.db, filter);
    return credentials.filter((c) => this.deps.authz.allowed(auth, 'get_credential', { credential: c }) && inDelegatedProject(auth, c.project_id));
  }

  /** The owner and project may change only to values the caller could create with. */
  async update(auth: CallerContext, id: string, patch: Attributes): Promise<Credential> {
    const current = await this.authorized(auth, 'update_credential', id);
    if (isEc2(current.type) && patch.blob !== undefined) {
      const before = JSON.parse(current.blob) as Blob;
      const after = ec2Blob(patch.blob as string);
      const changed = EC2_SCOPE_KEYS.find((key) => before[key] !== after[key]);
      if (changed !== undefined) throw identityErrors.credentialFieldImmutable(changed);
    }
    requireMatchingId(patch, id);
    this.deps.authz.authorize(auth, 'update_credential', { credential: { ...current, ...patch } });
    await store.updateCredential(this.deps.db, id, {
      ...(patch.user_id !== undefined && { user_id: patch.user_id as string }),
      ...(patch.project_id !== undefined && { project_id: patch.project_id as string | null }),
      ...(patch.type !== undefined && { type: patch.type as string }),
      ...(patch.blob !== undefined && { blob: patch.blob as string }),
      extra: mergeExtra(current.extra, patch, CREDENTIAL_FIELDS),
    });
    return store.getCredentialOrThrow(this.deps.db, id);
  }

  async delete(auth: CallerContext, id: string): Promise<void> {
    await this.authorized(auth, 'delete_credential', id);
    await store.deleteCredential(this.deps.db, id);
  }

  /**
   * The credential, after the policy allowed `action` on it. Policy comes
   * first, as in Keystone: a caller who may not read a credential cannot
   * learn whether an id (an access key's hash) exists.
   */
  private async authorized(auth: CallerContext, action: string, id: string): Promise<Credential> {
    const credential = await store.getCredential(this.deps.db, id);
    this.deps.authz.authorize(auth, action, { credential: credential ?? {} });
    if (!credential) throw identityErrors.notFound('credential', id);
    assertInDelegatedProject(auth, credential.project_id);
    return credential;
  }
}

/** An EC2 credential's id: the SHA-256 of its access key, in hex (Keystone's hash_access_key). */
export function ec2CredentialId(access: string): string {
  return createHash('sha256').update(access, 'utf8').digest('hex');
}

function isEc2(type: unknown): boolean {
  return typeof type === 'string' && type.toLowerCase() === 'ec2';
}

/** An ec2 blob: a JSON object with an `access` key. */
function ec2Blob(text: string): Blob {
  let blob: unknown;
  try {
    blob = JSON.parse(text);
  } catch {
    throw identityErrors.invalidBlob();
  }
  if (!blob || typeof blob !== 'object' || Array.isArray(blob) || Object.keys(blob).length === 0) {
    throw identityErrors.expectingToFind('blob', 'credential');
  }
  const object = blob as Blob;
  if (object.access === undefined || object.access === null) throw identityErrors.expectingToFind('access', 'credential');
  return object;
}

/**
 * A delegated token (one from an application credential) is bound to its
 * project: it reaches only credentials of that exact project, never the
 * user's project-less secrets such as TOTP seeds.
 */
export function inDelegatedProject(auth: CallerContext, projectId: string | null): boolean {
  return auth.applicationCredentialId === null || (projectId !== null && projectId === auth.project?.id);
}

/** `what` names the credential as the API at hand does ('Credential', 'EC2 credential'). */
export function assertInDelegatedProject(auth: CallerContext, projectId: string | null, what = 'Credential'): void {
  if (!inDelegatedProject(auth, projectId)) {
    throw identityErrors.notAuthorized(`${what} project does not match the project scope of the delegated token`);
  }
}
