/** Every identity route, mounted under /identity. */
import type { FastifyInstance } from 'fastify';
import { applicationCredentialRoutes } from './application-credentials.js';
import { assignmentRoutes } from './assignments.js';
import { authRoutes } from './auth.js';
import { catalogRoutes } from './catalog.js';
import type { IdentityApi } from './context.js';
import { credentialRoutes } from './credentials.js';
import { domainConfigRoutes } from './domain-config.js';
import { domainRoutes } from './domains.js';
import { endpointFilterRoutes } from './endpoint-filter.js';
import { ec2CredentialRoutes } from './ec2-credentials.js';
import { federationRoutes } from './federation.js';
import { groupRoutes } from './groups.js';
import { limitRoutes } from './limits.js';
import { oauth1ConsumerRoutes } from './oauth1-consumers.js';
import { oauth1TokenRoutes } from './oauth1-tokens.js';
import { policyBlobRoutes } from './policy-blobs.js';
import { projectRoutes } from './projects.js';
import { roleRoutes } from './roles.js';
import { trustRoutes } from './trusts.js';
import { userRoutes } from './users.js';
import { versionRoutes } from './versions.js';

export function identityRoutes(app: FastifyInstance, api: IdentityApi): void {
  for (const routes of [
    versionRoutes,
    authRoutes,
    domainRoutes,
    domainConfigRoutes,
    projectRoutes,
    userRoutes,
    groupRoutes,
    roleRoutes,
    assignmentRoutes,
    catalogRoutes,
    endpointFilterRoutes,
    applicationCredentialRoutes,
    credentialRoutes,
    ec2CredentialRoutes,
    limitRoutes,
    policyBlobRoutes,
    oauth1ConsumerRoutes,
    oauth1TokenRoutes,
    trustRoutes,
    federationRoutes,
  ]) {
    routes(app, api);
  }
}

export type { IdentityApi } from './context.js';
