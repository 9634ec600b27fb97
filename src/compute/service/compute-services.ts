/**
 * os-services: the nova-compute service of each host, its enabled state
 * (a disabled host takes no new servers: the scheduler's compute filter reads
 * `enabled`), its reason, and `forced_down` (2.11: the operator declares the
 * host dead, which evacuation requires). Only nova-compute services run here.
 */
import type { CallerContext } from '../../core/context.js';
import { hostErrors } from '../errors.js';
import * as store from '../store/index.js';
import type { ComputeService } from '../store/index.js';
import { authorize } from './access.js';
import type { AggregateOps } from './aggregates.js';
import type { ComputeDeps } from './deps.js';
import type { HostLiveness } from './liveness.js';

export const COMPUTE_BINARY = 'nova-compute';

export interface ServiceView extends ComputeService {
  zone: string;
  /** 'down' when forced down or its agent's heartbeat is older than service_down_time (liveness.ts). */
  state: 'up' | 'down';
}

export interface ServiceStatusChange {
  enabled?: boolean;
  disabledReason?: string | null;
  forcedDown?: boolean;
}

export class ComputeServiceOps {
  constructor(
    private readonly deps: ComputeDeps,
    private readonly aggregates: AggregateOps,
    private readonly liveness: HostLiveness,
  ) {}

  async list(auth: CallerContext, filter: { host?: string; binary?: string } = {}): Promise<ServiceView[]> {
    authorize(this.deps, auth, 'os_compute_api:os-services:list');
    const zones = await this.aggregates.hostZones();
    return (await store.listServices(this.deps.db))
      .filter((s) => (!filter.host || s.host === filter.host) && (!filter.binary || s.binary === filter.binary))
      .map((s) => this.view(s, zones));
  }

  /** The pre-2.53 form: the service named by host and binary. */
  async updateByHost(auth: CallerContext, host: string, binary: string, change: ServiceStatusChange): Promise<ServiceView> {
    authorize(this.deps, auth, 'os_compute_api:os-services:update');
    const service = await store.getServiceByHost(this.deps.db, host);
    if (!service || service.binary !== binary) throw hostErrors.hostBinaryNotFound(host, binary);
    return this.apply(service, change);
  }

  /** The 2.53 form: `PUT /os-services/{uuid}`. */
  async update(auth: CallerContext, id: string, change: ServiceStatusChange): Promise<ServiceView> {
    authorize(this.deps, auth, 'os_compute_api:os-services:update');
    const service = await store.getService(this.deps.db, id);
    if (!service) throw hostErrors.serviceNotFound(id);
    if (service.binary !== COMPUTE_BINARY) {
      throw hostErrors.serviceNotUpdatable(service.binary);
    }
    return this.apply(service, change);
  }

  /**
   * Removes the service and its resource provider; refused while servers
   * live on the host. The host's driver reports it again at the next start,
   * as nova-compute re-registers.
   */
  async delete(auth: CallerContext, id: string, byUuid: boolean): Promise<void> {
    authorize(this.deps, auth, 'os_compute_api:os-services:delete');
    const service = byUuid ? await store.getService(this.deps.db, id) : /^\d+$/.test(id) ? await store.getServiceBySeq(this.deps.db, Number(id)) : null;
    if (!service) throw hostErrors.serviceNotFound(id);
    const hosted = await store.listServers(this.deps.db, { host: service.host, deleted: false });
    if (hosted.length > 0) throw hostErrors.serviceHostsInstances();
    for (const aggregate of await this.aggregates.aggregatesOfHost(service.host)) {
      await this.aggregates.change(String(aggregate.id), async (current) => ({ ...current, hosts: current.hosts.filter((h) => h !== service.host) }));
    }
    await this.deps.peers.placementIfPresent()?.deleteProvider(service.nodeUuid);
    await store.deleteService(this.deps.db, service.id);
  }

  /** Whether new servers may be placed on the host (the scheduler's ComputeFilter). */
  async isSchedulable(host: string): Promise<boolean> {
    const service = await store.getServiceByHost(this.deps.db, host);
    return service !== null && service.enabled && this.liveness.isUp(service);
  }

  private async apply(service: ComputeService, change: ServiceStatusChange): Promise<ServiceView> {
    await store.setServiceStatus(this.deps.db, service.id, change);
    const updated = (await store.getService(this.deps.db, service.id)) as ComputeService;
    return this.view(updated, await this.aggregates.hostZones());
  }

  private view(service: ComputeService, zones: Map<string, string>): ServiceView {
    return {
      ...service,
      zone: zones.get(service.host) ?? this.deps.config.default_availability_zone,
      state: this.liveness.isUp(service) ? 'up' : 'down',
    };
  }
}
