/** Read-only facts about the service: availability zones, services, pools with capacity, absolute limits. */
import { nowIso } from '../../core/time.js';
import type { VolumeContext } from './context.js';
import * as store from '../store/index.js';
import type { ProjectUsageOnHost } from '../store/index.js';
import type { Backend, VolumeDeps } from './deps.js';
import type { PoolStats, Scheduler } from './scheduler.js';

export interface ServiceInfo {
  binary: string;
  host: string;
  zone: string;
  status: 'enabled';
  state: 'up';
  updated_at: string;
}

const STARTED_AT = nowIso();

export class InfoOps {
  constructor(
    private readonly deps: VolumeDeps,
    private readonly scheduler: Scheduler,
  ) {}

  availabilityZones(): string[] {
    return [this.deps.config.storage_availability_zone];
  }

  /** The scheduler and one cinder-volume per backend, all in this process. */
  services(ctx: VolumeContext): ServiceInfo[] {
    this.deps.authz.authorize(ctx.auth, 'volume_extension:services:index', { project_id: null });
    const zone = this.deps.config.storage_availability_zone;
    const base = { zone, status: 'enabled' as const, state: 'up' as const, updated_at: STARTED_AT };
    return [
      { binary: 'cinder-scheduler', host: this.deps.config.host, ...base },
      ...this.deps.backends.map((b) => ({ binary: 'cinder-volume', host: `${this.deps.config.host}@${b.section}`, ...base })),
    ];
  }

  async pools(ctx: VolumeContext): Promise<PoolStats[]> {
    this.deps.authz.authorize(ctx.auth, 'scheduler_extension:scheduler_stats:get_pools', { project_id: null });
    return this.scheduler.pools();
  }

  /**
   * The backend `name` names: `host@backend`, or a pool of it (`host@backend#pool`), as
   * Cinder matches services at backend level. Null when no cinder-volume serves it.
   */
  backend(ctx: VolumeContext, name: string): Backend | null {
    this.deps.authz.authorize(ctx.auth, 'volume_extension:capabilities', { project_id: null });
    const backendName = name.split('#')[0];
    return this.deps.backends.find((b) => `${this.deps.config.host}@${b.section}` === backendName) ?? null;
  }

  /** `os-hosts` (admin): the services' hosts. */
  hosts(ctx: VolumeContext): ServiceInfo[] {
    this.deps.authz.authorize(ctx.auth, 'volume_extension:hosts', { project_id: null });
    return this.services(ctx);
  }

  /** Usage on one cinder-volume host (`host@backend`) per project; null when no cinder-volume runs there. */
  async hostUsage(ctx: VolumeContext, host: string): Promise<ProjectUsageOnHost[] | null> {
    const known = this.hosts(ctx).some((s) => s.binary === 'cinder-volume' && s.host === host);
    return known ? store.usageOnBackend(this.deps.db, host) : null;
  }

  /** Cinder's absolute limits: the project's quotas and what it uses. */
  async limits(ctx: VolumeContext): Promise<Record<string, number>> {
    const projectId = ctx.projectId ?? '';
    const [limits, used] = await Promise.all([this.deps.quota.getLimits(projectId), this.deps.quota.getUsage(projectId)]);
    return {
      maxTotalVolumes: limits.volumes,
      maxTotalSnapshots: limits.snapshots,
      maxTotalVolumeGigabytes: limits.gigabytes,
      maxTotalBackups: limits.backups,
      maxTotalBackupGigabytes: limits.backup_gigabytes,
      totalVolumesUsed: used.volumes,
      totalSnapshotsUsed: used.snapshots,
      totalGigabytesUsed: used.gigabytes,
      totalBackupsUsed: used.backups,
      totalBackupGigabytesUsed: used.backup_gigabytes,
    };
  }
}
