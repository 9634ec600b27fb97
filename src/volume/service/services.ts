/**
 * `os-services`: the scheduler and one cinder-volume per enabled backend
 * (`host@backend`), with what admins set on them. A disabled cinder-volume
 * gets no new volumes; a frozen one refuses changes to what it holds
 * (deleting volumes, taking and deleting snapshots), as Cinder's
 * `assert_not_frozen` does, until it is thawed.
 */
import { nowIso } from '../../core/time.js';
import { errors, notFound } from '../errors.js';
import * as store from '../store/index.js';
import { SERVICE_DEFAULT_STATE, type ServiceState } from '../store/index.js';
import type { VolumeContext } from './context.js';
import type { VolumeDeps } from './deps.js';
import type { InfoOps, ServiceInfo } from './info.js';

export type ServiceView = Omit<ServiceInfo, 'status'> & { status: 'enabled' | 'disabled' } & ServiceState;

const UPDATE = 'volume_extension:services:update';

export class ServiceOps {
  constructor(
    private readonly deps: VolumeDeps,
    private readonly info: InfoOps,
  ) {}

  /** The services, those on `host` only when given (a bare host matches its `host@backend` services, as Cinder's host filter). */
  async list(ctx: VolumeContext, filter: { host?: string; binary?: string } = {}): Promise<ServiceView[]> {
    const states = await store.serviceStates(this.deps.db);
    return this.info
      .services(ctx)
      .filter((s) => (filter.binary === undefined || s.binary === filter.binary) && (filter.host === undefined || onHost(s.host, filter.host)))
      .map((s) => {
        const state = states.get(`${s.binary} ${s.host}`) ?? SERVICE_DEFAULT_STATE;
        return { ...s, ...state, status: state.disabled ? 'disabled' : 'enabled' };
      });
  }

  /** Enables or disables one service (with a reason when disabling says why). */
  async setDisabled(ctx: VolumeContext, host: string, binary: string, disabled: boolean, reason: string | null): Promise<void> {
    this.deps.authz.authorize(ctx.auth, UPDATE, { project_id: null });
    const [service] = (await this.list(ctx, { binary })).filter((s) => s.host === host);
    if (!service) throw notFound.serviceOnHost(binary, host);
    const state = { disabled, disabled_reason: disabled ? reason : null, frozen: service.frozen };
    await store.setServiceState(this.deps.db, host, binary, state, nowIso());
  }

  /** Freezes (or thaws) every cinder-volume on `host`; each must be thawed (frozen) before. */
  async setFrozen(ctx: VolumeContext, host: string, frozen: boolean): Promise<void> {
    this.deps.authz.authorize(ctx.auth, UPDATE, { project_id: null });
    const services = await this.list(ctx, { binary: 'cinder-volume', host });
    if (services.length === 0) throw errors.invalidInput(`No service found with host=${host}`);
    const unchanged = services.filter((s) => s.frozen === frozen).map((s) => `'${s.host}'`);
    if (unchanged.length > 0) throw errors.invalidInput(`frozen in [${unchanged.join(', ')}] must be ${frozen ? 'False' : 'True'} to failover.`);
    const now = nowIso();
    for (const s of services)
      await store.setServiceState(this.deps.db, s.host, s.binary, { disabled: s.disabled, disabled_reason: s.disabled_reason, frozen }, now);
  }
}

function onHost(serviceHost: string, host: string): boolean {
  return serviceHost === host || (!host.includes('@') && serviceHost.startsWith(`${host}@`));
}

/** Cinder's `assert_not_frozen`: the backend (`host@backend`) of a volume's `host@backend#pool` must not be frozen. */
export async function assertNotFrozen(deps: VolumeDeps, volumeHost: string | null): Promise<void> {
  if (volumeHost === null) return;
  const backend = volumeHost.split('#')[0] ?? volumeHost;
  if ((await store.serviceStates(deps.db)).get(`cinder-volume ${backend}`)?.frozen) {
    throw errors.invalidInput('Modification operations are not allowed on frozen storage backends.');
  }
}

/** The backends (`host@backend`) admins disabled: the scheduler places no new volume there. */
export async function disabledBackends(deps: VolumeDeps): Promise<Set<string>> {
  const states = await store.serviceStates(deps.db);
  return new Set(deps.backends.map((b) => b.host.split('#')[0] ?? b.host).filter((backend) => states.get(`cinder-volume ${backend}`)?.disabled));
}
