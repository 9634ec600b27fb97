/**
 * Auto-allocated topology (Neutron's `auto-allocated-topology` extension):
 * on a project's first `GET /auto-allocated-topology/{project}` a network
 * with one subnet per default subnet pool and a router gatewayed on the
 * default external network are made for it; later calls return the same
 * network. The topology is one `auto_allocated_topology` row whose id is the
 * project's, so the database keeps it to one per project: a concurrent loser
 * removes what it made and answers with the winner's network.
 *
 * The pieces are made as the service on the project's behalf (Neutron calls
 * its plugins directly, past the API policy), so only the
 * `get_`/`delete_auto_allocated_topology` rules apply to the caller; quotas
 * still do.
 */
import { serviceCaller, type CallerContext } from '../../core/context.js';
import { isUniqueViolation } from '../../core/db/constraint-errors.js';
import { NimbusError } from '../../core/errors.js';
import { errors } from '../errors.js';
import * as store from '../store/index.js';
import type { NetworkDeps } from './deps.js';
import type { NetworkOps } from './networks.js';
import type { RouterOps } from './routers.js';
import type { SubnetPoolOps } from './subnet-pools.js';
import type { SubnetOps } from './subnets.js';

export interface TopologyAttrs extends Record<string, unknown> {
  network_id: string;
  router_id: string;
}

/** The `fields=` value that asks for a check of the requirements only. */
const DRY_RUN = 'dry-run';

export interface TopologyView {
  id: string;
  tenant_id: string;
  project_id: string;
}

export class AutoAllocationOps {
  constructor(
    private readonly deps: NetworkDeps,
    private readonly networks: NetworkOps,
    private readonly subnets: SubnetOps,
    private readonly pools: SubnetPoolOps,
    private readonly routers: RouterOps,
  ) {}

  /** The project's topology, made on the first call; `fields` may only be `dry-run` (a check that making it can work). */
  async get(auth: CallerContext, projectParam: string, fields: string[]): Promise<TopologyView> {
    const projectId = this.#project(auth, projectParam, 'get_auto_allocated_topology');
    if (fields.includes(DRY_RUN)) {
      await this.#defaultExternalNetwork();
      if ((await this.#defaultPools()).length === 0) throw errors.autoAllocationFailure('No default subnetpools defined');
      return view('dry-run=pass', projectId);
    }
    if (fields.length > 0) throw errors.badResourceRequest('auto_allocate', 'Unrecognized field');
    const existing = await store.getResource<TopologyAttrs>(this.deps.db, 'auto_allocated_topology', projectId);
    if (existing) return view(existing.attrs.network_id, projectId);
    const external = await this.#defaultExternalNetwork();
    return view(await this.#build(projectId, external), projectId);
  }

  /** Removes the project's topology (router, its interfaces, network); nothing to remove is no error. */
  async delete(auth: CallerContext, projectParam: string): Promise<void> {
    const projectId = this.#project(auth, projectParam, 'delete_auto_allocated_topology');
    const topology = await store.getResource<TopologyAttrs>(this.deps.db, 'auto_allocated_topology', projectId);
    if (!topology) return;
    await this.#cleanup(projectId, topology.attrs.network_id, topology.attrs.router_id);
    await store.deleteResource(this.deps.db, topology.id);
  }

  /** `None` in the path means the caller's project (a client that sent none); another project's needs an admin. */
  #project(auth: CallerContext, projectParam: string, action: string): string {
    const own = auth.project?.id ?? null;
    const projectId = projectParam === 'None' ? own : projectParam;
    if (projectId === null || (!this.deps.access.isAdmin(auth) && projectId !== own)) throw errors.notAuthorized();
    this.deps.access.authorize(auth, action, { project_id: projectId, tenant_id: projectId });
    return projectId;
  }

  /** Only an external network can be the default one; the oldest wins if several claim it. */
  async #defaultExternalNetwork(): Promise<string> {
    const all = await store.listResources(this.deps.db, 'network');
    const found = all.find((n) => n.attrs['router:external'] === true && n.attrs.is_default === true);
    if (!found) throw errors.autoAllocationFailure('No default router:external network');
    return found.id;
  }

  async #defaultPools() {
    const pools = [await this.pools.defaultPool(this.deps.db, 4), await this.pools.defaultPool(this.deps.db, 6)];
    return pools.filter((p) => p !== null);
  }

  async #build(projectId: string, externalNetworkId: string): Promise<string> {
    const owner = serviceCaller('nimbus-network', { id: projectId });
    const network = await this.networks.create(owner, { name: 'auto_allocated_network', admin_state_up: false, project_id: projectId, shared: false });
    const subnetIds: string[] = [];
    try {
      const pools = await this.#defaultPools();
      if (pools.length === 0) throw errors.autoAllocationFailure('Unable to provide tenant private network');
      for (const pool of pools) {
        const body = { name: `auto_allocated_subnet_v${pool.attrs.ip_version}`, network_id: network.id, ip_version: pool.attrs.ip_version };
        subnetIds.push((await this.subnets.create(owner, { ...body, subnetpool_id: pool.id, project_id: projectId })).id);
      }
    } catch (error) {
      await this.#cleanup(projectId, network.id, null);
      throw requirementsUnmet(error, 'network');
    }
    let routerId: string | null = null;
    try {
      const gateway = { external_gateway_info: { network_id: externalNetworkId } };
      routerId = (await this.routers.create(owner, { name: 'auto_allocated_router', admin_state_up: true, project_id: projectId, ...gateway })).id;
      for (const subnetId of subnetIds) await this.routers.addInterface(owner, routerId, { subnet_id: subnetId });
    } catch (error) {
      await this.#cleanup(projectId, network.id, routerId);
      throw requirementsUnmet(error, 'router');
    }
    return this.#save(projectId, network.id, routerId);
  }

  async #save(projectId: string, networkId: string, routerId: string): Promise<string> {
    const attrs: TopologyAttrs = { network_id: networkId, router_id: routerId };
    try {
      await store.insertResource(this.deps.db, { id: projectId, kind: 'auto_allocated_topology', projectId, name: '', attrs });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      await this.#cleanup(projectId, networkId, routerId);
      const winner = await store.getResource<TopologyAttrs>(this.deps.db, 'auto_allocated_topology', projectId);
      if (!winner) throw error;
      return winner.attrs.network_id;
    }
    await this.networks.update(serviceCaller('nimbus-network', { id: projectId }), networkId, { admin_state_up: true });
    return networkId;
  }

  /** Undoes a topology, skipping pieces already gone (a concurrent delete may have taken them). */
  async #cleanup(projectId: string, networkId: string, routerId: string | null): Promise<void> {
    const owner = serviceCaller('nimbus-network', { id: projectId });
    const gone = (error: unknown) => {
      if (!(error instanceof NimbusError && error.status === 404)) throw error;
    };
    if (routerId) {
      for (const subnet of await store.listResources(this.deps.db, 'subnet', { parentId: networkId })) {
        await this.routers.removeInterface(owner, routerId, { subnet_id: subnet.id }).catch(gone);
      }
      await this.routers.delete(owner, routerId).catch(gone);
    }
    await this.networks.delete(owner, networkId).catch(gone);
  }
}

function view(id: string, projectId: string): TopologyView {
  return { id, tenant_id: projectId, project_id: projectId };
}

/**
 * Neutron turns what the deployment cannot meet into its AutoAllocationFailure:
 * for the private network a 400, a 404 or a full pool; for the router a 400.
 * Anything else (a quota, say) stays as it is.
 */
function requirementsUnmet(error: unknown, step: 'network' | 'router'): unknown {
  if (!(error instanceof NimbusError)) return error;
  const unmet = step === 'network' ? error.status === 400 || error.status === 404 || error.type === 'SubnetAllocationError' : error.status === 400;
  if (!unmet) return error;
  return errors.autoAllocationFailure(step === 'network' ? 'Unable to provide tenant private network' : 'Unable to provide external connectivity');
}
