/** Every compute route, mounted under /compute (the API itself under /compute/v2.1). */
import type { FastifyInstance } from 'fastify';
import { installMicroversions, type ComputeApi } from './context.js';
import { flavorRoutes } from './flavors.js';
import { versionRoutes } from './versions.js';

export function computeRoutes(app: FastifyInstance, api: ComputeApi): void {
  installMicroversions(app);
  versionRoutes(app, api);
  flavorRoutes(app, api);
}

export type { ComputeApi } from './context.js';
