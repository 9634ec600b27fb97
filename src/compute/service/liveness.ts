/**
 * Whether a compute service is up, as Nova's servicegroup DB driver decides:
 * its last heartbeat (`updated_at`, written every `report_interval` by its
 * agent) is at most `service_down_time` old, and it is not forced down. A host
 * this process's own driver runs (the single-process cloud) is up while the
 * process is: it needs no heartbeat to prove it.
 */
import * as store from '../store/index.js';
import type { ComputeService } from '../store/index.js';
import type { ComputeDeps } from './deps.js';

/** How long heartbeats read for the scheduler serve its decisions. */
const HEARTBEATS_MAX_AGE_MS = 1000;

export class HostLiveness {
  readonly #local: ReadonlySet<string>;
  #heartbeats: { readAt: number; byHost: Map<string, string> } | null = null;

  /** `localHosts`: the hosts this process's driver runs (fixed when it starts). */
  constructor(
    private readonly deps: Pick<ComputeDeps, 'db' | 'config'>,
    localHosts: readonly string[],
  ) {
    this.#local = new Set(localHosts);
  }

  /** For a process's compute service: the hosts its own driver runs are local. */
  static of(deps: Pick<ComputeDeps, 'db' | 'config' | 'driver'>): HostLiveness {
    return new HostLiveness(
      deps,
      deps.driver.hosts().map((h) => h.host),
    );
  }

  /** Up by the heartbeat this row carries (read just now). */
  isUp(service: ComputeService, nowMs = Date.now()): boolean {
    if (service.forcedDown) return false;
    if (this.#runsHere(service.host)) return true;
    return Math.abs(nowMs - Date.parse(service.updatedAt)) <= this.deps.config.service_down_time * 1000;
  }

  /** Up by its current row; false for a host with no service. */
  async isHostUp(host: string): Promise<boolean> {
    const service = await store.getServiceByHost(this.deps.db, host);
    return service !== null && this.isUp(service);
  }

  /**
   * A test for rows read earlier (the scheduler's host view): their
   * heartbeats are read again, at most every second, unless every host is
   * run here.
   */
  async judge(services: Iterable<ComputeService>): Promise<(service: ComputeService) => boolean> {
    const remote = [...services].some((s) => !this.#runsHere(s.host));
    if (!remote) return (service) => !service.forcedDown;
    const now = Date.now();
    if (!this.#heartbeats || now - this.#heartbeats.readAt > HEARTBEATS_MAX_AGE_MS) {
      const rows = await store.listServices(this.deps.db);
      this.#heartbeats = { readAt: now, byHost: new Map(rows.map((s) => [s.host, s.updatedAt])) };
    }
    const byHost = this.#heartbeats.byHost;
    return (service) => this.isUp({ ...service, updatedAt: byHost.get(service.host) ?? service.updatedAt }, now);
  }

  #runsHere(host: string): boolean {
    return this.#local.has(host);
  }
}
