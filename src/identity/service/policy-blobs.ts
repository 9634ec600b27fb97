/**
 * The policies API (/v3/policies): opaque blobs with a MIME type, which
 * Keystone stores for other services and never enforces itself. Nimbus's
 * own rules are policies.ts and policy.yaml, untouched by these.
 */
import type { CallerContext } from '../../core/context.js';

import { hexId } from '../../core/ids.js';
import * as store from '../store/index.js';
import type { PolicyBlob } from '../store/index.js';
import type { IdentityDeps } from './deps.js';
import { extraOf, mergeExtra, type Attributes } from './extras.js';
import { requireMatchingId } from './validation.js';

const POLICY_FIELDS = ['id', 'type', 'blob', 'links'] as const;

export class PolicyBlobOps {
  constructor(private readonly deps: IdentityDeps) {}

  async create(auth: CallerContext, body: Attributes): Promise<PolicyBlob> {
    this.deps.authz.authorize(auth, 'create_policy');
    const id = hexId();
    await store.insertPolicyBlob(this.deps.db, { id, type: body.type as string, blob: body.blob as string, extra: extraOf(body, POLICY_FIELDS) });
    return store.getPolicyBlobOrThrow(this.deps.db, id);
  }

  async get(auth: CallerContext, id: string): Promise<PolicyBlob> {
    this.deps.authz.authorize(auth, 'get_policy');
    return store.getPolicyBlobOrThrow(this.deps.db, id);
  }

  async list(auth: CallerContext, filter: { type?: string }): Promise<PolicyBlob[]> {
    this.deps.authz.authorize(auth, 'list_policies');
    return store.listPolicyBlobs(this.deps.db, filter);
  }

  async update(auth: CallerContext, id: string, patch: Attributes): Promise<PolicyBlob> {
    this.deps.authz.authorize(auth, 'update_policy');
    requireMatchingId(patch, id);
    const policy = await store.getPolicyBlobOrThrow(this.deps.db, id);
    await store.updatePolicyBlob(this.deps.db, id, {
      ...(patch.type !== undefined && { type: patch.type as string }),
      ...(patch.blob !== undefined && { blob: patch.blob as string }),
      extra: mergeExtra(policy.extra, patch, POLICY_FIELDS),
    });
    return store.getPolicyBlobOrThrow(this.deps.db, id);
  }

  async delete(auth: CallerContext, id: string): Promise<void> {
    this.deps.authz.authorize(auth, 'delete_policy');
    await store.getPolicyBlobOrThrow(this.deps.db, id);
    await store.deletePolicyBlob(this.deps.db, id);
  }
}
