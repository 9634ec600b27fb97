/**
 * Host aggregates (os-aggregates) and the availability zones they define: a
 * host's zone is the `availability_zone` metadata of an aggregate holding
 * it, else the configured default. A host may not end up in two zones.
 * Each host's aggregate set is mirrored to its Placement resource provider
 * (Nova's `[scheduler] query_placement_for_*` relies on that).
 */
import type { CallerContext } from '../../core/context.js';
import { aggregateErrors, hostErrors, requestErrors } from '../errors.js';
import { uuid } from '../../core/ids.js';
import * as store from '../store/index.js';
import type { Aggregate } from '../store/index.js';
import { authorize } from './access.js';
import type { ComputeDeps } from './deps.js';

const ZONE_KEY = 'availability_zone';
const MAX_RETRIES = 20;

export class AggregateOps {
  constructor(private readonly deps: ComputeDeps) {}

  async list(auth: CallerContext): Promise<Aggregate[]> {
    authorize(this.deps, auth, 'os_compute_api:os-aggregates:index');
    return store.listAggregates(this.deps.db);
  }

  async get(auth: CallerContext, id: string): Promise<Aggregate> {
    authorize(this.deps, auth, 'os_compute_api:os-aggregates:show');
    return this.find(id);
  }

  async create(auth: CallerContext, name: string, zone: string | null): Promise<Aggregate> {
    authorize(this.deps, auth, 'os_compute_api:os-aggregates:create');
    if (await store.aggregateByName(this.deps.db, name)) throw aggregateErrors.nameExists(name);
    if (zone !== null) this.checkZoneName(zone, (reason) => aggregateErrors.cannotCreate(name, reason));
    return store.insertAggregate(this.deps.db, { uuid: uuid(), name, metadata: zone !== null ? { [ZONE_KEY]: zone } : {} });
  }

  /** Renames and/or re-zones the aggregate (PUT); a zone its hosts cannot take is 400. */
  async update(auth: CallerContext, id: string, changes: { name?: string; zone?: string | null }): Promise<Aggregate> {
    authorize(this.deps, auth, 'os_compute_api:os-aggregates:update');
    return this.change(id, async (aggregate) => {
      if (changes.name !== undefined && changes.name !== aggregate.name && (await store.aggregateByName(this.deps.db, changes.name)))
        throw aggregateErrors.nameExists(changes.name);
      const metadata = { ...aggregate.metadata };
      if (changes.zone !== undefined) {
        if (changes.zone === null) delete metadata[ZONE_KEY];
        else metadata[ZONE_KEY] = changes.zone;
      }
      const invalid = (reason: string) => aggregateErrors.cannotUpdate(aggregate.id, reason);
      await this.checkZoneChange(aggregate, metadata[ZONE_KEY] ?? null, invalid);
      return { ...aggregate, name: changes.name ?? aggregate.name, metadata };
    });
  }

  /** Merges `metadata` into the aggregate's; a null value removes the key. */
  async setMetadata(auth: CallerContext, id: string, metadata: Record<string, string | null>): Promise<Aggregate> {
    authorize(this.deps, auth, 'os_compute_api:os-aggregates:set_metadata');
    return this.change(id, async (aggregate) => {
      const next = { ...aggregate.metadata };
      for (const [key, value] of Object.entries(metadata)) {
        if (value === null) delete next[key];
        else next[key] = value;
      }
      const invalid = (reason: string) => aggregateErrors.cannotUpdateMetadata(aggregate.id, reason);
      await this.checkZoneChange(aggregate, next[ZONE_KEY] ?? null, invalid);
      return { ...aggregate, metadata: next };
    });
  }

  async delete(auth: CallerContext, id: string): Promise<void> {
    authorize(this.deps, auth, 'os_compute_api:os-aggregates:delete');
    const aggregate = await this.find(id);
    if (aggregate.hosts.length > 0) throw aggregateErrors.notEmpty(aggregate.id);
    await store.deleteAggregate(this.deps.db, aggregate.id);
  }

  async addHost(auth: CallerContext, id: string, host: string): Promise<Aggregate> {
    authorize(this.deps, auth, 'os_compute_api:os-aggregates:add_host');
    await this.find(id); // An unknown aggregate is 404 before an unknown host, as Nova.
    const service = await store.getServiceByHost(this.deps.db, host);
    if (!service) throw hostErrors.computeHostNotFound(host);
    const saved = await this.change(id, async (aggregate) => {
      if (aggregate.hosts.includes(host)) throw aggregateErrors.hostExists(aggregate.id, host);
      const zone = aggregate.metadata[ZONE_KEY];
      if (zone !== undefined) {
        const others = (await this.zonesOfHost(host, aggregate.id)).filter((z) => z !== zone);
        if (others.length > 0) {
          throw aggregateErrors.hostInOtherZones(aggregate.id, pyList(others));
        }
      }
      return { ...aggregate, hosts: [...aggregate.hosts, host] };
    });
    await this.mirrorToPlacement(host, service.nodeUuid);
    return saved;
  }

  async removeHost(auth: CallerContext, id: string, host: string): Promise<Aggregate> {
    authorize(this.deps, auth, 'os_compute_api:os-aggregates:remove_host');
    const cannot = aggregateErrors.cannotRemoveHost(host, id);
    const aggregate = await this.find(id).catch(() => {
      throw cannot;
    });
    const service = await store.getServiceByHost(this.deps.db, host);
    if (!service) throw cannot;
    const saved = await this.change(String(aggregate.id), async (current) => {
      if (!current.hosts.includes(host)) throw cannot;
      return { ...current, hosts: current.hosts.filter((h) => h !== host) };
    });
    await this.mirrorToPlacement(host, service.nodeUuid);
    return saved;
  }

  /** Every host's zone (hosts in no zoned aggregate are in the default zone). For the scheduler and os-availability-zone. */
  async hostZones(): Promise<Map<string, string>> {
    const zones = await store.hostZones(this.deps.db);
    for (const service of await store.listServices(this.deps.db))
      if (!zones.has(service.host)) zones.set(service.host, this.deps.config.default_availability_zone);
    return zones;
  }

  async hostZone(host: string): Promise<string> {
    const zones = await this.zonesOfHost(host);
    return zones[0] ?? this.deps.config.default_availability_zone;
  }

  /** The aggregates holding the host (the scheduler's aggregate metadata filters read them). */
  async aggregatesOfHost(host: string): Promise<Aggregate[]> {
    return (await store.listAggregates(this.deps.db)).filter((a) => a.hosts.includes(host));
  }

  /**
   * Applies `change` to the current aggregate until the write wins
   * (compare-and-swap), re-running its checks on the fresh row each time, so
   * concurrent changes (two hosts added at once) all land.
   */
  async change(id: string, change: (aggregate: Aggregate) => Promise<Pick<Aggregate, 'name' | 'hosts' | 'metadata'>>): Promise<Aggregate> {
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const current = await this.find(id);
      const saved = await store.swapAggregate(this.deps.db, current, await change(current));
      if (saved) return saved;
    }
    throw requestErrors.concurrentChange(`Aggregate ${id}`);
  }

  /**
   * Asks every host of the aggregate to fetch the images into its image cache (2.81), as Nova's conductor casts
   * cache_images: the aggregate and every image are checked here, the hosts' work runs on after the answer and is
   * logged per host and image (cached, existing, error or unsupported when the driver has no image cache).
   */
  async cacheImages(auth: CallerContext, id: string, imageIds: string[]): Promise<void> {
    authorize(this.deps, auth, 'os_compute_api:os-aggregates:images');
    if (!/^-?\d+$/.test(id)) throw aggregateErrors.idNotInteger();
    if (new Set(imageIds).size !== imageIds.length) throw aggregateErrors.duplicateImages();
    const aggregate = await this.find(id);
    const images = this.deps.peers.image();
    for (const imageId of imageIds) {
      await images.get(auth, imageId).catch(() => {
        throw aggregateErrors.imageNotFound(imageId);
      });
    }
    void this.fetchOnHosts(aggregate, imageIds);
  }

  private async fetchOnHosts(aggregate: Aggregate, imageIds: string[]): Promise<void> {
    const driver = this.deps.driver;
    for (const host of aggregate.hosts) {
      const results: Record<string, string> = {};
      for (const imageId of imageIds) {
        results[imageId] = driver.cacheImage
          ? await driver.cacheImage(host, imageId).catch((error: unknown) => {
              this.deps.log.warn({ err: error, host, imageId, aggregate: aggregate.id }, 'image cache request failed');
              return 'error';
            })
          : 'unsupported';
      }
      this.deps.log.info({ host, aggregate: aggregate.id, results }, 'image cache request done');
    }
  }

  private async find(id: string): Promise<Aggregate> {
    const n = /^\d+$/.test(id) ? Number(id) : NaN;
    const aggregate = Number.isSafeInteger(n) ? await store.getAggregate(this.deps.db, n) : null;
    if (!aggregate) throw aggregateErrors.notFound(id);
    return aggregate;
  }

  /** Zones the host has from aggregates other than `except`. */
  private async zonesOfHost(host: string, except?: number): Promise<string[]> {
    const zones = new Set<string>();
    for (const aggregate of await this.aggregatesOfHost(host)) {
      const zone = aggregate.metadata[ZONE_KEY];
      if (aggregate.id !== except && zone !== undefined) zones.add(zone);
    }
    return [...zones];
  }

  private checkZoneName(zone: string, invalid: (reason: string) => Error): void {
    // Nova keeps "internal" for its non-compute services.
    if (zone === 'internal') throw invalid('The AZ name cannot be the same as the internal AZ');
  }

  /** A new zone for the aggregate must not put one of its hosts in two zones. */
  private async checkZoneChange(aggregate: Aggregate, zone: string | null, invalid: (reason: string) => Error): Promise<void> {
    if (zone === null || zone === (aggregate.metadata[ZONE_KEY] ?? null)) return;
    this.checkZoneName(zone, invalid);
    const conflicting = new Set<string>();
    for (const host of aggregate.hosts) for (const other of await this.zonesOfHost(host, aggregate.id)) if (other !== zone) conflicting.add(other);
    if (conflicting.size > 0) throw invalid(`One or more hosts already in availability zone(s) ${pyList([...conflicting])}`);
  }

  /** Sets the provider's aggregates to the uuids of every aggregate now holding the host. */
  private async mirrorToPlacement(host: string, providerUuid: string): Promise<void> {
    const placement = this.deps.peers.placementIfPresent();
    if (!placement) return;
    await placement.setAggregates(
      providerUuid,
      (await this.aggregatesOfHost(host)).map((a) => a.uuid),
    );
  }
}

/** A list as Python prints it, which is how Nova's messages show zone lists: ['az1', 'az2']. */
function pyList(items: string[]): string {
  return `[${items.map((i) => `'${i}'`).join(', ')}]`;
}
