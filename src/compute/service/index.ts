/**
 * The compute service's service layer: what its API calls; other services
 * call the typed subset in ../operations.ts.
 */
import { AdminActionOps } from './admin-actions.js';
import { AggregateOps } from './aggregates.js';
import { defineBuildTask } from './build.js';
import { ComputeServiceOps } from './compute-services.js';
import { ConsoleOps } from './consoles.js';
import { defineDeleteTask } from './delete.js';
import type { ComputeDeps } from './deps.js';
import { ExternalEventOps } from './external-events.js';
import { FlavorOps } from './flavors.js';
import { GuestActionOps } from './guest-actions.js';
import { HostOps } from './hosts.js';
import { HypervisorOps } from './hypervisors.js';
import { LegacyHostOps } from './legacy-hosts.js';
import { InstanceActionOps } from './instance-actions.js';
import { InterfaceOps } from './interfaces.js';
import { VolumeAttachmentOps } from './volume-attachments.js';
import { KeyedMutex } from '../../core/keyed-mutex.js';
import { KeypairOps } from './keypairs.js';
import { MigrationOps } from './migrations.js';
import { ServerMigrationOps } from './server-migrations.js';
import { MoveOps } from './moves.js';
import { Networking } from './networking.js';
import { QuotaOps } from './quotas.js';
import { RescueOps } from './rescue.js';
import type { ComputeRuntime } from './runtime.js';
import { HostLiveness } from './liveness.js';
import { Scheduler } from './scheduler.js';
import { defineActionTask } from './server-action-task.js';
import { defineShelveOffloadTimer } from './shelve-offload-timer.js';
import { ServerActionOps } from './server-actions.js';
import { ServerGroupOps } from './server-groups.js';
import { ServerOps } from './servers.js';
import { ServerStatsOps } from './server-stats.js';
import { offload, ShelveOps } from './shelve.js';
import { defineReclaimTask, defineSoftDeleteTask } from './soft-delete.js';
import { UsageOps } from './usage.js';
import { UsageAuditOps } from './usage-audit.js';

/** The service layer behind the API and operations.ts, one object per resource family. */
export interface ComputeServices {
  flavors: FlavorOps;
  keypairs: KeypairOps;
  hosts: HostOps;
  servers: ServerOps;
  serverActions: ServerActionOps;
  instanceActions: InstanceActionOps;
  quotas: QuotaOps;
  hypervisors: HypervisorOps;
  services: ComputeServiceOps;
  legacyHosts: LegacyHostOps;
  aggregates: AggregateOps;
  serverGroups: ServerGroupOps;
  usage: UsageOps;
  migrations: MigrationOps;
  serverMigrations: ServerMigrationOps;
  guestActions: GuestActionOps;
  rescue: RescueOps;
  shelve: ShelveOps;
  moves: MoveOps;
  interfaces: InterfaceOps;
  volumeAttachments: VolumeAttachmentOps;
  serverStats: ServerStatsOps;
  adminActions: AdminActionOps;
  externalEvents: ExternalEventOps;
  usageAudit: UsageAuditOps;
  consoles: ConsoleOps;
  /** Scheduler, networking, locks and task kinds, for operations added in their own files. */
  runtime: ComputeRuntime;
}

export function computeServices(deps: ComputeDeps): ComputeServices {
  const liveness = HostLiveness.of(deps);
  const partial = {
    deps,
    locks: new KeyedMutex(),
    liveness,
    scheduler: new Scheduler(deps, liveness),
    networking: new Networking(deps),
    actions: new InstanceActionOps(deps),
  };
  const runtime = partial as ComputeRuntime;
  runtime.kinds = {
    build: defineBuildTask(runtime),
    delete: defineDeleteTask(runtime),
    action: defineActionTask(runtime),
    shelveOffloadTimer: defineShelveOffloadTimer(runtime, offload),
    softDelete: defineSoftDeleteTask(runtime),
    reclaim: defineReclaimTask(runtime),
  };
  const flavors = new FlavorOps(deps);
  const servers = new ServerOps(runtime, flavors);
  const aggregates = new AggregateOps(deps);
  const services = new ComputeServiceOps(deps, aggregates, liveness);
  const serverActions = new ServerActionOps(runtime, servers, flavors);
  return {
    flavors,
    keypairs: new KeypairOps(deps),
    hosts: new HostOps(deps),
    servers,
    serverActions,
    instanceActions: runtime.actions,
    quotas: new QuotaOps(deps),
    hypervisors: new HypervisorOps(deps, liveness),
    services,
    legacyHosts: new LegacyHostOps(deps, services),
    aggregates,
    serverGroups: new ServerGroupOps(deps),
    usage: new UsageOps(deps),
    migrations: new MigrationOps(deps),
    serverMigrations: new ServerMigrationOps(runtime, servers),
    guestActions: new GuestActionOps(runtime, serverActions),
    rescue: new RescueOps(runtime, servers, serverActions),
    shelve: new ShelveOps(serverActions),
    moves: new MoveOps(runtime, servers, serverActions),
    interfaces: new InterfaceOps(runtime, servers),
    volumeAttachments: new VolumeAttachmentOps(runtime, servers),
    serverStats: new ServerStatsOps(deps, servers),
    adminActions: new AdminActionOps(runtime, servers),
    externalEvents: new ExternalEventOps(deps),
    usageAudit: new UsageAuditOps(deps),
    consoles: new ConsoleOps(deps, servers),
    runtime,
  };
}

export type { ComputeDeps } from './deps.js';
