/**
 * Floating IP port forwardings (floating-ip-port-forwarding): traffic to one
 * port of a floating IP goes to a port of an internal Neutron port's IPv4
 * address. As Neutron: the floating IP must be free (no port associated),
 * the internal port must have no floating IP of its own, its subnet must
 * reach the floating IP's network through a router (which the floating IP
 * then keeps while it has forwardings), and duplicates on either side
 * (external port + protocol, or internal socket + protocol) are a 400 —
 * enforced by the table's unique constraints, so concurrent requests cannot
 * both win. The driver realises each forwarding (applyPortForwarding).
 */
import type { CallerContext } from '../../core/context.js';
import { isUniqueViolation } from '../../core/db/constraint-errors.js';
import { uuid } from '../../core/ids.js';
import type { DriverPortForwarding } from '../drivers/driver.js';
import { errors, notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { NetworkDb, PortForwardingRow } from '../store/index.js';
import { convertBody, type AttrMap } from './attributes.js';
import type { NetworkDeps } from './deps.js';
import type { FloatingIp, FloatingIpAttrs, FloatingIpOps } from './floating-ips.js';
import { parseIp } from '../../core/net/ip.js';
import type { NeutronObject } from './objects.js';
import type { Port, PortOps } from './ports.js';
import type { RouterOps } from './routers.js';

/** neutron-lib's IPTABLES_PROTOCOL_MAP keys. */
const PROTOCOLS = ['dccp', 'icmp', 'ipv6-icmp', 'sctp', 'tcp', 'udp'];

export const PF_ATTRS: AttrMap = {
  protocol: { type: 'string', create: true, update: true },
  internal_port_id: { type: 'string', create: true, update: true },
  internal_ip_address: { type: 'string', create: true, update: true },
  internal_port: { type: 'integer', create: true, update: true },
  external_port: { type: 'integer', create: true, update: true },
  // A port forwarding has no name (the fallback standard attributes would accept one).
  name: { type: 'string' },
};

/** Filters Neutron refuses on this collection (PortForwardingNotSupportFilterField). */
export const UNFILTERABLE = ['internal_ip_address', 'internal_port'];

const bad = (message: string) => errors.badResourceRequest('port_forwarding', message);

function portNumber(name: string, value: unknown): number {
  if (typeof value !== 'number' || value < 1 || value > 65535) throw errors.invalidAttribute(name, `'${String(value)}' is not in range 1 through 65535`);
  return value;
}

export function portForwardingObject(row: PortForwardingRow): NeutronObject {
  return {
    id: row.id,
    external_port: row.external_port,
    protocol: row.protocol,
    internal_port_id: row.internal_port_id,
    internal_ip_address: row.internal_ip_address,
    internal_port: row.internal_port,
    description: row.description,
  };
}

export class PortForwardingOps {
  constructor(
    private readonly deps: NetworkDeps,
    private readonly floatingIps: FloatingIpOps,
    private readonly ports: PortOps,
    private readonly routers: RouterOps,
  ) {}

  async create(auth: CallerContext, floatingipId: string, body: unknown): Promise<NeutronObject> {
    const input = convertBody(PF_ATTRS, body);
    for (const required of ['protocol', 'internal_port_id', 'internal_port', 'external_port']) {
      if (input[required] === undefined) throw errors.requiredAttribute(required);
    }
    const fip = await this.floatingIps.getVisible(auth, floatingipId);
    this.#authorize(auth, fip, 'create');
    const port = await this.ports.getVisible(auth, String(input.internal_port_id));
    const draft: PortForwardingRow = {
      id: uuid(),
      floatingip_id: fip.id,
      project_id: fip.projectId,
      router_id: '',
      protocol: this.#protocol(input.protocol),
      external_port: portNumber('external_port', input.external_port),
      internal_port_id: port.id,
      internal_ip_address: this.#internalAddress(port, input.internal_ip_address as string | undefined),
      internal_port: portNumber('internal_port', input.internal_port),
      description: (input.description as string | undefined) ?? '',
    };
    await this.#checkPortHasNoFloatingIp(port, draft.internal_ip_address);
    if (fip.attrs.port_id) {
      throw errors.floatingIpPortAlreadyAssociated(
        { address: fip.attrs.floating_ip_address, id: fip.id },
        port.id,
        draft.internal_ip_address,
        fip.attrs.floating_network_id,
      );
    }
    const row = { ...draft, router_id: await this.#router(fip, port, draft) };
    await this.#write(fip, row, 'A duplicate port forwarding entry with same attributes already exists', async (trx) => {
      await store.insertPortForwarding(trx, row);
      if (!fip.attrs.router_id) await store.saveResource<FloatingIpAttrs>(trx, { ...fip, attrs: { ...fip.attrs, router_id: row.router_id } });
    });
    await this.deps.driver.applyPortForwarding(this.#driverForwarding(fip, row), this.deps.config.default_host);
    return portForwardingObject(row);
  }

  async list(auth: CallerContext, floatingipId: string): Promise<NeutronObject[]> {
    const fip = await this.floatingIps.getVisible(auth, floatingipId);
    this.#authorize(auth, fip, 'get');
    return (await store.portForwardingsOf(this.deps.db, { floatingipIds: [fip.id] })).map(portForwardingObject);
  }

  async get(auth: CallerContext, floatingipId: string, id: string): Promise<NeutronObject> {
    return portForwardingObject(await this.#find(auth, floatingipId, id));
  }

  async update(auth: CallerContext, floatingipId: string, id: string, body: unknown): Promise<NeutronObject> {
    const input = convertBody(PF_ATTRS, body);
    const current = await this.#find(auth, floatingipId, id, 'update');
    const fip = await this.floatingIps.getVisible(auth, floatingipId);
    const portId = (input.internal_port_id as string | undefined) ?? current.internal_port_id;
    const port = await this.ports.getVisible(auth, portId);
    const address = (input.internal_ip_address as string | undefined) ?? current.internal_ip_address;
    if (!port.attrs.fixed_ips.some((f) => f.ip_address === address)) {
      throw bad(`The internal IP does not correspond to an address on the internal port, which has fixed_ips ${JSON.stringify(port.attrs.fixed_ips)}`);
    }
    const row: PortForwardingRow = {
      ...current,
      protocol: input.protocol !== undefined ? this.#protocol(input.protocol) : current.protocol,
      external_port: input.external_port !== undefined ? portNumber('external_port', input.external_port) : current.external_port,
      internal_port: input.internal_port !== undefined ? portNumber('internal_port', input.internal_port) : current.internal_port,
      internal_port_id: port.id,
      internal_ip_address: address,
      description: (input.description as string | undefined) ?? current.description,
    };
    if (port.id !== current.internal_port_id) {
      await this.#checkPortHasNoFloatingIp(port, address);
      row.router_id = await this.#router({ ...fip, attrs: { ...fip.attrs, router_id: current.router_id } }, port, row);
    }
    await this.#write(fip, row, 'Another port forwarding entry with the same attributes already exists', (trx) => store.updatePortForwarding(trx, row));
    await this.deps.driver.applyPortForwarding(this.#driverForwarding(fip, row), this.deps.config.default_host);
    return portForwardingObject(row);
  }

  async delete(auth: CallerContext, floatingipId: string, id: string): Promise<void> {
    const row = await this.#find(auth, floatingipId, id, 'delete');
    await this.deps.db.transaction().execute(async (trx) => {
      await store.deletePortForwarding(trx, id);
      // The floating IP lets go of the router with its last forwarding (Neutron does the same).
      if ((await store.portForwardingsOf(trx, { floatingipIds: [floatingipId] })).length === 0) {
        const fip = await store.getResource<FloatingIpAttrs>(trx, 'floatingip', floatingipId);
        if (fip && !fip.attrs.port_id) await store.saveResource(trx, { ...fip, attrs: { ...fip.attrs, router_id: null } });
      }
    });
    await this.deps.driver.removePortForwarding(row.id, this.deps.config.default_host);
  }

  /** Writes in one transaction; a unique violation is Neutron's duplicate 400 naming the clash. */
  async #write(fip: FloatingIp, row: PortForwardingRow, duplicate: string, write: (trx: NetworkDb) => Promise<void>): Promise<void> {
    try {
      await this.deps.db.transaction().execute(write);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const others = (await store.portForwardingsOf(this.deps.db, { floatingipIds: [fip.id] })).filter((o) => o.id !== row.id);
      const outside = others.some((o) => o.external_port === row.external_port && o.protocol === row.protocol);
      const conflict = outside
        ? { floatingip_id: fip.id, external_port: row.external_port, protocol: row.protocol }
        : { internal_port_id: row.internal_port_id, internal_ip_address: row.internal_ip_address, internal_port: row.internal_port, protocol: row.protocol };
      throw bad(`${duplicate}, conflicting values are ${JSON.stringify(conflict)}`);
    }
  }

  async #find(auth: CallerContext, floatingipId: string, id: string, verb: 'get' | 'update' | 'delete' = 'get'): Promise<PortForwardingRow> {
    this.#authorize(auth, await this.floatingIps.getVisible(auth, floatingipId), verb);
    const row = await store.getPortForwarding(this.deps.db, floatingipId, id);
    if (!row) throw notFound.port_forwarding(id);
    return row;
  }

  /** `<verb>_floatingip_port_forwarding` on the floating IP as parent (Neutron's `ext_parent`). */
  #authorize(auth: CallerContext, fip: FloatingIp, verb: 'create' | 'get' | 'update' | 'delete'): void {
    this.deps.access.authorize(auth, `${verb}_floatingip_port_forwarding`, {
      project_id: fip.projectId,
      tenant_id: fip.projectId,
      'ext_parent:project_id': fip.projectId,
      'ext_parent:tenant_id': fip.projectId,
    });
  }

  #protocol(value: unknown): string {
    const protocol = String(value).toLowerCase();
    if (!PROTOCOLS.includes(protocol)) throw errors.invalidAttribute('protocol', `'${String(value)}' is not in ${JSON.stringify(PROTOCOLS)}`);
    return protocol;
  }

  /** The requested IPv4 fixed IP of the port, or its first one. */
  #internalAddress(port: Port, requested: string | undefined): string {
    const v4 = port.attrs.fixed_ips.filter((f) => parseIp(f.ip_address)?.version === 4);
    if (v4.length === 0) throw bad(`Requested internal port ${port.id} must allocate an IPv4 address at least`);
    if (requested === undefined) return v4[0]?.ip_address ?? '';
    const wanted = parseIp(requested);
    const match = v4.find((f) => wanted !== null && parseIp(f.ip_address)?.value === wanted.value);
    if (!match) {
      throw bad(`Requested internal IP address ${requested} is not suitable for internal neutron port ${port.id}, as its fixed_ips are ${JSON.stringify(v4)}`);
    }
    return match.ip_address;
  }

  async #checkPortHasNoFloatingIp(port: Port, fixedIp: string): Promise<void> {
    const bound = (await store.listResources<FloatingIpAttrs>(this.deps.db, 'floatingip')).find((f) => f.attrs.port_id === port.id);
    if (bound) {
      throw errors.portHasBindingFloatingIp({ address: bound.attrs.floating_ip_address, id: bound.id }, port.id, fixedIp);
    }
  }

  /** The router joining the internal subnet to the floating IP's network; it must be the one the floating IP already uses. */
  async #router(fip: FloatingIp, port: Port, row: PortForwardingRow): Promise<string> {
    const subnetId = port.attrs.fixed_ips.find((f) => f.ip_address === row.internal_ip_address)?.subnet_id ?? '';
    const [router] = await this.routers.routersReaching(fip.attrs.floating_network_id, subnetId);
    if (!router) {
      throw bad(
        `External network ${fip.attrs.floating_network_id} is not reachable from subnet ${subnetId}. Cannot set Port forwarding for port ${port.id} with Floating IP ${fip.id}`,
      );
    }
    if (fip.attrs.router_id && fip.attrs.router_id !== router.id) {
      throw bad(`The Floating IP ${fip.id} had been set on router ${fip.attrs.router_id}, the internal Neutron port ${port.id} can not reach it`);
    }
    return router.id;
  }

  #driverForwarding(fip: FloatingIp, row: PortForwardingRow): DriverPortForwarding {
    return {
      id: row.id,
      routerId: row.router_id,
      protocol: row.protocol,
      externalAddress: fip.attrs.floating_ip_address,
      externalPort: row.external_port,
      internalAddress: row.internal_ip_address,
      internalPort: row.internal_port,
    };
  }
}
