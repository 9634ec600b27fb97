/**
 * The identity service layer: what its REST API calls. Other services use
 * the public operations built on it (`../operations.ts`), never this.
 */
import { AppCredentialOps } from './app-credentials.js';
import { AssignmentOps } from './assignments.js';
import { CatalogOps } from './catalog.js';
import { CredentialOps } from './credentials.js';
import type { IdentityDeps } from './deps.js';
import { EndpointFilterOps } from './endpoint-filter.js';
import { DomainConfigOps } from './domain-config.js';
import { DomainProjectOps } from './domain-projects.js';
import { Ec2CredentialOps } from './ec2-credentials.js';
import { FederationOps } from './federation.js';
import { LimitOps } from './limits.js';
import { OAuth1AccessTokenOps } from './oauth1-access-tokens.js';
import { ConsumerOps } from './oauth1-consumers.js';
import { OAuth1FlowOps } from './oauth1-flow.js';
import { PolicyBlobOps } from './policy-blobs.js';
import { ResourceOps } from './resources.js';
import { RoleOps } from './roles.js';
import { TokenService } from './tokens.js';
import { TrustOps } from './trusts.js';
import { UserOps } from './users.js';

export interface IdentityServiceOps {
  tokens: TokenService;
  resources: ResourceOps;
  domainConfig: DomainConfigOps;
  domainProjects: DomainProjectOps;
  users: UserOps;
  roles: RoleOps;
  assignments: AssignmentOps;
  catalog: CatalogOps;
  endpointFilter: EndpointFilterOps;
  appCredentials: AppCredentialOps;
  credentials: CredentialOps;
  ec2Credentials: Ec2CredentialOps;
  limits: LimitOps;
  policyBlobs: PolicyBlobOps;
  consumers: ConsumerOps;
  oauth1: OAuth1FlowOps;
  accessTokens: OAuth1AccessTokenOps;
  trusts: TrustOps;
  federation: FederationOps;
}

export function identityServiceOps(deps: IdentityDeps): IdentityServiceOps {
  const resources = new ResourceOps(deps);
  return {
    tokens: new TokenService(deps),
    resources,
    domainProjects: new DomainProjectOps(deps, resources),
    domainConfig: new DomainConfigOps(deps),
    users: new UserOps(deps),
    roles: new RoleOps(deps),
    assignments: new AssignmentOps(deps),
    catalog: new CatalogOps(deps),
    endpointFilter: new EndpointFilterOps(deps),
    appCredentials: new AppCredentialOps(deps),
    credentials: new CredentialOps(deps),
    ec2Credentials: new Ec2CredentialOps(deps),
    limits: new LimitOps(deps),
    policyBlobs: new PolicyBlobOps(deps),
    consumers: new ConsumerOps(deps),
    oauth1: new OAuth1FlowOps(deps),
    accessTokens: new OAuth1AccessTokenOps(deps),
    trusts: new TrustOps(deps),
    federation: new FederationOps(deps),
  };
}

export type { IdentityDeps } from './deps.js';
