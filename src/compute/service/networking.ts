/**
 * The server's side of Neutron: which networks a request means, the ports
 * Nova creates (device_owner `compute:<az>`, device_id the server) or adopts,
 * their host binding, and the addresses the API shows. Every call goes
 * through the network service's operations with the caller's context;
 * binding a port to a host is admin-only there, so it uses the service's own.
 */
import type { CallerContext } from '../../core/context.js';
import { BadRequest, Conflict, NimbusError } from '../../core/errors.js';
import type { NetworkOperations } from '../../network/service/index.js';
import type { Port } from '../../network/service/ports.js';
import { novaErrors } from '../errors.js';
import type { RequestedNetwork, Server } from '../store/index.js';
import type { ComputeDeps } from './deps.js';
import { serviceCaller } from '../../core/context.js';

export interface AddressEntry {
  version: 4 | 6;
  addr: string;
  'OS-EXT-IPS:type': 'fixed' | 'floating';
  'OS-EXT-IPS-MAC:mac_addr': string;
}

export interface Attached {
  portId: string;
  mac: string;
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export class Networking {
  constructor(private readonly deps: ComputeDeps) {}

  get #network(): NetworkOperations {
    return this.deps.peers.network();
  }

  /** Networks a server without explicit networks lands on: the project's own and shared ones, never external. */
  async available(auth: CallerContext): Promise<string[]> {
    const networks = await this.#network.networks.listVisible(auth);
    return networks
      .filter((n) => !n.attrs['router:external'] && (n.projectId === auth.project?.id || n.attrs.shared))
      .map((n) => n.id);
  }

  /**
   * Checks a create request's networks at the API (Nova's validate_networks):
   * 400 for a network that does not exist or a malformed id, 409 for a port in use.
   * Returns what the build will attach: explicit networks, or those 'auto' picks.
   */
  async resolve(auth: CallerContext, requested: 'auto' | 'none' | RequestedNetwork[] | undefined, strictAuto: boolean): Promise<RequestedNetwork[]> {
    if (requested === 'none') return [];
    if (requested === undefined || requested === 'auto') {
      const available = await this.available(auth);
      if (available.length > 1) throw new Conflict('Multiple possible networks found, use a Network ID to be more specific.');
      if (available.length === 0 && strictAuto) {
        throw new BadRequest(`Unable to automatically allocate a network for project ${auth.project?.id ?? ''}`);
      }
      return available.map((uuid) => ({ uuid }));
    }
    for (const net of requested) {
      if (net.port !== undefined) {
        const port = await this.#port(auth, net.port);
        if (port.attrs.device_id) throw new Conflict(`Port ${net.port} is still in use.`);
        continue;
      }
      if (!net.uuid || !UUID.test(net.uuid)) throw new BadRequest(`Bad networks format: network uuid is not in proper format (${String(net.uuid)})`);
      try {
        await this.#network.networks.getVisible(auth, net.uuid);
      } catch (error) {
        if (error instanceof NimbusError && error.status === 404) throw novaErrors.networkNotFound(net.uuid);
        throw error;
      }
    }
    return requested;
  }

  /** Security group names (or ids) → Neutron ids, 400 for an unknown one. */
  async securityGroupIds(auth: CallerContext, names: string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const groups = await this.#network.securityGroups.list(auth);
    return names.map((name) => {
      const matches = groups.filter((g) => g.name === name && g.project_id === auth.project?.id);
      const byId = groups.find((g) => g.id === name);
      const found = byId ?? matches[0] ?? groups.find((g) => g.name === name);
      if (!found) throw new BadRequest(`Security group ${name} not found for project ${auth.project?.id ?? ''}.`);
      if (!byId && matches.length > 1) throw new Conflict(`Multiple security groups found matching '${name}'. Use an ID to be more specific.`);
      return found.id;
    });
  }

  /**
   * Creates or adopts the server's ports and binds them to `host`. Idempotent:
   * ports already carrying the server's device_id are reused, so a repeated
   * step after a crash creates nothing twice.
   */
  async allocate(auth: CallerContext, server: Server, host: string, securityGroupIds: string[]): Promise<{ attached: Attached[]; owned: string[] }> {
    const existing = await this.#network.ports.portsOfDevice(server.id);
    const owned = new Set(server.attrs.ownedPorts);
    const used = new Set<string>();
    const result: Attached[] = [];
    const requested = server.attrs.networks;
    for (const net of requested) {
      let port: Port | undefined;
      if (net.port !== undefined) {
        port = existing.find((p) => p.id === net.port);
        if (!port) {
          const adopted = await this.#port(auth, net.port);
          port = await this.#network.ports.attach(adopted, `compute:${this.#zone(server)}`, server.id);
        }
      } else {
        port = existing.find((p) => !used.has(p.id) && p.attrs.network_id === net.uuid && owned.has(p.id)) ??
          existing.find((p) => !used.has(p.id) && p.attrs.network_id === net.uuid && !requested.some((r) => r.port === p.id));
        // A port made by an attempt that crashed before recording it is ours too.
        if (port) owned.add(port.id);
        if (!port) {
          const body: Record<string, unknown> = {
            network_id: net.uuid,
            device_id: server.id,
            device_owner: `compute:${this.#zone(server)}`,
          };
          if (net.fixedIp) body.fixed_ips = [{ ip_address: net.fixedIp }];
          if (securityGroupIds.length > 0) body.security_groups = securityGroupIds;
          port = await this.#network.ports.createPort(auth, body);
          owned.add(port.id);
        }
      }
      used.add(port.id);
      await this.#network.ports.update(this.#service(server), port.id, { 'binding:host_id': host });
      result.push({ portId: port.id, mac: port.attrs.mac_address });
    }
    return { attached: result, owned: [...owned] };
  }

  /** Deletes the ports Nova created (all but those the user passed, which are released); missing ports are fine. */
  async deallocate(server: Server): Promise<void> {
    const ports = await this.#network.ports.portsOfDevice(server.id);
    const requested = server.attrs.networks;
    const passedByUser = new Set(requested.flatMap((n) => (n.port ? [n.port] : [])));
    for (const port of ports) {
      if (!passedByUser.has(port.id)) {
        await this.#network.ports.deletePort(port);
        continue;
      }
      await this.#network.ports.update(this.#service(server), port.id, { device_id: '', device_owner: '', 'binding:host_id': '' });
    }
  }

  /** Creates one more port for an attached interface (os-interface) and binds it. */
  async createPort(auth: CallerContext, server: Server, networkId: string, fixedIp?: string): Promise<Port> {
    const body: Record<string, unknown> = { network_id: networkId, device_id: server.id, device_owner: `compute:${this.#zone(server)}` };
    if (fixedIp) body.fixed_ips = [{ ip_address: fixedIp }];
    return this.#network.ports.createPort(auth, body);
  }

  /** Addresses of each server by network name, fixed then floating, as Nova's `addresses`. */
  async addresses(serverIds: string[]): Promise<Map<string, Record<string, AddressEntry[]>>> {
    const result = new Map<string, Record<string, AddressEntry[]>>();
    if (serverIds.length === 0) return result;
    const wanted = new Set(serverIds);
    const network = this.#network;
    const admin = serviceCaller('nimbus-compute', null);
    const ports = (await network.ports.list(admin)).filter((p) => wanted.has(String(p.device_id)));
    if (ports.length === 0) return result;
    const names = new Map((await network.networks.list(admin)).map((n) => [n.id, String(n.name)]));
    const floating = await network.floatingIps.list(admin);
    for (const port of ports) {
      const serverId = String(port.device_id);
      const byNetwork = result.get(serverId) ?? {};
      const name = names.get(String(port.network_id)) ?? String(port.network_id);
      const list = byNetwork[name] ?? [];
      const mac = String(port.mac_address);
      for (const ip of port.fixed_ips as Array<{ ip_address: string }>) {
        list.push({ version: ip.ip_address.includes(':') ? 6 : 4, addr: ip.ip_address, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': mac });
      }
      for (const fip of floating.filter((f) => f.port_id === port.id)) {
        list.push({ version: 4, addr: String(fip.floating_ip_address), 'OS-EXT-IPS:type': 'floating', 'OS-EXT-IPS-MAC:mac_addr': mac });
      }
      byNetwork[name] = list;
      result.set(serverId, byNetwork);
    }
    return result;
  }

  /** Names of the security groups on the server's ports. */
  async securityGroupNames(serverIds: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>();
    const wanted = new Set(serverIds);
    const admin = serviceCaller('nimbus-compute', null);
    const ports = (await this.#network.ports.list(admin)).filter((p) => wanted.has(String(p.device_id)));
    if (ports.length === 0) return result;
    const groups = new Map((await this.#network.securityGroups.list(admin)).map((g) => [g.id, String(g.name)]));
    for (const port of ports) {
      const names = result.get(String(port.device_id)) ?? [];
      for (const id of port.security_groups as string[]) {
        const name = groups.get(id);
        if (name && !names.includes(name)) names.push(name);
      }
      result.set(String(port.device_id), names);
    }
    return result;
  }

  /** Adds or removes a security group on every port of the server (os-security-groups actions). */
  async changeSecurityGroup(server: Server, groupId: string, add: boolean): Promise<void> {
    const ports = await this.#network.ports.portsOfDevice(server.id);
    for (const port of ports) {
      const groups = port.attrs.security_groups;
      const next = add ? [...new Set([...groups, groupId])] : groups.filter((g) => g !== groupId);
      if (next.length !== groups.length) await this.#network.ports.update(this.#service(server), port.id, { security_groups: next });
    }
  }

  async #port(auth: CallerContext, id: string): Promise<Port> {
    try {
      return await this.#network.ports.getVisible(auth, id);
    } catch (error) {
      if (error instanceof NimbusError && error.status === 404) throw new BadRequest(`Port id ${id} could not be found.`);
      throw error;
    }
  }

  #zone(server: Server): string {
    return server.attrs.availabilityZone ?? this.deps.config.default_availability_zone;
  }

  #service(server: Server): CallerContext {
    return serviceCaller('nimbus-compute', { id: server.projectId, name: '' });
  }
}
