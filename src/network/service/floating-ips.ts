/**
 * Floating IPs: an address on an external network (held by a hidden port on
 * it), associated with a fixed IP of a port that a router with a gateway on
 * that network reaches — Neutron's 404 ExternalGatewayForFloatingIPNotFound
 * otherwise.
 */
import type { CallerContext } from '../../core/context.js';
import { uuid } from '../../core/ids.js';
import { errors, notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { NetworkDb, PortForwardingRow, Resource } from '../store/index.js';
import { owningProject, readable, reserve, targetOf } from './access.js';
import { convertBody, type AttrMap } from './attributes.js';
import type { NetworkDeps } from './deps.js';
import { parseIp } from '../../core/net/ip.js';
import type { NetworkOps } from './networks.js';
import { checkRevision, toObject, type NeutronObject } from './objects.js';
import { portForwardingObject } from './port-forwardings.js';
import type { PortOps } from './ports.js';
import type { Realisation } from './realisation.js';
import type { RouterOps } from './routers.js';

export interface FloatingIpAttrs extends Record<string, unknown> {
  description: string;
  floating_network_id: string;
  floating_ip_address: string;
  floating_port_id: string;
  port_id: string | null;
  fixed_ip_address: string | null;
  fixed_subnet_id: string | null;
  router_id: string | null;
  status: string;
}

export type FloatingIp = Resource<FloatingIpAttrs>;

export const FIP_ATTRS: AttrMap = {
  floating_network_id: { type: 'string', create: true },
  floating_ip_address: { type: 'string', create: true },
  subnet_id: { type: 'nullable-string', create: true },
  port_id: { type: 'nullable-string', create: true, update: true },
  fixed_ip_address: { type: 'nullable-string', create: true, update: true },
  dns_name: { type: 'string', create: true },
  dns_domain: { type: 'string', create: true },
  qos_policy_id: { type: 'nullable-string', create: true, update: true },
};

/**
 * Deletes the floating IPs held by `portIds` (an external network going, as
 * Neutron deletes its floating IPs with it) in the caller's transaction.
 * Returns what the host must then forget: their port forwardings and the
 * routers that NATed them.
 */
export async function deleteFloatingIpsOnPorts(
  deps: NetworkDeps,
  trx: NetworkDb,
  portIds: string[],
): Promise<{ forwardings: PortForwardingRow[]; routerIds: string[] }> {
  const fips = (await store.listResources<FloatingIpAttrs>(trx, 'floatingip')).filter((f) => portIds.includes(f.attrs.floating_port_id));
  const forwardings = await store.portForwardingsOf(trx, { floatingipIds: fips.map((f) => f.id) });
  for (const fip of fips) {
    await store.deleteResource(trx, fip.id);
    await deps.quota.release(trx, fip.projectId, { floatingip: 1 });
  }
  return { forwardings, routerIds: fips.flatMap((f) => (f.attrs.router_id ? [f.attrs.router_id] : [])) };
}

export class FloatingIpOps {
  constructor(
    private readonly deps: NetworkDeps,
    private readonly networks: NetworkOps,
    private readonly ports: PortOps,
    private readonly routers: RouterOps,
    private readonly realisation: Realisation,
  ) {}

  async create(auth: CallerContext, body: unknown): Promise<NeutronObject> {
    const input = convertBody(FIP_ATTRS, body);
    if (typeof input.floating_network_id !== 'string') throw errors.invalidAttribute('floating_network_id', "'None' is not a valid UUID");
    const network = await this.networks.getVisible(auth, input.floating_network_id);
    if (!network.attrs['router:external']) {
      throw errors.floatingNetworkNotExternal(network.id);
    }
    const projectId = owningProject(this.deps, auth, input, 'create_floatingip');
    if (input.floating_ip_address !== undefined) this.deps.access.authorize(auth, 'create_floatingip:floating_ip_address', { ...input, project_id: projectId });
    const id = uuid();
    const association = input.port_id
      ? await this.#association(auth, network.id, String(input.port_id), input.fixed_ip_address as string | undefined, null)
      : null;
    const fixedIps =
      input.floating_ip_address !== undefined || input.subnet_id
        ? [
            {
              ...(input.subnet_id ? { subnet_id: input.subnet_id } : {}),
              ...(input.floating_ip_address !== undefined && { ip_address: input.floating_ip_address }),
            },
          ]
        : undefined;
    await this.deps.db.transaction().execute(async (trx) => reserve(this.deps, trx, projectId, { floatingip: 1 }));
    let port;
    try {
      port = await this.ports.createPort(
        auth,
        { network_id: network.id, device_owner: 'network:floatingip', device_id: id, ...(fixedIps && { fixed_ips: fixedIps }) },
        { internal: true, projectId: '' },
      );
    } catch (error) {
      await this.deps.db.transaction().execute(async (trx) => this.deps.quota.release(trx, projectId, { floatingip: 1 }));
      throw error;
    }
    const address = port.attrs.fixed_ips.find((f) => parseIp(f.ip_address)?.version === 4) ?? port.attrs.fixed_ips[0];
    const fip = await store.insertResource<FloatingIpAttrs>(this.deps.db, {
      id,
      kind: 'floatingip',
      projectId,
      name: '',
      attrs: {
        description: (input.description as string | undefined) ?? '',
        floating_network_id: network.id,
        floating_ip_address: address?.ip_address ?? '',
        floating_port_id: port.id,
        port_id: association?.portId ?? null,
        fixed_ip_address: association?.fixedIp ?? null,
        fixed_subnet_id: association?.subnetId ?? null,
        router_id: association?.routerId ?? null,
        status: association ? 'ACTIVE' : 'DOWN',
      },
    });
    await this.realisation.realiseRouter(fip.attrs.router_id);
    return this.#object(fip, []);
  }

  async get(auth: CallerContext, id: string): Promise<NeutronObject> {
    const fip = await this.getVisible(auth, id);
    return this.#object(fip, await store.portForwardingsOf(this.deps.db, { floatingipIds: [id] }));
  }

  async list(auth: CallerContext): Promise<NeutronObject[]> {
    const query = this.deps.access.isAdmin(auth)
      ? await store.listResources<FloatingIpAttrs>(this.deps.db, 'floatingip')
      : auth.project
        ? await store.listResources<FloatingIpAttrs>(this.deps.db, 'floatingip', { projectId: auth.project.id })
        : [];
    const fips = query.filter((f) => readable(this.deps, auth, 'floatingip', targetOf(f)));
    const forwardings = await store.portForwardingsOf(this.deps.db, { floatingipIds: fips.map((f) => f.id) });
    return fips.map((f) =>
      this.#object(
        f,
        forwardings.filter((pf) => pf.floatingip_id === f.id),
      ),
    );
  }

  async update(auth: CallerContext, id: string, body: unknown, ifMatch?: string): Promise<NeutronObject> {
    const input = convertBody(FIP_ATTRS, body);
    const fip = await this.getVisible(auth, id);
    this.deps.access.authorize(auth, 'update_floatingip', targetOf(fip));
    checkRevision(fip, ifMatch, errors.revisionMismatch);
    const attrs = { ...fip.attrs };
    if (input.description !== undefined) attrs.description = input.description as string;
    if (input.port_id !== undefined) {
      if (input.port_id === null) {
        Object.assign(attrs, { port_id: null, fixed_ip_address: null, fixed_subnet_id: null, router_id: null, status: 'DOWN' });
      } else {
        if ((await store.portForwardingsOf(this.deps.db, { floatingipIds: [fip.id] })).length > 0) {
          throw errors.fipInUseByPortForwarding(fip.id);
        }
        const association = await this.#association(
          auth,
          fip.attrs.floating_network_id,
          String(input.port_id),
          input.fixed_ip_address as string | undefined,
          fip.id,
        );
        Object.assign(attrs, {
          port_id: association.portId,
          fixed_ip_address: association.fixedIp,
          fixed_subnet_id: association.subnetId,
          router_id: association.routerId,
          status: 'ACTIVE',
        });
      }
    }
    const saved = await store.saveResource(this.deps.db, { ...fip, attrs });
    // The 1:1 NAT moves with the association: off the former router, onto the new one.
    if (fip.attrs.router_id !== attrs.router_id) await this.realisation.realiseRouter(fip.attrs.router_id);
    await this.realisation.realiseRouter(attrs.router_id);
    return this.#object(saved, await store.portForwardingsOf(this.deps.db, { floatingipIds: [fip.id] }));
  }

  async delete(auth: CallerContext, id: string, ifMatch?: string): Promise<void> {
    const fip = await this.getVisible(auth, id);
    this.deps.access.authorize(auth, 'delete_floatingip', targetOf(fip));
    checkRevision(fip, ifMatch, errors.revisionMismatch);
    const port = await store.getResource(this.deps.db, 'port', fip.attrs.floating_port_id);
    const forwardings = await this.deps.db.transaction().execute(async (trx) => {
      // Its port forwardings go with it (the rows by foreign-key cascade).
      const going = await store.portForwardingsOf(trx, { floatingipIds: [id] });
      await store.deleteResource(trx, id);
      await this.deps.quota.release(trx, fip.projectId, { floatingip: 1 });
      return going;
    });
    for (const pf of forwardings) await this.deps.driver.removePortForwarding(pf.id, this.deps.config.default_host);
    if (port) await this.ports.deletePort(port as Parameters<PortOps['deletePort']>[0]);
    await this.realisation.realiseRouter(fip.attrs.router_id);
  }

  async getVisible(auth: CallerContext, id: string): Promise<FloatingIp> {
    const fip = await store.getResource<FloatingIpAttrs>(this.deps.db, 'floatingip', id);
    if (!fip || !(this.deps.access.isAdmin(auth) || fip.projectId === auth.project?.id)) throw notFound.floatingip(id);
    if (!readable(this.deps, auth, 'floatingip', targetOf(fip))) throw notFound.floatingip(id);
    return fip;
  }

  async #association(auth: CallerContext, externalNetworkId: string, portId: string, fixedIp: string | undefined, self: string | null) {
    const port = await this.ports.getVisible(auth, portId);
    const v4 = port.attrs.fixed_ips.filter((f) => parseIp(f.ip_address)?.version === 4);
    let chosen: { subnet_id: string; ip_address: string } | undefined = v4[0];
    if (fixedIp !== undefined) {
      chosen = port.attrs.fixed_ips.find((f) => f.ip_address === fixedIp);
      if (!chosen) throw errors.badResourceRequest('floatingip', `Port ${portId} does not have fixed ip ${fixedIp}.`);
    } else if (v4.length > 1) {
      throw errors.badResourceRequest(
        'floatingip',
        `Port ${portId} has multiple fixed IPv4 addresses. Must provide a specific IPv4 address when assigning a floating IP.`,
      );
    }
    if (!chosen) throw errors.badResourceRequest('floatingip', `Port ${portId} does not have any fixed IPv4 address.`);
    const routers = await this.routers.routersReaching(externalNetworkId, chosen.subnet_id);
    const router = routers[0];
    if (!router) throw errors.externalGatewayForFloatingIPNotFound(chosen.subnet_id, externalNetworkId, portId);
    const others = await store.listResources<FloatingIpAttrs>(this.deps.db, 'floatingip');
    const taken = others.find((f) => f.id !== self && f.attrs.port_id === portId && f.attrs.fixed_ip_address === chosen?.ip_address);
    if (taken) {
      throw errors.floatingIpPortAlreadyAssociated({ address: taken.attrs.floating_ip_address, id: taken.id }, portId, chosen.ip_address, externalNetworkId);
    }
    return { portId, fixedIp: chosen.ip_address, subnetId: chosen.subnet_id, routerId: router.id };
  }

  #object(fip: FloatingIp, forwardings: PortForwardingRow[]): NeutronObject {
    const { floating_port_id: _port, fixed_subnet_id: _subnet, ...rest } = fip.attrs;
    void _port;
    void _subnet;
    // expose-port-forwarding-in-fip: the forwardings without their description.
    const portForwardings = forwardings.map((pf) => {
      const { description: _description, ...shown } = portForwardingObject(pf);
      void _description;
      return shown;
    });
    const object = toObject({ ...fip, attrs: rest }, { port_forwardings: portForwardings, port_details: null });
    delete object.name;
    return object;
  }
}
