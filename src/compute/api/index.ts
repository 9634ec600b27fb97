/** Every compute route, mounted under /compute (the API itself under /compute/v2.1). */
import type { FastifyInstance } from 'fastify';
import { aggregateRoutes } from './aggregates.js';
import { installMicroversions, type ComputeApi } from './context.js';
import { flavorRoutes } from './flavors.js';
import { hypervisorRoutes } from './hypervisors.js';
import { migrationRoutes } from './migrations.js';
import { serverGroupRoutes } from './server-groups.js';
import { serviceRoutes } from './services.js';
import { usageRoutes } from './usage.js';
import { versionRoutes } from './versions.js';

export function computeRoutes(app: FastifyInstance, api: ComputeApi): void {
  installMicroversions(app);
  versionRoutes(app, api);
  flavorRoutes(app, api);
  hypervisorRoutes(app, api);
  serviceRoutes(app, api);
  aggregateRoutes(app, api);
  serverGroupRoutes(app, api);
  usageRoutes(app, api);
  migrationRoutes(app, api);
}

export type { ComputeApi } from './context.js';
