/**
 * The scheduler (Nova's filter scheduler over Placement): ask Placement for
 * providers with room for the flavor, drop hosts the filters reject
 * (disabled or forced-down service, availability zone, server group
 * (anti-)affinity, same_host/different_host hints, hosts to avoid), weigh the
 * rest by free RAM and vCPUs (positive multipliers spread, negative pack;
 * soft (anti-)affinity weighs by group members), then claim in Placement in
 * that order until a claim holds. Placement's claim is atomic, so two
 * schedulers never overcommit a host; decisions in this process are
 * serialised so group policies see each other's choices.
 *
 * Reading the candidates costs far more than deciding (hundreds of ms at
 * 10,000 hosts), so the host view (candidates, services, zones) of a kind of
 * request (same amounts, same zone) is kept in memory, as Nova's
 * HostManager keeps host states between requests, and read again only when
 * something it copies changed: Placement's count of committed write
 * transactions (`writeCount`) and the count of writes to compute's services
 * and aggregates that compute's database handle keeps (`deps.hostWrites`, a
 * WriteGeneration over those tables, counted after each statement ran) are
 * noted before reading; this scheduler's own claims are consumed into the
 * view (Placement's count moving by exactly that one write), any other write
 * makes the view stale. Writes by other processes are not
 * counted, so a view also ages out after HOST_VIEW_MAX_AGE_MS. The view only
 * orders the candidates: the claim in Placement's database decides. A claim
 * that fails (another process took the room) drops that host from the view,
 * and a stale view can only miss room freed since, so before answering "No
 * valid host" a reused view is read again and the decision retried.
 */
import type { Candidate } from '../../placement/operations.js';
import { NO_VALID_HOST } from '../errors.js';
import * as store from '../store/index.js';
import type { ComputeService, FlavorSnapshot, ServerGroup } from '../store/index.js';
import type { ComputeDeps } from './deps.js';
import { KeyedMutex } from '../../core/keyed-mutex.js';
import type { HostLiveness } from './liveness.js';

export class NoValidHost extends Error {
  constructor(detail?: string) {
    super(detail ? `${NO_VALID_HOST} ${detail}` : NO_VALID_HOST);
    this.name = 'NoValidHost';
  }
}

export interface ScheduleRequest {
  /** The Placement consumer that receives the allocation (the server, or a migration). */
  consumerUuid: string;
  serverId: string;
  projectId: string;
  userId: string;
  flavor: FlavorSnapshot;
  availabilityZone: string | null;
  group: ServerGroup | null;
  /** scheduler hints same_host / different_host: server ids. */
  sameHost: string[];
  differentHost: string[];
  /** Hosts never to pick (the current one on a resize to another host, a failed one). */
  ignoreHosts: string[];
}

export interface Destination {
  host: string;
  nodeUuid: string;
}

/** Placement resources a flavor needs (Nova's resources_from_flavor). */
export function flavorResources(flavor: FlavorSnapshot): Record<string, number> {
  const disk = flavor.rootGb + flavor.ephemeralGb + Math.ceil(flavor.swap / 1024);
  const resources: Record<string, number> = { VCPU: flavor.vcpus, MEMORY_MB: flavor.memoryMb };
  if (disk > 0) resources.DISK_GB = disk;
  return resources;
}

/** How long a host view with no write seen in this process serves decisions (bounds what other processes' writes go unseen). */
export const HOST_VIEW_MAX_AGE_MS = 30_000;

/** A view's noted count once a write it does not hold is seen: it never matches again. */
const STALE = -1;

/** What decisions are made over: the candidates (their use kept current by this scheduler's claims) and the hosts. */
interface HostView {
  readAt: number;
  /** Placement's and compute's write counts when read (kept current through this scheduler's claims). */
  placementWrites: number;
  hostWrites: number;
  candidates: Candidate[];
  /** Each candidate's host (by index); none for a provider with no service, or one whose claim failed (dropped). */
  hosts: Array<ComputeService | undefined>;
  services: Map<string, ComputeService>;
  zones: Map<string, string>;
}

export class Scheduler {
  readonly #mutex = new KeyedMutex();
  readonly #views = new Map<string, HostView>();

  constructor(
    private readonly deps: ComputeDeps,
    private readonly liveness: HostLiveness,
  ) {}

  /**
   * Picks a host and claims the flavor's resources on it for `consumerUuid`;
   * throws NoValidHost. `record` runs before the next decision, so the
   * server's host is written before another request's filters look for it.
   */
  async selectAndClaim(request: ScheduleRequest, record: (destination: Destination) => Promise<void>): Promise<Destination> {
    return this.#mutex.run('scheduler', async () => {
      const key = viewKey(request);
      const cached = this.#views.get(key);
      const reusable = cached !== undefined && this.#current(cached);
      let destination: Destination;
      try {
        destination = await this.#select(request, reusable ? cached : await this.#readView(key, request));
      } catch (error) {
        if (!(error instanceof NoValidHost) || !reusable) throw error;
        destination = await this.#select(request, await this.#readView(key, request));
      }
      await record(destination);
      return destination;
    });
  }

  #current(view: HostView): boolean {
    return (
      Date.now() - view.readAt < HOST_VIEW_MAX_AGE_MS &&
      view.placementWrites === this.deps.peers.placementIfPresent()?.writeCount() &&
      view.hostWrites === this.deps.hostWrites.value
    );
  }

  async #readView(key: string, request: ScheduleRequest): Promise<HostView> {
    const placement = this.deps.peers.placementIfPresent();
    if (!placement) throw new NoValidHost();
    const readAt = Date.now();
    // Noted before reading: a write landing during the reads moves the count and the next decision reads again.
    const placementWrites = placement.writeCount();
    const hostWrites = this.deps.hostWrites.value;
    const zoneAggregates = await this.#zoneAggregates(request.availabilityZone);
    const [services, zones, candidates] = await Promise.all([
      store.listServices(this.deps.db),
      store.hostZones(this.deps.db),
      placement.allocationCandidates({
        resources: flavorResources(request.flavor),
        limit: this.deps.config.max_placement_results,
        ...(zoneAggregates ? { memberOf: [zoneAggregates] } : {}),
      }),
    ]);
    const byNode = new Map(services.map((s) => [s.nodeUuid, s]));
    const hosts = candidates.map((c) => byNode.get(c.providerUuid));
    const view = { readAt, placementWrites, hostWrites, candidates, hosts, services: byNode, zones };
    this.#views.set(key, view);
    return view;
  }

  async #select(request: ScheduleRequest, view: HostView): Promise<Destination> {
    const placement = this.deps.peers.placementIfPresent();
    if (!placement) throw new NoValidHost();
    const { candidates, hosts, services, zones } = view;
    const hostsOf = await this.#hostsOfServers([...request.sameHost, ...request.differentHost, ...(request.group?.members ?? [])]);
    // Heartbeats are read fresh (the view may be older than service_down_time).
    const up = await this.liveness.judge(services.values());
    const wanted = Object.entries(flavorResources(request.flavor));
    // Indexes of the candidates that pass the filters.
    const passing: number[] = [];
    for (let i = 0; i < candidates.length; i++) {
      const service = hosts[i];
      if (service !== undefined && up(service) && fits(candidates[i] as Candidate, wanted) && this.#passes(request, service, zones, hostsOf)) passing.push(i);
    }
    for (const at of byWeight(this.#weigh(request, passing, view, hostsOf))) {
      const index = passing[at] as number;
      const candidate = candidates[index] as Candidate;
      const service = hosts[index] as ComputeService;
      const writesBefore = placement.writeCount();
      const claimed = await placement.claim({
        consumerUuid: request.consumerUuid,
        projectId: request.projectId,
        userId: request.userId,
        allocations: candidate.allocations,
      });
      // The view holds this claim once consumed below; any other write seen meanwhile makes it stale.
      const onlyThisClaim = view.placementWrites === writesBefore && placement.writeCount() === writesBefore + 1;
      view.placementWrites = onlyThisClaim ? writesBefore + 1 : STALE;
      if (claimed) {
        consume(candidate);
        return { host: service.host, nodeUuid: service.nodeUuid };
      }
      hosts[index] = undefined;
    }
    // Hosts that are down for a reason they reported (e.g. missing hypervisor tools) say so in the fault.
    const down = [...services.values()].filter((s) => s.forcedDown && s.disabledReason).map((s) => `Host ${s.host} is down: ${s.disabledReason}.`);
    throw new NoValidHost(down.length > 0 ? down.join(' ') : undefined);
  }

  #passes(request: ScheduleRequest, service: ComputeService, zones: Map<string, string>, hostsOf: Map<string, string>): boolean {
    if (!service.enabled) return false;
    if (request.ignoreHosts.includes(service.host)) return false;
    const zone = zones.get(service.host) ?? this.deps.config.default_availability_zone;
    if (request.availabilityZone && request.availabilityZone !== zone) return false;
    if (request.sameHost.length > 0 && !request.sameHost.some((id) => hostsOf.get(id) === service.host)) return false;
    if (request.differentHost.some((id) => hostsOf.get(id) === service.host)) return false;
    const group = request.group;
    if (group) {
      const memberHosts = group.members
        .filter((m) => m !== request.serverId)
        .map((m) => hostsOf.get(m))
        .filter((h): h is string => !!h);
      if (group.policy === 'anti-affinity') {
        const max = group.rules.max_server_per_host ?? 1;
        if (memberHosts.filter((h) => h === service.host).length >= max) return false;
      }
      if (group.policy === 'affinity' && memberHosts.length > 0 && !memberHosts.includes(service.host)) return false;
    }
    return true;
  }

  /**
   * Nova's weighers: each normalised to [0, 1] over the passing candidates,
   * times its multiplier, summed; the weights by position in `passing`.
   * Typed arrays and plain loops: this runs over every host on every decision.
   */
  #weigh(request: ScheduleRequest, passing: number[], view: HostView, hostsOf: Map<string, string>): Float64Array {
    const { ram_weight_multiplier: ramMultiplier, cpu_weight_multiplier: cpuMultiplier } = this.deps.config;
    const group = request.group;
    const soft = group && (group.policy === 'soft-affinity' || group.policy === 'soft-anti-affinity') ? group : null;
    const memberHosts = soft ? soft.members.filter((m) => m !== request.serverId).map((m) => hostsOf.get(m)) : [];
    const n = passing.length;
    const ram = new Float64Array(n);
    const cpu = new Float64Array(n);
    const members = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const index = passing[i] as number;
      const summary = (view.candidates[index] as Candidate).summary;
      ram[i] = free(summary.MEMORY_MB);
      cpu[i] = free(summary.VCPU);
      if (soft) {
        const host = view.hosts[index]?.host;
        for (const h of memberHosts) if (h === host) members[i]!++;
      }
    }
    normalise(ram);
    normalise(cpu);
    normalise(members);
    const groupSign = soft?.policy === 'soft-affinity' ? 1 : -1;
    const weights = new Float64Array(n);
    for (let i = 0; i < n; i++) weights[i] = ramMultiplier * ram[i]! + cpuMultiplier * cpu[i]! + (soft ? groupSign * members[i]! : 0);
    return weights;
  }

  /**
   * Nova's availability-zone prefilter (query_placement_for_availability_zone):
   * a zone named by aggregates becomes `member_of` in the Placement query, so
   * only that zone's providers are even considered. The default zone has no
   * aggregate; the AZ filter handles it.
   */
  async #zoneAggregates(zone: string | null): Promise<string[] | null> {
    if (!zone) return null;
    const uuids = (await store.listAggregates(this.deps.db)).filter((a) => a.availabilityZone === zone).map((a) => a.uuid);
    return uuids.length > 0 ? uuids : null;
  }

  async #hostsOfServers(ids: string[]): Promise<Map<string, string>> {
    const hosts = new Map<string, string>();
    if (ids.length === 0) return hosts;
    for (const server of await store.listServers(this.deps.db, { ids: [...new Set(ids)], deleted: false })) {
      if (server.host) hosts.set(server.id, server.host);
    }
    return hosts;
  }
}

/** Requests that Placement answers alike: same amounts, same zone. */
function viewKey(request: ScheduleRequest): string {
  return JSON.stringify([flavorResources(request.flavor), request.availabilityZone]);
}

/** The candidate still has room for the amounts (earlier claims may have used it up). */
function fits(candidate: Candidate, wanted: Array<[string, number]>): boolean {
  for (const [rc, amount] of wanted) {
    const s = candidate.summary[rc];
    if (s === undefined || s.capacity - s.used < amount) return false;
  }
  return true;
}

/**
 * Positions of the weights, heaviest first (the first of equals first, as a
 * stable sort), found one at a time: nearly every decision claims the
 * first, so sorting 10,000 candidates would be spent for one.
 */
function* byWeight(weights: Float64Array): Generator<number> {
  const taken = new Uint8Array(weights.length);
  for (let n = 0; n < weights.length; n++) {
    let best = -1;
    for (let i = 0; i < weights.length; i++) if (taken[i] === 0 && (best < 0 || weights[i]! > weights[best]!)) best = i;
    taken[best] = 1;
    yield best;
  }
}

/** What a resource class has left on a candidate (none: nothing). */
const free = (s: { capacity: number; used: number } | undefined) => (s ? s.capacity - s.used : 0);

/** Scales the values to [0, 1] in place (all 0 when they are all equal), as Nova's weight normaliser. */
function normalise(values: Float64Array): void {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  for (let i = 0; i < values.length; i++) values[i] = max === min ? 0 : (values[i]! - min) / (max - min);
}

/** Counts a successful claim into the candidate's use, so later decisions over the view see it. */
function consume(candidate: Candidate): void {
  for (const [rc, amount] of Object.entries(candidate.allocations[candidate.providerUuid] ?? {})) {
    const s = candidate.summary[rc];
    if (s) s.used += amount;
  }
}
