/**
 * The identity service's operations: what its API calls, and what other
 * services (Heat creating users, Nova resolving projects) may call with the
 * caller's context.
 */
import { AppCredentialOps } from './app-credentials.js';
import { AssignmentOps } from './assignments.js';
import { CatalogOps } from './catalog.js';
import { CredentialOps } from './credentials.js';
import type { IdentityDeps } from './deps.js';
import { Ec2CredentialOps } from './ec2-credentials.js';
import { LimitOps } from './limits.js';
import { ResourceOps } from './resources.js';
import { RoleOps } from './roles.js';
import { TokenService } from './tokens.js';
import { UserOps } from './users.js';

export interface IdentityOperations {
  tokens: TokenService;
  resources: ResourceOps;
  users: UserOps;
  roles: RoleOps;
  assignments: AssignmentOps;
  catalog: CatalogOps;
  appCredentials: AppCredentialOps;
  credentials: CredentialOps;
  ec2Credentials: Ec2CredentialOps;
  limits: LimitOps;
}

export function identityOperations(deps: IdentityDeps): IdentityOperations {
  return {
    tokens: new TokenService(deps),
    resources: new ResourceOps(deps),
    users: new UserOps(deps),
    roles: new RoleOps(deps),
    assignments: new AssignmentOps(deps),
    catalog: new CatalogOps(deps),
    appCredentials: new AppCredentialOps(deps),
    credentials: new CredentialOps(deps),
    ec2Credentials: new Ec2CredentialOps(deps),
    limits: new LimitOps(deps),
  };
}

export type { IdentityDeps } from './deps.js';
