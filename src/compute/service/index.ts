/**
 * The compute service's operations: what its API calls, and what other
 * services (Heat, the dashboard) may call with the caller's context.
 */
import { AggregateOps } from './aggregates.js';
import { ComputeServiceOps } from './compute-services.js';
import type { ComputeDeps } from './deps.js';
import { FlavorOps } from './flavors.js';
import { HostOps } from './hosts.js';
import { HypervisorOps } from './hypervisors.js';
import { MigrationOps } from './migrations.js';
import { ServerGroupOps } from './server-groups.js';
import { UsageOps } from './usage.js';

export interface ComputeOperations {
  flavors: FlavorOps;
  hosts: HostOps;
  hypervisors: HypervisorOps;
  services: ComputeServiceOps;
  aggregates: AggregateOps;
  serverGroups: ServerGroupOps;
  usage: UsageOps;
  migrations: MigrationOps;
}

export function computeOperations(deps: ComputeDeps): ComputeOperations {
  const aggregates = new AggregateOps(deps);
  return {
    flavors: new FlavorOps(deps),
    hosts: new HostOps(deps),
    hypervisors: new HypervisorOps(deps),
    services: new ComputeServiceOps(deps, aggregates),
    aggregates,
    serverGroups: new ServerGroupOps(deps),
    usage: new UsageOps(deps),
    migrations: new MigrationOps(deps),
  };
}

export type { ComputeDeps } from './deps.js';
