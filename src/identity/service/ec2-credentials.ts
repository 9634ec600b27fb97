/**
 * Keystone's OS-EC2 API (/v3/users/{user_id}/credentials/OS-EC2): EC2 key
 * pairs a user makes for one project. Each is a credential of type `ec2`
 * whose id is the SHA-256 of its access key, with the pair in its blob, so it
 * shows under /v3/credentials as well; here it is named by its access key.
 *
 * Errors as Keystone gives them: an unknown access key is a 404 for the
 * credential (looked up before policy), a credential of another type a 401
 * ("EC2 access key not found."), a missing user or project a 404.
 */
import type { CallerContext } from '../../core/context.js';

import { hexId } from '../../core/ids.js';
import * as store from '../store/index.js';
import type { Credential } from '../store/index.js';
import { assertUnrestrictedToken } from './app-credentials.js';
import { assertInDelegatedProject, ec2CredentialId, inDelegatedProject } from './credentials.js';
import type { IdentityDeps } from './deps.js';
import { identityErrors } from '../errors.js';

const EC2 = 'ec2';
const DELEGATION_MISMATCH = 'EC2 credential';

/** One key pair, as the API shows it (the secret every time, as Keystone does). */
export interface Ec2Credential {
  userId: string;
  projectId: string | null;
  access: string;
  secret: string | null;
  /** Always null here: Nimbus has no trusts. */
  trustId: string | null;
}

export class Ec2CredentialOps {
  constructor(private readonly deps: IdentityDeps) {}

  /** The user's ec2 credentials; a delegated token sees only those of its own project. */
  async list(auth: CallerContext, userId: string): Promise<Ec2Credential[]> {
    this.deps.authz.authorize(auth, 'ec2_list_credentials', { user_id: userId });
    await store.getUserOrThrow(this.deps.db, userId);
    const credentials = await store.listCredentials(this.deps.db, { userId, type: EC2 });
    return credentials.filter((c) => inDelegatedProject(auth, c.project_id)).map(toEc2);
  }

  /**
   * A new random access key and secret for `userId` on project `tenantId`.
   * Not with a token of a restricted application credential (403), and a
   * delegated token only for its own project (403).
   */
  async create(auth: CallerContext, userId: string, tenantId: unknown): Promise<Ec2Credential> {
    this.deps.authz.authorize(auth, 'ec2_create_credential', { user_id: userId, credential: { user_id: userId } });
    // Keystone words this guard as it does for application credentials.
    await assertUnrestrictedToken(this.deps, auth, 'application credentials');
    await store.getUserOrThrow(this.deps.db, userId);
    const project = typeof tenantId === 'string' ? await store.getProject(this.deps.db, tenantId) : undefined;
    if (!project) throw identityErrors.notFound('project', typeof tenantId === 'string' ? tenantId : 'None');
    assertInDelegatedProject(auth, project.id, DELEGATION_MISMATCH);
    const access = hexId();
    await store.insertCredential(this.deps.db, {
      id: ec2CredentialId(access),
      user_id: userId,
      project_id: project.id,
      type: EC2,
      blob: pythonJson({ access, secret: hexId(), trust_id: null }),
      extra: '{}',
    });
    return toEc2(await store.getCredentialOrThrow(this.deps.db, ec2CredentialId(access)));
  }

  async get(auth: CallerContext, userId: string, access: string): Promise<Ec2Credential> {
    return toEc2(await this.authorized(auth, 'ec2_get_credential', userId, access));
  }

  async delete(auth: CallerContext, userId: string, access: string): Promise<void> {
    const credential = await this.authorized(auth, 'ec2_delete_credential', userId, access);
    await store.deleteCredential(this.deps.db, credential.id);
  }

  /**
   * The ec2 credential of `access`, checked in Keystone's order. The policy
   * sees the credential's owner; the user in the URL must exist but need not
   * be that owner (Keystone does not compare them either).
   */
  private async authorized(auth: CallerContext, action: string, userId: string, access: string): Promise<Credential> {
    const credential = await store.getCredentialOrThrow(this.deps.db, ec2CredentialId(access));
    this.deps.authz.authorize(auth, action, { user_id: userId, credential });
    await store.getUserOrThrow(this.deps.db, userId);
    if (credential.type !== EC2) throw identityErrors.ec2KeyNotFound();
    assertInDelegatedProject(auth, credential.project_id, DELEGATION_MISMATCH);
    return credential;
  }
}

function toEc2(credential: Credential): Ec2Credential {
  let blob: Record<string, unknown> = {};
  try {
    blob = JSON.parse(credential.blob) as Record<string, unknown>;
  } catch {
    // Only /v3/credentials writes other blobs, and it checks ec2 ones; show the pair as absent.
  }
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    userId: credential.user_id,
    projectId: credential.project_id,
    access: text(blob.access) ?? '',
    secret: text(blob.secret),
    trustId: text(blob.trust_id),
  };
}

/** A flat object as Python's json.dumps writes it, so the stored blob reads as Keystone's does. */
function pythonJson(object: Record<string, string | null>): string {
  return `{${Object.entries(object)
    .map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`)
    .join(', ')}}`;
}
