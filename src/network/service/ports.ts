/**
 * Ports: fixed IPs from IPAM, unique MACs, security groups (the project's
 * `default` unless told otherwise), allowed address pairs and the binding
 * extension. A port is DOWN until the driver binds it to a host, then ACTIVE.
 */
import { randomBytes } from 'node:crypto';
import type { CallerContext } from '../../core/context.js';
import { isUniqueViolation } from '../../core/db/constraint-errors.js';
import { uuid } from '../../core/ids.js';
import { passFaultPoint } from '../../core/faults.js';
import { errors, notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { NetworkDb, Resource } from '../store/index.js';
import { countUnchecked, owningProject, readable, reserve, targetOf, type PolicyTarget } from './access.js';
import { convertBody, type AttrMap } from './attributes.js';
import type { NetworkDeps } from './deps.js';
import { parseCidr, parseIp } from '../../core/net/ip.js';
import { checkExtraDhcpOpts, createExtraDhcpOpts, mergeExtraDhcpOpts, type ExtraDhcpOpt } from './extra-dhcp-opts.js';
import { Ipam, parseFixedIps, type FixedIp, type FixedIpRequest } from './ipam.js';
import type { Network, NetworkOps } from './networks.js';
import { checkRevision, toObject, type NeutronObject } from './objects.js';
import type { QosPolicyOps } from './qos-policies.js';
import type { Realisation } from './realisation.js';
import type { SecurityGroupOps } from './security-groups.js';
import { subnetsForHost } from './segments.js';
import type { PortFilter } from '../operations.js';

export interface PortAttrs extends Record<string, unknown> {
  description: string;
  network_id: string;
  admin_state_up: boolean;
  mac_address: string;
  fixed_ips: FixedIp[];
  device_id: string;
  device_owner: string;
  status: string;
  allowed_address_pairs: Array<{ ip_address: string; mac_address: string }>;
  security_groups: string[];
  port_security_enabled: boolean;
  'binding:host_id': string;
  'binding:vif_type': string;
  'binding:vnic_type': string;
  'binding:profile': Record<string, unknown>;
  'binding:vif_details': Record<string, unknown>;
  extra_dhcp_opts: ExtraDhcpOpt[];
  dns_name: string;
  ip_allocation: string;
  /** Absent on ports made before QoS existed: none. */
  qos_policy_id?: string | null;
}

export type Port = Resource<PortAttrs>;

export const PORT_ATTRS: AttrMap = {
  network_id: { type: 'string', create: true },
  admin_state_up: { type: 'boolean', create: true, update: true },
  mac_address: { type: 'string', create: true, update: true },
  fixed_ips: { type: 'list', create: true, update: true },
  device_id: { type: 'string', create: true, update: true, maxLength: 255 },
  device_owner: { type: 'string', create: true, update: true, maxLength: 255 },
  allowed_address_pairs: { type: 'list', create: true, update: true },
  security_groups: { type: 'string-list', create: true, update: true },
  port_security_enabled: { type: 'boolean', create: true, update: true },
  'binding:host_id': { type: 'string', create: true, update: true },
  'binding:vnic_type': { type: 'string', create: true, update: true },
  'binding:profile': { type: 'object', create: true, update: true },
  // Null is allowed (no options); the shape is checked in extra-dhcp-opts.ts.
  extra_dhcp_opts: { type: 'any', create: true, update: true },
  dns_name: { type: 'string', create: true, update: true },
  qos_policy_id: { type: 'nullable-string', create: true, update: true },
};

const VNIC_TYPES = ['normal', 'direct', 'macvtap', 'baremetal', 'direct-physical', 'virtio-forwarder', 'smart-nic', 'vdpa', 'remote-managed'];
/** Attributes with their own `create_port:<attr>` / `update_port:<attr>` policy. */
const CHECKED_ATTRS = ['device_owner', 'mac_address', 'port_security_enabled', 'binding:host_id', 'binding:profile', 'allowed_address_pairs'];
const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;
const MAX_ATTEMPTS = 20;
/** Neutron's `max_allowed_address_pair`. */
const MAX_ALLOWED_ADDRESS_PAIRS = 10;

/** A checked create request, ready to insert. */
interface PreparedPort {
  id: string;
  network: Network;
  projectId: string;
  internal: boolean;
  name: string;
  mac: string | undefined;
  requests: FixedIpRequest[] | undefined;
  /** Everything but the MAC and the fixed IPs, which are taken in the transaction. */
  attrs: PortAttrs;
}

export interface CreatePortOptions {
  /** Internal callers (router interfaces, DHCP, floating IPs) skip the quota and the default group. */
  internal?: boolean;
  /** Owner of an internal port: '' hides it from projects, as Neutron's gateway and floating IP ports. */
  projectId?: string;
}

export class PortOps {
  readonly ipam = new Ipam();

  constructor(
    private readonly deps: NetworkDeps,
    private readonly networks: NetworkOps,
    private readonly groups: SecurityGroupOps,
    private readonly realisation: Realisation,
    private readonly qos: QosPolicyOps,
  ) {}

  async create(auth: CallerContext, body: unknown, options: CreatePortOptions = {}): Promise<NeutronObject> {
    return this.#object(auth, await this.createPort(auth, body, options));
  }

  async createPort(auth: CallerContext, body: unknown, options: CreatePortOptions = {}): Promise<Port> {
    const prepared = await this.#prepare(auth, body, options);
    const [port] = await this.#insertAll([prepared]);
    if (!port) throw new Error('port insert returned nothing');
    const bound = await this.#bindIfHost(port, prepared.network);
    await this.#changed(bound, []);
    return bound;
  }

  /**
   * Neutron's native bulk create: every port checked first, then all of them
   * (quota, MACs, addresses) in one transaction, so either all exist or none
   * does and nothing stays allocated.
   */
  async createMany(auth: CallerContext, bodies: unknown[]): Promise<NeutronObject[]> {
    const prepared: PreparedPort[] = [];
    for (const body of bodies) prepared.push(await this.#prepare(auth, body, {}));
    const ports = await this.#insertAll(prepared);
    const bound: NeutronObject[] = [];
    for (const [i, port] of ports.entries()) {
      const made = await this.#bindIfHost(port, (prepared[i] as PreparedPort).network);
      await this.#changed(made, []);
      bound.push(this.#object(auth, made));
    }
    return bound;
  }

  /** Checks a create request and resolves everything that needs no write lock. */
  async #prepare(auth: CallerContext, body: unknown, options: CreatePortOptions): Promise<PreparedPort> {
    const input = convertBody(PORT_ATTRS, body);
    if (typeof input.network_id !== 'string') throw errors.invalidAttribute('network_id', "'None' is not a valid UUID");
    const network = await this.networks.getVisible(auth, input.network_id);
    if (!options.internal && !(await this.networks.isSharedWith(auth, network))) {
      // Visible (external) but not shared: only the owner or an admin may attach.
      throw notFound.network(network.id);
    }
    const deviceOwner = (input.device_owner as string | undefined) ?? '';
    const projectId = options.projectId ?? (await this.#authorizeCreate(auth, input, network, deviceOwner));
    const portSecurity = (input.port_security_enabled as boolean | undefined) ?? network.attrs.port_security_enabled;
    let securityGroups = input.security_groups === undefined ? undefined : groupIds(input.security_groups);
    if (securityGroups !== undefined) {
      for (const id of securityGroups) await this.groups.getVisible(auth, String(id));
      if (!portSecurity && securityGroups.length > 0) {
        throw errors.portSecurityAndIpRequiredForSecurityGroups();
      }
    } else {
      securityGroups = portSecurity && !deviceOwner.startsWith('network:') && !options.internal ? [(await this.groups.ensureDefault(projectId)).id] : [];
    }
    const pairs = this.#checkPairs(input.allowed_address_pairs, portSecurity);
    const id = uuid();
    const qosPolicyId = (input.qos_policy_id as string | null | undefined) ?? null;
    await this.qos.checkAttachable(auth, qosPolicyId, id);
    const vnicType = (input['binding:vnic_type'] as string | undefined) ?? 'normal';
    if (!VNIC_TYPES.includes(vnicType)) throw errors.invalidAttribute('binding:vnic_type', `${vnicType} is not in ${JSON.stringify(VNIC_TYPES)}`);
    const requests = input.fixed_ips === undefined ? undefined : parseFixedIps(input.fixed_ips);
    const extraDhcpOpts = createExtraDhcpOpts(checkExtraDhcpOpts(input.extra_dhcp_opts ?? []));
    let mac = input.mac_address as string | undefined;
    if (mac !== undefined) {
      mac = mac.toLowerCase();
      if (!MAC.test(mac) || mac === '00:00:00:00:00:00' || (Number.parseInt(mac.slice(0, 2), 16) & 1) === 1) {
        throw errors.invalidAttribute('mac_address', `'${String(input.mac_address)}' is not a valid MAC address`);
      }
    }

    return {
      id,
      network,
      projectId,
      internal: options.internal === true,
      name: (input.name as string | undefined) ?? '',
      mac,
      requests,
      attrs: {
        description: (input.description as string | undefined) ?? '',
        network_id: network.id,
        admin_state_up: (input.admin_state_up as boolean | undefined) ?? true,
        mac_address: '',
        fixed_ips: [],
        device_id: (input.device_id as string | undefined) ?? '',
        device_owner: deviceOwner,
        status: 'DOWN',
        allowed_address_pairs: pairs,
        security_groups: securityGroups ?? [],
        port_security_enabled: portSecurity,
        'binding:host_id': (input['binding:host_id'] as string | undefined) ?? '',
        'binding:vif_type': 'unbound',
        'binding:vnic_type': vnicType,
        'binding:profile': (input['binding:profile'] as Record<string, unknown> | undefined) ?? {},
        'binding:vif_details': {},
        extra_dhcp_opts: extraDhcpOpts,
        dns_name: (input.dns_name as string | undefined) ?? '',
        ip_allocation: 'immediate',
        qos_policy_id: qosPolicyId,
      },
    };
  }

  /**
   * Neutron's `create_port` policy and those of the attributes given (the
   * device owner, MAC, fixed addresses, bindings, port security, address
   * pairs) on the new port's target; the owning project when all allow it.
   */
  async #authorizeCreate(auth: CallerContext, input: Record<string, unknown>, network: Network, deviceOwner: string): Promise<string> {
    const networkTarget = await this.networks.policyTarget(auth, network);
    const extra = {
      ...networkOwner(network.projectId),
      shared: networkTarget.shared === true,
      device_owner: deviceOwner,
      network_device: deviceOwner.startsWith('network:'),
    };
    const projectId = owningProject(this.deps, auth, input, 'create_port', extra);
    this.#authorizeAttrs(auth, 'create_port', input, { ...input, ...extra, project_id: projectId, tenant_id: projectId });
    return projectId;
  }

  /** `<action>:<attr>` for each attribute given that has its own policy; `fixed_ips:ip_address` when an address is asked for. */
  #authorizeAttrs(auth: CallerContext, action: string, input: Record<string, unknown>, target: PolicyTarget): void {
    for (const attr of CHECKED_ATTRS) if (input[attr] !== undefined) this.deps.access.authorize(auth, `${action}:${attr}`, target);
    if (Array.isArray(input.fixed_ips) && input.fixed_ips.some((f) => (f as { ip_address?: unknown } | null)?.ip_address !== undefined)) {
      this.deps.access.authorize(auth, `${action}:fixed_ips:ip_address`, target);
    }
  }

  /**
   * Inserts the ports in one transaction: quota, MAC and addresses of each.
   * A concurrent transaction that took an address or MAC first makes the
   * whole transaction fail with a unique violation; it is retried with fresh
   * picks (up to MAX_ATTEMPTS times).
   */
  async #insertAll(prepared: PreparedPort[]): Promise<Port[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.deps.db.transaction().execute(async (trx) => {
          const ports: Port[] = [];
          for (const p of prepared) {
            if (p.internal) await countUnchecked(this.deps, trx, p.projectId, { port: 1 });
            else await reserve(this.deps, trx, p.projectId, { port: 1 });
            const attrs: PortAttrs = { ...p.attrs, mac_address: await this.#takeMac(trx, p.id, p.network.id, p.mac) };
            const created = await store.insertResource<PortAttrs>(trx, {
              id: p.id,
              kind: 'port',
              projectId: p.projectId,
              parentId: p.network.id,
              name: p.name,
              attrs,
            });
            const subnets = await subnetsForHost(trx, p.network.id, { host: this.deps.config.default_host, id: p.id, requests: p.requests });
            attrs.fixed_ips = await this.ipam.allocate(trx, p.network.id, p.id, attrs.mac_address, subnets, p.requests);
            await trx
              .updateTable('neutron_resource')
              .set({ attrs: JSON.stringify(attrs) })
              .where('id', '=', p.id)
              .execute();
            ports.push({ ...created, attrs });
          }
          return ports;
        });
      } catch (error) {
        // A concurrent transaction took the address or MAC first: pick again.
        if (isUniqueViolation(error) && attempt < MAX_ATTEMPTS) continue;
        if (isUniqueViolation(error)) throw errors.ipAddressGenerationFailure(prepared[0]?.network.id ?? '');
        throw error;
      }
    }
  }

  async get(auth: CallerContext, id: string): Promise<NeutronObject> {
    return this.#object(auth, await this.getVisible(auth, id));
  }

  /** Internal ports (router interfaces, gateways, floating IPs) of a device. */
  async portsOfDevice(deviceId: string, db: NetworkDb = this.deps.db): Promise<Port[]> {
    return (await store.listResources<PortAttrs>(db, 'port')).filter((p) => p.attrs.device_id === deviceId);
  }

  /** Sets device_owner/device_id of a port (router interfaces by port). */
  async attach(port: Port, deviceOwner: string, deviceId: string): Promise<Port> {
    return store.saveResource(this.deps.db, { ...port, attrs: { ...port.attrs, device_owner: deviceOwner, device_id: deviceId, status: 'ACTIVE' } });
  }

  /** The ports the caller may see; `filter` narrows them before they are rendered (Nova asks for one server's). */
  async list(auth: CallerContext, filter: PortFilter = {}): Promise<NeutronObject[]> {
    const ports = this.deps.access.isAdmin(auth) ? await store.listResources<PortAttrs>(this.deps.db, 'port') : await this.#visiblePorts(auth);
    return ports
      .filter(
        (p) =>
          (filter.deviceId === undefined || p.attrs.device_id === filter.deviceId) &&
          (filter.networkId === undefined || p.attrs.network_id === filter.networkId),
      )
      .map((p) => this.#object(auth, p));
  }

  async update(auth: CallerContext, id: string, body: unknown, ifMatch?: string): Promise<NeutronObject> {
    const input = convertBody(PORT_ATTRS, body);
    const port = await this.getVisible(auth, id);
    const network = await this.networks.getVisible(auth, port.attrs.network_id);
    const target = portTarget(port, network.projectId);
    this.deps.access.authorize(auth, 'update_port', target);
    // The device owner is checked as it would be after the change (a member may not make its port a router's).
    const newOwner = typeof input.device_owner === 'string' ? input.device_owner : port.attrs.device_owner;
    this.#authorizeAttrs(auth, 'update_port', input, { ...target, device_owner: newOwner, network_device: newOwner.startsWith('network:') });
    checkRevision(port, ifMatch, errors.revisionMismatch);
    const attrs = { ...port.attrs };
    for (const key of [
      'description',
      'admin_state_up',
      'device_id',
      'device_owner',
      'port_security_enabled',
      'binding:host_id',
      'binding:vnic_type',
      'binding:profile',
      'dns_name',
      'qos_policy_id',
    ] as const) {
      if (input[key] !== undefined) (attrs as Record<string, unknown>)[key] = input[key];
    }
    if (input.extra_dhcp_opts !== undefined) attrs.extra_dhcp_opts = mergeExtraDhcpOpts(attrs.extra_dhcp_opts ?? [], checkExtraDhcpOpts(input.extra_dhcp_opts));
    if (input.security_groups !== undefined) {
      const ids = groupIds(input.security_groups);
      for (const groupId of ids) await this.groups.getVisible(auth, groupId);
      attrs.security_groups = ids;
    }
    if (input.port_security_enabled === false && input.security_groups === undefined && attrs.security_groups.length > 0) {
      throw errors.portSecurityPortHasSecurityGroup();
    }
    if (!attrs.port_security_enabled && attrs.security_groups.length > 0) {
      throw errors.portSecurityAndIpRequiredForSecurityGroups();
    }
    if (input.qos_policy_id !== undefined) await this.qos.checkAttachable(auth, input.qos_policy_id as string | null, id);
    if (input.allowed_address_pairs !== undefined) attrs.allowed_address_pairs = this.#checkPairs(input.allowed_address_pairs, attrs.port_security_enabled);
    const updated = await this.deps.db
      .transaction()
      .execute(async (trx) => {
        if (input.mac_address !== undefined) {
          await store.deleteMacsOfPort(trx, id);
          attrs.mac_address = await this.#takeMac(trx, id, network.id, String(input.mac_address).toLowerCase());
        }
        if (input.fixed_ips !== undefined) {
          const requests = parseFixedIps(input.fixed_ips);
          const current = await store.allocationsOfPort(trx, id);
          // Addresses the port keeps stay allocated; the rest go back, the new ones are taken.
          const keep = current.filter((a) =>
            requests.some(
              (r) =>
                r.ip_address !== undefined &&
                parseIp(r.ip_address) &&
                sameIp(r.ip_address, a.ipAddress) &&
                (r.subnet_id === undefined || r.subnet_id === a.subnetId),
            ),
          );
          for (const allocation of current) if (!keep.includes(allocation)) await store.deleteAllocation(trx, allocation.subnetId, allocation.ipAddress);
          const fresh: FixedIpRequest[] = requests.filter(
            (r) => !(r.ip_address !== undefined && keep.some((k) => sameIp(r.ip_address as string, k.ipAddress))),
          );
          const subnets = await subnetsForHost(trx, network.id, { host: this.deps.config.default_host, id, requests: fresh });
          const added = fresh.length > 0 ? await this.ipam.allocate(trx, network.id, id, attrs.mac_address, subnets, fresh) : [];
          attrs.fixed_ips = [...keep.map((k) => ({ subnet_id: k.subnetId, ip_address: k.ipAddress })), ...added];
        }
        return store.saveResource(trx, { ...port, name: (input.name as string | undefined) ?? port.name, attrs });
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw errors.ipAddressGenerationFailure(network.id);
        throw error;
      });
    // Anything the host side holds (tap, DHCP answers, anti-spoofing, filter) makes the port re-bind.
    const rebind = [
      'binding:host_id',
      'device_owner',
      'extra_dhcp_opts',
      'fixed_ips',
      'mac_address',
      'allowed_address_pairs',
      'security_groups',
      'port_security_enabled',
      'qos_policy_id',
    ].some((key) => input[key] !== undefined);
    const bound = rebind ? await this.#bindIfHost(updated, network) : updated;
    await this.#changed(bound, port.attrs.security_groups);
    return this.#object(auth, bound);
  }

  async delete(auth: CallerContext, id: string, ifMatch?: string): Promise<void> {
    const port = await this.getVisible(auth, id);
    const network = await store.getResource(this.deps.db, 'network', port.attrs.network_id);
    this.deps.access.authorize(auth, 'delete_port', portTarget(port, network?.projectId ?? ''));
    checkRevision(port, ifMatch, errors.revisionMismatch);
    await this.deletePort(port);
  }

  /** Removes the port, its addresses, its MAC and its floating IP association. */
  async deletePort(port: Port): Promise<void> {
    const routers = new Set<string>();
    const forwardings = await this.deps.db.transaction().execute(async (trx) => {
      // Forwardings to the port go with it (the rows by foreign-key cascade), as Neutron deletes them.
      const going = await store.portForwardingsOf(trx, { internalPortId: port.id });
      await store.deleteAllocationsOfPort(trx, port.id);
      await store.deleteMacsOfPort(trx, port.id);
      for (const fip of await store.listResources(trx, 'floatingip')) {
        if (fip.attrs.port_id === port.id) {
          if (fip.attrs.router_id) routers.add(String(fip.attrs.router_id));
          await store.saveResource(trx, { ...fip, attrs: { ...fip.attrs, port_id: null, fixed_ip_address: null, router_id: null, status: 'DOWN' } });
        }
      }
      await store.deleteResource(trx, port.id);
      // Every port of a project is counted (internal ones unchecked), so every delete gives one back.
      if (port.projectId) await this.deps.quota.release(trx, port.projectId, { port: 1 });
      return going;
    });
    for (const pf of forwardings) await this.deps.driver.removePortForwarding(pf.id, this.deps.config.default_host);
    await this.deps.driver.unbindPort(port.id);
    for (const routerId of routers) await this.realisation.realiseRouter(routerId);
    await this.#changed(port, []);
  }

  /**
   * After a port changed: its network's DHCP answers and the filters that
   * name its groups as remote groups follow. Logged, not fatal: the port
   * itself is stored and bound (or not) already.
   */
  async #changed(port: Port, formerGroups: string[]): Promise<void> {
    try {
      await this.realisation.syncDhcp(port.attrs.network_id);
      await this.realisation.reapplyGroups([...new Set([...formerGroups, ...port.attrs.security_groups])]);
    } catch (error) {
      this.deps.log.warn({ err: error, port: port.id }, 'could not update DHCP or filters after a port change');
    }
  }

  async getVisible(auth: CallerContext, id: string, db: NetworkDb = this.deps.db): Promise<Port> {
    const port = await store.getResource<PortAttrs>(db, 'port', id);
    if (!port) throw notFound.port(id);
    const network = await store.getResource(db, 'network', port.attrs.network_id);
    const project = auth.project?.id;
    // Neutron's query: the caller's ports and those on its networks; internal ports (project '') only for admins.
    const inQuery =
      this.deps.access.isAdmin(auth) || (project !== undefined && port.projectId !== '' && (port.projectId === project || network?.projectId === project));
    if (!inQuery || !readable(this.deps, auth, 'port', portTarget(port, network?.projectId ?? ''))) throw notFound.port(id);
    return port;
  }

  /** The caller's ports and the ports on its networks, as `get_port` lets it read them (none without a project). */
  async #visiblePorts(auth: CallerContext): Promise<Port[]> {
    if (!auth.project) return [];
    const project = auth.project.id;
    const own = await store.listResources<PortAttrs>(this.deps.db, 'port', { projectId: project });
    const ownNetworks = await store.listResources(this.deps.db, 'network', { projectId: project });
    const onOwnNetworks = (await store.listResources<PortAttrs>(this.deps.db, 'port', { parentIds: ownNetworks.map((n) => n.id) })).filter(
      (p) => p.projectId !== '',
    );
    const networkOwners = new Map(
      (await store.listResources(this.deps.db, 'network', { ids: own.map((p) => p.attrs.network_id) })).map((n) => [n.id, n.projectId]),
    );
    const seen = new Set<string>();
    return [...own, ...onOwnNetworks]
      .filter((p) => !seen.has(p.id) && seen.add(p.id))
      .filter((p) => readable(this.deps, auth, 'port', portTarget(p, networkOwners.get(p.attrs.network_id) ?? project)));
  }

  /**
   * Binds the port through the driver when it names a host; ACTIVE on
   * success. A bound port whose host was cleared (Nova releasing it) is
   * unbound: its tap goes, it is DOWN and `unbound` again.
   */
  async #bindIfHost(port: Port, network: Network): Promise<Port> {
    const host = port.attrs['binding:host_id'];
    if (!host) {
      if (port.attrs['binding:vif_type'] === 'unbound') return port;
      await this.deps.driver.unbindPort(port.id);
      return store.saveResource(this.deps.db, { ...port, attrs: { ...port.attrs, status: 'DOWN', 'binding:vif_type': 'unbound', 'binding:vif_details': {} } });
    }
    let attrs: PortAttrs;
    try {
      const driverNetwork = await this.realisation.network(network.id);
      if (!driverNetwork) return port;
      await passFaultPoint(this.deps.faults, { point: 'port_binding', host }, (message) => new Error(message));
      const binding = await this.deps.driver.bindPort(this.realisation.port(port), driverNetwork, host);
      attrs = {
        ...port.attrs,
        status: port.attrs.admin_state_up ? 'ACTIVE' : 'DOWN',
        'binding:vif_type': binding.vifType,
        'binding:vif_details': binding.vifDetails,
      };
      await this.deps.driver.applySecurityGroups(port.id, await this.realisation.rules(port));
      await this.realisation.qos.apply(port);
    } catch (error) {
      this.deps.log.warn({ err: error, port: port.id }, 'port binding failed');
      attrs = { ...port.attrs, status: 'DOWN', 'binding:vif_type': 'binding_failed' };
    }
    const stored = await store.getResource<PortAttrs>(this.deps.db, 'port', port.id);
    if (!stored) return port;
    return store.saveResource(this.deps.db, {
      ...stored,
      attrs: { ...stored.attrs, status: attrs.status, 'binding:vif_type': attrs['binding:vif_type'], 'binding:vif_details': attrs['binding:vif_details'] },
    });
  }

  async #takeMac(trx: NetworkDb, portId: string, networkId: string, requested: string | undefined): Promise<string> {
    if (requested !== undefined) {
      try {
        await store.insertMac(trx, requested, portId);
      } catch (error) {
        if (isUniqueViolation(error)) throw errors.macAddressInUse(requested, networkId);
        throw error;
      }
      return requested;
    }
    for (let attempt = 0; ; attempt++) {
      const mac = `${this.deps.config.base_mac}:${[...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
      const taken = await trx.selectFrom('neutron_mac_address').select('mac_address').where('mac_address', '=', mac).executeTakeFirst();
      if (taken && attempt < 16) continue;
      await store.insertMac(trx, mac, portId);
      return mac;
    }
  }

  #checkPairs(raw: unknown, portSecurity: boolean): Array<{ ip_address: string; mac_address: string }> {
    if (raw === undefined) return [];
    if (!Array.isArray(raw)) throw errors.invalidAttribute('allowed_address_pairs', 'it must be a list');
    if (raw.length > MAX_ALLOWED_ADDRESS_PAIRS) {
      throw errors.allowedAddressPairExhausted(MAX_ALLOWED_ADDRESS_PAIRS);
    }
    if (!portSecurity && raw.length > 0) {
      throw errors.addressPairAndPortSecurityRequired();
    }
    return raw.map((p) => {
      const pair = p as { ip_address?: unknown; mac_address?: unknown };
      if (typeof pair?.ip_address !== 'string' || !parseCidr(pair.ip_address)) {
        throw errors.invalidAttribute('allowed_address_pairs', `'${String(pair?.ip_address)}' is not a valid IP address`);
      }
      return { ip_address: pair.ip_address, mac_address: typeof pair.mac_address === 'string' ? pair.mac_address.toLowerCase() : '' };
    });
  }

  #object(auth: CallerContext, port: Port): NeutronObject {
    const pairs = port.attrs.allowed_address_pairs.map((p) => ({ ip_address: p.ip_address, mac_address: p.mac_address || port.attrs.mac_address }));
    const object = toObject(port, { allowed_address_pairs: pairs, qos_policy_id: port.attrs.qos_policy_id ?? null });
    for (const attr of ['binding:host_id', 'binding:profile', 'binding:vif_details', 'binding:vif_type']) {
      if (!this.deps.access.allowed(auth, `get_port:${attr}`, object)) delete object[attr];
    }
    return object;
  }
}

function sameIp(a: string, b: string): boolean {
  const x = parseIp(a);
  const y = parseIp(b);
  return x !== null && y !== null && x.version === y.version && x.value === y.value;
}

function networkOwner(projectId: string): PolicyTarget {
  return { 'network:project_id': projectId, 'network:tenant_id': projectId };
}

/** A port's policy target: its network's owner, and whether a network service owns it (`network_device`). */
function portTarget(port: Port, networkProjectId: string): PolicyTarget {
  return targetOf(port, { ...networkOwner(networkProjectId), network_device: port.attrs.device_owner.startsWith('network:') });
}

/** The security group ids of a request (a list of strings, checked by its schema), each once. */
function groupIds(raw: unknown): string[] {
  return [...new Set(raw as string[])];
}
