/**
 * Routers: an external gateway (a port on an external network, SNAT on by
 * default), interfaces added by subnet (the port takes the subnet's gateway
 * address) or by port, and extra routes whose next hops must be on a
 * connected subnet. The driver realises the router on the default host.
 */
import type { CallerContext } from '../../core/context.js';
import { uuid } from '../../core/ids.js';
import { errors, invalidInput, notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { Resource } from '../store/index.js';
import { owningProject, readable, reserve, targetOf } from './access.js';
import { checkAvailabilityZoneHints, convertBody, toBoolean, type AttrMap } from './attributes.js';
import type { NetworkDeps } from './deps.js';
import { cidrContains, formatCidr, normalizeIp, parseCidr, parseIp } from '../../core/net/ip.js';
import type { NetworkOps } from './networks.js';
import { checkRevision, toObject, type NeutronObject } from './objects.js';
import type { Port, PortOps } from './ports.js';
import type { FlavorOps } from './flavors.js';
import type { Realisation } from './realisation.js';
import { subnetCidr, type SubnetOps } from './subnets.js';

export interface GatewayInfo {
  network_id: string;
  enable_snat: boolean;
  external_fixed_ips: Array<{ subnet_id: string; ip_address: string }>;
}

export interface RouterAttrs extends Record<string, unknown> {
  description: string;
  admin_state_up: boolean;
  external_gateway_info: GatewayInfo | null;
  routes: Array<{ destination: string; nexthop: string }>;
  distributed: boolean;
  ha: boolean;
  availability_zone_hints: string[];
  /** The L3 flavor the router was made with (l3-flavors), if any. */
  flavor_id?: string | null;
}

export type Router = Resource<RouterAttrs>;

export const ROUTER_ATTRS: AttrMap = {
  admin_state_up: { type: 'boolean', create: true, update: true },
  external_gateway_info: { type: 'any', create: true, update: true },
  routes: { type: 'nullable-list', update: true },
  distributed: { type: 'boolean', create: true, update: true },
  ha: { type: 'boolean', create: true, update: true },
  availability_zone_hints: { type: 'string-list', create: true },
  flavor_id: { type: 'nullable-string', create: true },
};

/** The body of add/remove_router_interface, checked at the route. */
export interface InterfaceRequest {
  subnet_id?: string;
  port_id?: string;
}

/** Neutron's default `max_routes`. */
const MAX_ROUTES = 30;

export const ROUTER_INTERFACE = 'network:router_interface';
export const ROUTER_GATEWAY = 'network:router_gateway';

export class RouterOps {
  constructor(
    private readonly deps: NetworkDeps,
    private readonly networks: NetworkOps,
    private readonly subnets: SubnetOps,
    private readonly ports: PortOps,
    private readonly realisation: Realisation,
    private readonly flavors: FlavorOps,
  ) {}

  async create(auth: CallerContext, body: unknown): Promise<NeutronObject> {
    const input = convertBody(ROUTER_ATTRS, body);
    const projectId = owningProject(this.deps, auth, input, 'create_router');
    for (const attr of ['distributed', 'ha'] as const)
      if (input[attr] !== undefined) this.deps.access.authorize(auth, `create_router:${attr}`, { ...input, project_id: projectId });
    const flavorId = (input.flavor_id as string | null | undefined) ?? null;
    if (flavorId !== null) await this.#checkFlavor(auth, flavorId, input);
    const router = await this.deps.db.transaction().execute(async (trx) => {
      await reserve(this.deps, trx, projectId, { router: 1 });
      return store.insertResource<RouterAttrs>(trx, {
        id: uuid(),
        kind: 'router',
        projectId,
        name: (input.name as string | undefined) ?? '',
        attrs: {
          description: (input.description as string | undefined) ?? '',
          admin_state_up: (input.admin_state_up as boolean | undefined) ?? true,
          external_gateway_info: null,
          routes: [],
          distributed: (input.distributed as boolean | undefined) ?? false,
          ha: (input.ha as boolean | undefined) ?? false,
          availability_zone_hints: checkAvailabilityZoneHints(input.availability_zone_hints),
          flavor_id: flavorId,
        },
      });
    });
    try {
      const info = input.external_gateway_info;
      const wantsGateway = info !== null && info !== undefined && !(typeof info === 'object' && Object.keys(info as object).length === 0);
      const withGateway = wantsGateway ? await this.#setGateway(auth, router, info, 'create_router') : router;
      await this.#realise(withGateway);
      return this.#object(auth, withGateway);
    } catch (error) {
      await this.#destroy(router);
      throw error;
    }
  }

  async get(auth: CallerContext, id: string): Promise<NeutronObject> {
    return this.#object(auth, await this.getVisible(auth, id));
  }

  async list(auth: CallerContext): Promise<NeutronObject[]> {
    const routers = this.deps.access.isAdmin(auth)
      ? await store.listResources<RouterAttrs>(this.deps.db, 'router')
      : auth.project
        ? await store.listResources<RouterAttrs>(this.deps.db, 'router', { projectId: auth.project.id })
        : [];
    return routers.filter((r) => readable(this.deps, auth, 'router', targetOf(r))).map((r) => this.#object(auth, r));
  }

  async update(auth: CallerContext, id: string, body: unknown, ifMatch?: string): Promise<NeutronObject> {
    const input = convertBody(ROUTER_ATTRS, body);
    let router = await this.getVisible(auth, id);
    this.deps.access.authorize(auth, 'update_router', targetOf(router));
    checkRevision(router, ifMatch, errors.revisionMismatch);
    for (const attr of ['distributed', 'ha'] as const)
      if (input[attr] !== undefined) this.deps.access.authorize(auth, `update_router:${attr}`, targetOf(router));
    if (input.external_gateway_info !== undefined) {
      const info = input.external_gateway_info;
      router =
        info === null || (typeof info === 'object' && Object.keys(info as object).length === 0)
          ? await this.#clearGateway(router)
          : await this.#setGateway(auth, router, info, 'update_router');
    }
    const attrs = { ...router.attrs };
    for (const key of ['description', 'admin_state_up', 'distributed', 'ha'] as const)
      if (input[key] !== undefined) (attrs as Record<string, unknown>)[key] = input[key];
    if (input.routes !== undefined) attrs.routes = await this.#checkRoutes(router, (input.routes as unknown[] | null) ?? []);
    const saved = await store.saveResource(this.deps.db, { ...router, name: (input.name as string | undefined) ?? router.name, attrs });
    await this.#realise(saved);
    return this.#object(auth, saved);
  }

  async delete(auth: CallerContext, id: string, ifMatch?: string): Promise<void> {
    const router = await this.getVisible(auth, id);
    this.deps.access.authorize(auth, 'delete_router', targetOf(router));
    checkRevision(router, ifMatch, errors.revisionMismatch);
    const interfaces = (await this.ports.portsOfDevice(id)).filter((p) => p.attrs.device_owner === ROUTER_INTERFACE);
    if (interfaces.length > 0) throw errors.routerInUse(id);
    await this.#clearGateway(router);
    await this.#destroy(router);
    await this.deps.driver.unrealiseRouter(id, this.deps.config.default_host);
  }

  async addInterface(auth: CallerContext, id: string, body: InterfaceRequest): Promise<NeutronObject> {
    const router = await this.getVisible(auth, id);
    this.deps.access.authorize(auth, 'add_router_interface', targetOf(router));
    const { subnet_id: subnetId, port_id: portId } = body;
    if ((subnetId === undefined) === (portId === undefined)) {
      throw errors.badResourceRequest('router', 'Either subnet_id or port_id must be specified.');
    }
    const existing = (await this.ports.portsOfDevice(id)).filter((p) => p.attrs.device_owner === ROUTER_INTERFACE);
    let port: Port;
    if (subnetId !== undefined) {
      const subnet = await this.subnets.getVisible(auth, subnetId);
      if (!subnet.attrs.gateway_ip) throw errors.badResourceRequest('router', 'Subnet for router interface must have a gateway IP.');
      await this.#checkNoOverlap(existing, subnetCidr(subnet), subnet.id);
      port = await this.ports.createPort(
        auth,
        {
          network_id: subnet.attrs.network_id,
          fixed_ips: [{ subnet_id: subnet.id, ip_address: subnet.attrs.gateway_ip }],
          device_owner: ROUTER_INTERFACE,
          device_id: id,
          admin_state_up: true,
        },
        { internal: true, projectId: router.projectId },
      );
    } else {
      const found = await this.ports.getVisible(auth, String(portId));
      if (found.attrs.device_id || found.attrs.device_owner) {
        throw errors.portInUse(found.id, found.attrs.network_id, found.attrs.device_id);
      }
      if (found.attrs.fixed_ips.length === 0) throw errors.badResourceRequest('router', `Router port must have at least one fixed IP.`);
      for (const ip of found.attrs.fixed_ips) {
        const subnet = await this.subnets.getVisible(auth, ip.subnet_id);
        await this.#checkNoOverlap(existing, subnetCidr(subnet), subnet.id);
      }
      port = await this.ports.attach(found, ROUTER_INTERFACE, id);
    }
    await this.#realise(router);
    return this.#interfaceInfo(router, port);
  }

  async removeInterface(auth: CallerContext, id: string, body: InterfaceRequest): Promise<NeutronObject> {
    const router = await this.getVisible(auth, id);
    this.deps.access.authorize(auth, 'remove_router_interface', targetOf(router));
    const { subnet_id: subnetId, port_id: portId } = body;
    if (subnetId === undefined && portId === undefined) throw errors.badResourceRequest('router', 'Either subnet_id or port_id must be specified.');
    const interfaces = (await this.ports.portsOfDevice(id)).filter((p) => p.attrs.device_owner === ROUTER_INTERFACE);
    let port: Port | undefined;
    if (portId !== undefined) {
      port = interfaces.find((p) => p.id === portId);
      if (!port) throw errors.routerInterfaceNotFound(id, portId);
      if (subnetId !== undefined && !port.attrs.fixed_ips.some((f) => f.subnet_id === subnetId)) throw errors.routerInterfaceNotFoundForSubnet(id, subnetId);
    } else {
      await this.subnets.getVisible(auth, String(subnetId));
      port = interfaces.find((p) => p.attrs.fixed_ips.some((f) => f.subnet_id === subnetId));
      if (!port) throw errors.routerInterfaceNotFoundForSubnet(id, String(subnetId));
    }
    const fips = await store.listResources(this.deps.db, 'floatingip');
    const subnetIds = port.attrs.fixed_ips.map((f) => f.subnet_id);
    if (fips.some((f) => f.attrs.router_id === id && f.attrs.port_id && subnetIds.includes(String(f.attrs.fixed_subnet_id)))) {
      throw errors.routerInterfaceInUseByFloatingIp(id, subnetIds.join(','));
    }
    await this.ports.deletePort(port);
    await this.#realise(router);
    return this.#interfaceInfo(router, port);
  }

  async getVisible(auth: CallerContext, id: string): Promise<Router> {
    const router = await store.getResource<RouterAttrs>(this.deps.db, 'router', id);
    if (!router || !(this.deps.access.isAdmin(auth) || router.projectId === auth.project?.id)) throw notFound.router(id);
    if (!readable(this.deps, auth, 'router', targetOf(router))) throw notFound.router(id);
    return router;
  }

  /**
   * `add_extraroutes` / `remove_extraroutes` (extraroute-atomic): the
   * router's routes with the given ones added (or taken away), checked as an
   * update of `routes` is.
   */
  async changeExtraRoutes(
    auth: CallerContext,
    id: string,
    change: 'add' | 'remove',
    routes: Array<{ destination: string; nexthop: string }>,
  ): Promise<NeutronObject> {
    const router = await this.getVisible(auth, id);
    this.deps.access.authorize(auth, `${change}_extraroutes`, targetOf(router));
    // One route per destination and next hop however it is written (`10.0.0.5/24` is `10.0.0.0/24`), as Neutron keeps them.
    const key = (route: { destination: string; nexthop: string }) => {
      const destination = parseCidr(route.destination);
      return `${destination ? formatCidr(destination) : route.destination} via ${normalizeIp(route.nexthop) ?? route.nexthop}`;
    };
    const current = router.attrs.routes;
    const given = new Set(routes.map(key));
    const next =
      change === 'add'
        ? [...current, ...routes].filter((route, index, all) => all.findIndex((other) => key(other) === key(route)) === index)
        : current.filter((route) => !given.has(key(route)));
    const saved = await store.saveResource(this.deps.db, { ...router, attrs: { ...router.attrs, routes: await this.#checkRoutes(router, next) } });
    await this.#realise(saved);
    return this.#object(auth, saved);
  }

  /** Routers with a gateway on `externalNetworkId` and an interface on `subnetId` (floating IP reachability). */
  async routersReaching(externalNetworkId: string, subnetId: string): Promise<Router[]> {
    const routers = await store.listResources<RouterAttrs>(this.deps.db, 'router');
    const result: Router[] = [];
    for (const router of routers) {
      if (router.attrs.external_gateway_info?.network_id !== externalNetworkId) continue;
      const interfaces = (await this.ports.portsOfDevice(router.id)).filter((p) => p.attrs.device_owner === ROUTER_INTERFACE);
      if (interfaces.some((p) => p.attrs.fixed_ips.some((f) => f.subnet_id === subnetId))) result.push(router);
    }
    return result;
  }

  async #setGateway(auth: CallerContext, router: Router, raw: unknown, action: 'create_router' | 'update_router'): Promise<Router> {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw errors.invalidAttribute('external_gateway_info', 'it must be a dictionary');
    const info = raw as Record<string, unknown>;
    for (const key of Object.keys(info)) {
      if (!['network_id', 'enable_snat', 'external_fixed_ips', 'qos_policy_id'].includes(key))
        throw errors.invalidAttribute('external_gateway_info', `Unexpected key '${key}'`);
    }
    if (typeof info.network_id !== 'string') throw errors.invalidAttribute('external_gateway_info', 'network_id is required');
    for (const attr of ['enable_snat', 'external_fixed_ips'] as const) {
      if (info[attr] !== undefined) this.deps.access.authorize(auth, `${action}:external_gateway_info:${attr}`, targetOf(router));
    }
    const network = await this.networks.getVisible(auth, info.network_id);
    if (!network.attrs['router:external']) throw errors.networkNotExternal(network.id);
    const current = router.attrs.external_gateway_info;
    const enableSnat = info.enable_snat === undefined ? true : toBoolean('enable_snat', info.enable_snat);
    if (current && current.network_id === network.id && info.external_fixed_ips === undefined) {
      return store.saveResource(this.deps.db, { ...router, attrs: { ...router.attrs, external_gateway_info: { ...current, enable_snat: enableSnat } } });
    }
    const cleared = current ? await this.#clearGateway(router) : router;
    const port = await this.ports.createPort(
      auth,
      {
        network_id: network.id,
        device_owner: ROUTER_GATEWAY,
        device_id: router.id,
        ...(info.external_fixed_ips !== undefined && { fixed_ips: info.external_fixed_ips }),
      },
      { internal: true, projectId: '' },
    );
    return store.saveResource(this.deps.db, {
      ...cleared,
      attrs: { ...cleared.attrs, external_gateway_info: { network_id: network.id, enable_snat: enableSnat, external_fixed_ips: port.attrs.fixed_ips } },
    });
  }

  async #clearGateway(router: Router): Promise<Router> {
    const info = router.attrs.external_gateway_info;
    if (!info) return router;
    const fips = await store.listResources(this.deps.db, 'floatingip');
    if (fips.some((f) => f.attrs.router_id === router.id)) {
      throw errors.routerExternalGatewayInUseByFloatingIp(router.id, info.network_id);
    }
    for (const port of (await this.ports.portsOfDevice(router.id)).filter((p) => p.attrs.device_owner === ROUTER_GATEWAY)) {
      await this.ports.deletePort(port);
    }
    return store.saveResource(this.deps.db, { ...router, attrs: { ...router.attrs, external_gateway_info: null } });
  }

  async #checkRoutes(router: Router, raw: unknown[]): Promise<Array<{ destination: string; nexthop: string }>> {
    if (raw.length > MAX_ROUTES) {
      throw errors.routesExhausted(router.id, MAX_ROUTES);
    }
    const interfaces = await this.ports.portsOfDevice(router.id);
    const connected: Array<ReturnType<typeof parseCidr>> = [];
    for (const port of interfaces) {
      for (const ip of port.attrs.fixed_ips) {
        const subnet = await store.getResource(this.deps.db, 'subnet', ip.subnet_id);
        if (subnet) connected.push(parseCidr(String(subnet.attrs.cidr)));
      }
    }
    return raw.map((r) => {
      const route = r as { destination?: unknown; nexthop?: unknown };
      const destination = typeof route?.destination === 'string' ? parseCidr(route.destination) : null;
      const nexthop = typeof route?.nexthop === 'string' ? parseIp(route.nexthop) : null;
      if (!destination || !nexthop) throw errors.invalidAttribute('routes', `Invalid data format for hostroute: '${JSON.stringify(r)}'`);
      if (!connected.some((c) => c && cidrContains(c, nexthop.version, nexthop.value))) {
        throw errors.invalidRoutes(JSON.stringify(raw));
      }
      return { destination: formatCidr(destination), nexthop: String(route.nexthop) };
    });
  }

  async #checkNoOverlap(interfaces: Port[], cidr: NonNullable<ReturnType<typeof parseCidr>>, subnetId: string): Promise<void> {
    for (const port of interfaces) {
      for (const ip of port.attrs.fixed_ips) {
        if (ip.subnet_id === subnetId) throw errors.badResourceRequest('router', `Router already has a port on subnet ${subnetId}.`);
        const other = await store.getResource(this.deps.db, 'subnet', ip.subnet_id);
        const otherCidr = other ? parseCidr(String(other.attrs.cidr)) : null;
        if (
          otherCidr &&
          otherCidr.version === cidr.version &&
          (cidrContains(otherCidr, cidr.version, cidr.network) || cidrContains(cidr, otherCidr.version, otherCidr.network))
        ) {
          throw errors.badResourceRequest(
            'router',
            `Cidr ${formatCidr(cidr)} of subnet ${subnetId} overlaps with cidr ${String(other?.attrs.cidr)} of subnet ${ip.subnet_id}.`,
          );
        }
      }
    }
  }

  async #destroy(router: Router): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      await store.deleteResource(trx, router.id);
      await this.deps.quota.release(trx, router.projectId, { router: 1 });
    });
  }

  async #realise(router: Router): Promise<void> {
    await this.realisation.realiseRouter(router.id);
  }

  #interfaceInfo(router: Router, port: Port): NeutronObject {
    return {
      id: router.id,
      tenant_id: router.projectId,
      project_id: router.projectId,
      port_id: port.id,
      network_id: port.attrs.network_id,
      subnet_id: port.attrs.fixed_ips[0]?.subnet_id ?? null,
      subnet_ids: port.attrs.fixed_ips.map((f) => f.subnet_id),
    };
  }

  /** A flavored router is served by the flavor's provider, which must support the `distributed` and `ha` asked for (Neutron's L3 driver controller). */
  async #checkFlavor(auth: CallerContext, flavorId: string, input: Record<string, unknown>): Promise<void> {
    await this.flavors.get(auth, flavorId);
    const provider = await this.flavors.providerFor(flavorId);
    for (const key of ['distributed', 'ha'] as const) {
      if (input[key] === true && !provider.supports[key]) throw invalidInput(`Provider ${provider.name} does not support ${key}=True`);
    }
  }

  #object(auth: CallerContext, router: Router): NeutronObject {
    const object = toObject(router, { status: 'ACTIVE', availability_zones: ['nova'], flavor_id: router.attrs.flavor_id ?? null });
    for (const attr of ['distributed', 'ha']) if (!this.deps.access.allowed(auth, `get_router:${attr}`, object)) delete object[attr];
    return object;
  }
}
