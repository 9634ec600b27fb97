/**
 * A user's OS-OAUTH1 access tokens (keystone/api/users.py): list, show,
 * delete, and the roles each delegates. Deleting one voids the tokens issued
 * from it at once, since token validation re-reads the access token.
 */
import type { CallerContext } from '../../core/context.js';
import * as store from '../store/index.js';
import type { AccessToken, Role } from '../store/index.js';
import type { IdentityDeps } from './deps.js';
import { isDelegated } from './oauth1-flow.js';
import { oauth1Errors } from './oauth1-errors.js';

export class OAuth1AccessTokenOps {
  constructor(private readonly deps: IdentityDeps) {}

  async list(auth: CallerContext, userId: string): Promise<AccessToken[]> {
    this.deps.authz.authorize(auth, 'list_access_tokens');
    this.refuseDelegated(auth);
    return store.listAccessTokens(this.deps.db, userId);
  }

  async get(auth: CallerContext, userId: string, id: string): Promise<AccessToken> {
    this.deps.authz.authorize(auth, 'get_access_token');
    this.refuseDelegated(auth);
    const token = await this.find(id);
    if (token.authorizing_user_id !== userId) throw oauth1Errors.notFound();
    return token;
  }

  /** Keystone checks this with ec2_delete_credential's rule: admins, or the user themself. */
  async delete(auth: CallerContext, userId: string, id: string): Promise<void> {
    this.deps.authz.authorize(auth, 'ec2_delete_credential', { user_id: userId, credential: { user_id: userId } });
    this.refuseDelegated(auth);
    const token = await this.find(id);
    if (token.authorizing_user_id !== userId) throw oauth1Errors.userIdsDiffer();
    await store.deleteAccessToken(this.deps.db, id);
  }

  async roles(auth: CallerContext, userId: string, id: string): Promise<Role[]> {
    this.deps.authz.authorize(auth, 'list_access_token_roles');
    const token = await this.find(id);
    if (token.authorizing_user_id !== userId) throw oauth1Errors.notFound();
    return store.rolesByIds(this.deps.db, JSON.parse(token.role_ids) as string[]);
  }

  async role(auth: CallerContext, userId: string, id: string, roleId: string): Promise<Role> {
    this.deps.authz.authorize(auth, 'get_access_token_role');
    const token = await this.find(id);
    if (token.authorizing_user_id !== userId) throw oauth1Errors.userIdsDiffer();
    const role = (JSON.parse(token.role_ids) as string[]).includes(roleId) ? await store.getRole(this.deps.db, roleId) : undefined;
    if (!role) throw oauth1Errors.roleNotFound(roleId);
    return role;
  }

  private async find(id: string): Promise<AccessToken> {
    const token = await store.getAccessToken(this.deps.db, id);
    if (!token) throw oauth1Errors.accessTokenNotFound();
    return token;
  }

  private refuseDelegated(auth: CallerContext): void {
    if (isDelegated(auth)) throw oauth1Errors.delegatedManage();
  }
}
