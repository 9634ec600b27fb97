/** Every compute route, mounted under /compute (the API itself under /compute/v2.1). */
import type { FastifyInstance } from 'fastify';
import { actionDispatchRoute } from './action-registry.js';
import { aggregateRoutes } from './aggregates.js';
import { availabilityZoneRoutes } from './availability-zones.js';
import { consoleProxyRoutes } from './console-proxy.js';
import { consoleRoutes } from './consoles.js';
import { installMicroversions, type ComputeApi } from './context.js';
import { diagnosticsRoutes } from './diagnostics.js';
import { externalEventRoutes } from './external-events.js';
import { flavorRoutes } from './flavors.js';
import { hypervisorRoutes } from './hypervisors.js';
import { interfaceRoutes } from './interfaces.js';
import { volumeAttachmentRoutes } from './volume-attachments.js';
import { keypairRoutes } from './keypairs.js';
import { migrationRoutes } from './migrations.js';
import { imageProxyRoutes, securityGroupProxyRoutes } from './proxies.js';
import { quotaRoutes } from './quotas.js';
import { serverGroupRoutes } from './server-groups.js';
import { serverMigrationRoutes } from './server-migrations.js';
import { serverRoutes } from './servers.js';
import { serverSubresourceRoutes } from './server-subresources.js';
import { serviceRoutes } from './services.js';
import { usageRoutes } from './usage.js';
import { usageAuditRoutes } from './usage-audit.js';
import { versionRoutes } from './versions.js';

export function computeRoutes(app: FastifyInstance, api: ComputeApi): void {
  installMicroversions(app);
  versionRoutes(app, api);
  flavorRoutes(app, api);
  keypairRoutes(app, api);
  quotaRoutes(app, api);
  availabilityZoneRoutes(app, api);
  serverRoutes(app, api);
  serverSubresourceRoutes(app, api);
  actionDispatchRoute(app, api);
  securityGroupProxyRoutes(app, api);
  imageProxyRoutes(app, api);
  hypervisorRoutes(app, api);
  serviceRoutes(app, api);
  aggregateRoutes(app, api);
  serverGroupRoutes(app, api);
  usageRoutes(app, api);
  migrationRoutes(app, api);
  serverMigrationRoutes(app, api);
  interfaceRoutes(app, api);
  volumeAttachmentRoutes(app, api);
  externalEventRoutes(app, api);
  usageAuditRoutes(app, api);
  diagnosticsRoutes(app, api);
  consoleRoutes(app, api);
  consoleProxyRoutes(app, api);
}

export type { ComputeApi } from './context.js';
