/**
 * The trusts half of identity/operations.ts: how a service acts later for a
 * user whose token will have expired by then (Heat's deferred auth, Aodh's
 * `trust+http` alarm actions). The user delegates their roles on their
 * project to the service's own user (`heat`, `aodh`, ...) while their token is
 * valid; later the service gets trust-scoped tokens through that trust. As
 * Keystone: deleting the trust, or taking a delegated role from the user,
 * ends it (401/403 when a token is asked for).
 */
import type { CallerContext } from '../core/context.js';
import { NotFound } from '../core/errors.js';
import { identityErrors } from './errors.js';
import type { IdentityServiceOps } from './service/index.js';
import * as store from './store/index.js';
import { DEFAULT_DOMAIN_ID } from './bootstrap.js';

export interface TrustOperations {
  /**
   * A trust from the caller to `service`'s user on the caller's project,
   * impersonating, with all the caller's roles there (Heat's default
   * trusts_delegated_roles, Aodh's create_trust_id). Returns its id.
   */
  delegateToService(caller: CallerContext, service: string): Promise<string>;
  /** A trust-scoped token of `service`'s user through its trust, and the caller it stands for (the trustor, impersonated). */
  trustToken(service: string, trustId: string): Promise<{ token: string; caller: CallerContext }>;
  /** Deletes a trust `service` holds as trustee; one already gone is fine. */
  deleteServiceTrust(service: string, trustId: string): Promise<void>;
}

export function trustOperations(service: IdentityServiceOps, db: store.IdentityDb): TrustOperations {
  const serviceUserId = async (name: string): Promise<string> => {
    const user = await store.findUserByName(db, DEFAULT_DOMAIN_ID, name);
    if (!user) throw identityErrors.notFound('user', name);
    return user.id;
  };
  return {
    async delegateToService(caller, name) {
      if (!caller.project) throw identityErrors.expectingToFind('project_id', 'trust');
      const trust = await service.trusts.create(caller, {
        trustor_user_id: caller.userId,
        trustee_user_id: await serviceUserId(name),
        project_id: caller.project.id,
        impersonation: true,
        roles: caller.roleIds.map((id) => ({ id })),
      });
      return trust.id;
    },
    async trustToken(name, trustId) {
      const data = await service.tokens.issueTrustToken(await serviceUserId(name), trustId);
      return { token: data.token, caller: service.tokens.toCallerContext(data) };
    },
    async deleteServiceTrust(name, trustId) {
      const trust = await store.getTrustRow(db, trustId);
      if (!trust) return;
      if (trust.trustee_user_id !== (await serviceUserId(name))) throw new NotFound(`Could not find trust: ${trustId}.`);
      await service.trusts.deleteHeld(trustId);
    },
  };
}
