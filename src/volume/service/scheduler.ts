/**
 * The backend choice: Cinder's filter scheduler reduced to what matters here.
 * Backends whose capabilities satisfy the type's extra specs (its
 * `volume_backend_name`, vendor, protocol, ...: capabilities.ts) and with
 * room for the volume are candidates; the one with the most
 * free space wins (Cinder's CapacityWeigher). Free space is the smaller of
 * what the driver reports and its capacity minus what volumes were given.
 */
import * as store from '../store/index.js';
import type { VolumeType } from '../store/index.js';
import type { Backend, VolumeDeps } from './deps.js';
import { backendCapabilities, satisfiesExtraSpecs } from './capabilities.js';
import { disabledBackends } from './services.js';

export interface PoolStats {
  backend: Backend;
  totalCapacityGb: number;
  freeCapacityGb: number;
  allocatedCapacityGb: number;
}

export class Scheduler {
  constructor(private readonly deps: VolumeDeps) {}

  async pools(): Promise<PoolStats[]> {
    const allocated = await store.allocatedByHost(this.deps.db);
    return Promise.all(
      this.deps.backends.map(async (backend) => {
        const stats = await backend.driver.stats();
        const given = allocated.get(backend.host) ?? 0;
        const free = Math.max(0, Math.min(stats.freeCapacityGb, stats.totalCapacityGb - given));
        return { backend, totalCapacityGb: stats.totalCapacityGb, freeCapacityGb: free, allocatedCapacityGb: given };
      }),
    );
  }

  /** The backend for a new volume, or null when none fits ("No valid backend was found"). */
  async choose(type: VolumeType, sizeGb: number): Promise<Backend | null> {
    const disabled = await disabledBackends(this.deps);
    const candidates = (await this.pools())
      .filter((p) => !disabled.has(p.backend.host.split('#')[0] ?? p.backend.host))
      .filter((p) => satisfiesExtraSpecs(backendCapabilities(p.backend), type.extra_specs))
      .filter((p) => p.freeCapacityGb >= sizeGb)
      .sort((a, b) => b.freeCapacityGb - a.freeCapacityGb);
    return candidates[0]?.backend ?? null;
  }

  byHost(host: string | null): Backend | undefined {
    return this.deps.backends.find((b) => b.host === host);
  }
}
