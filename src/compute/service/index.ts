/**
 * The compute service's operations: what its API calls, and what other
 * services (Heat, the dashboard) may call with the caller's context.
 */
import type { ComputeDeps } from './deps.js';
import { FlavorOps } from './flavors.js';
import { HostOps } from './hosts.js';

export interface ComputeOperations {
  flavors: FlavorOps;
  hosts: HostOps;
}

export function computeOperations(deps: ComputeDeps): ComputeOperations {
  return { flavors: new FlavorOps(deps), hosts: new HostOps(deps) };
}

export type { ComputeDeps } from './deps.js';
