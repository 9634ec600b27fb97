/**
 * The server's side of Neutron: which networks a request means, the ports
 * Nova creates (device_owner `compute:<az>`, device_id the server) or adopts,
 * their host binding, and the addresses the API shows. Every call goes
 * through network/operations.ts with the caller's context; binding a port to
 * a host is admin-only there, so it uses compute's own (serviceCaller).
 */
import type { CallerContext } from '../../core/context.js';
import { serviceCaller } from '../../core/context.js';
import { NimbusError } from '../../core/errors.js';
import type { NetworkOperations, PortInfo } from '../../network/operations.js';
import { networkErrors, novaErrors, securityGroupErrors, serverErrors } from '../errors.js';
import type { RequestedNetwork, Server } from '../store/index.js';
import type { ComputeDeps } from './deps.js';

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
    const networks = await this.#network.networks.list(auth);
    return networks.filter((n) => !n.external && (n.projectId === auth.project?.id || n.shared)).map((n) => n.id);
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
      if (available.length > 1) throw networkErrors.ambiguous();
      if (available.length === 0 && strictAuto) {
        throw networkErrors.cannotAutoAllocate(auth.project?.id ?? '');
      }
      return available.map((uuid) => ({ uuid }));
    }
    for (const net of requested) {
      if (net.port !== undefined) {
        const port = await this.#port(auth, net.port);
        if (port.deviceId) throw networkErrors.portInUse(net.port);
        continue;
      }
      if (!net.uuid || !UUID.test(net.uuid)) throw serverErrors.badNetworkUuid(String(net.uuid));
      try {
        await this.#network.networks.get(auth, net.uuid);
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
      const matches = groups.filter((g) => g.name === name && g.projectId === auth.project?.id);
      const byId = groups.find((g) => g.id === name);
      const found = byId ?? matches[0] ?? groups.find((g) => g.name === name);
      if (!found) throw securityGroupErrors.notFoundForProject(name, auth.project?.id ?? '', 400);
      if (!byId && matches.length > 1) throw securityGroupErrors.ambiguous(name);
      return found.id;
    });
  }

  /**
   * Creates or adopts the server's ports and binds them to `host`. Idempotent:
   * ports already carrying the server's device_id are reused, so a repeated
   * step after a crash creates nothing twice.
   */
  async allocate(auth: CallerContext, server: Server, host: string, securityGroupIds: string[]): Promise<{ attached: Attached[]; owned: string[] }> {
    const existing = await this.#portsOf(server);
    const owned = new Set(server.attrs.ownedPorts);
    const used = new Set<string>();
    const result: Attached[] = [];
    const requested = server.attrs.networks;
    for (const net of requested) {
      let port: PortInfo | undefined;
      if (net.port !== undefined) {
        port = existing.find((p) => p.id === net.port);
        if (!port) {
          await this.#port(auth, net.port);
          port = await this.#network.ports.claim(auth, net.port, this.#device(server));
        }
      } else {
        port =
          existing.find((p) => !used.has(p.id) && p.networkId === net.uuid && owned.has(p.id)) ??
          existing.find((p) => !used.has(p.id) && p.networkId === net.uuid && !requested.some((r) => r.port === p.id));
        // A port made by an attempt that crashed before recording it is ours too.
        if (port) owned.add(port.id);
        if (!port) {
          port = await this.createPort(auth, server, String(net.uuid), net.fixedIp, securityGroupIds);
          owned.add(port.id);
        }
      }
      used.add(port.id);
      const bound = await this.bind(server, port.id, host);
      if (bound.vifType === 'binding_failed') throw new PortBindingFailed(port.id);
      result.push({ portId: port.id, mac: port.macAddress });
    }
    return { attached: result, owned: [...owned] };
  }

  /** Deletes the ports Nova created (all but those the user passed, which are released); missing ports are fine. */
  async deallocate(server: Server): Promise<void> {
    const ports = await this.#portsOf(server);
    const requested = server.attrs.networks;
    const passedByUser = new Set(requested.flatMap((n) => (n.port ? [n.port] : [])));
    for (const port of ports) {
      if (passedByUser.has(port.id)) await this.#network.ports.release(this.#service(server), port.id);
      else await this.deletePort(server, port.id);
    }
  }

  /** Creates a port of the server on a network (as the caller: its quota and policy), unbound. */
  async createPort(auth: CallerContext, server: Server, networkId: string, fixedIp?: string, securityGroupIds: string[] = []): Promise<PortInfo> {
    return this.#network.ports.create(auth, {
      networkId,
      ...this.#device(server),
      ...(fixedIp && { fixedIps: [{ ipAddress: fixedIp }] }),
      ...(securityGroupIds.length > 0 && { securityGroupIds }),
    });
  }

  /** The server's ports, in the order they were made (compute's own view: every port, any project). */
  async ports(server: Server): Promise<PortInfo[]> {
    return this.#portsOf(server);
  }

  /** Binds one port to the server's host (null unbinds it): the driver plugs it there. */
  async bind(server: Server, portId: string, host: string | null): Promise<PortInfo> {
    return this.#network.ports.bind(this.#service(server), portId, host);
  }

  /** Binds every port of the server to `host` (null unbinds them): ports follow a moved, shelved or unshelved guest. */
  async bindAll(server: Server, host: string | null): Promise<void> {
    for (const port of await this.#portsOf(server)) await this.bind(server, port.id, host);
  }

  /** Gives a port the user brought back to them: unbound and free. */
  async release(server: Server, portId: string): Promise<void> {
    await this.#network.ports.release(this.#service(server), portId);
  }

  /** Deletes a port Nova made for the server (its addresses, MAC and floating IP association go with it). */
  async deletePort(server: Server, portId: string): Promise<void> {
    await this.#network.ports.delete(this.#service(server), portId);
  }

  /** Adopts a port the user passed (os-interface attach with port_id): the caller must see it and it must be free. */
  async adoptPort(auth: CallerContext, server: Server, portId: string, notFound: (id: string) => Error): Promise<PortInfo> {
    const port = await this.#network.ports.get(auth, portId).catch((error: unknown) => {
      if (error instanceof NimbusError && error.status === 404) throw notFound(portId);
      throw error;
    });
    if (port.deviceId) throw networkErrors.portInUse(port.id);
    return this.#network.ports.claim(auth, portId, this.#device(server));
  }

  /**
   * The servers' ports: one server's by device id, several from one listing
   * of every port (a page of servers would otherwise cost a query each).
   */
  async #portsOfServers(serverIds: string[]): Promise<PortInfo[]> {
    if (serverIds.length === 0) return [];
    const admin = serviceCaller('nimbus-compute', null);
    if (serverIds.length === 1) return this.#network.ports.listWhere(admin, { deviceId: serverIds[0] as string });
    const wanted = new Set(serverIds);
    return (await this.#network.ports.list(admin)).filter((p) => wanted.has(p.deviceId));
  }

  /** Addresses and security group names of the servers (a detailed listing shows both), from one read of their ports. */
  async portViews(serverIds: string[]): Promise<{ addresses: Map<string, Record<string, AddressEntry[]>>; securityGroups: Map<string, string[]> }> {
    const ports = await this.#portsOfServers(serverIds);
    const [addresses, securityGroups] = await Promise.all([this.#addressesOf(ports), this.#groupNamesOf(ports)]);
    return { addresses, securityGroups };
  }

  /** Addresses of each server by network name, fixed then floating, as Nova's `addresses`. */
  async addresses(serverIds: string[]): Promise<Map<string, Record<string, AddressEntry[]>>> {
    return this.#addressesOf(await this.#portsOfServers(serverIds));
  }

  async #addressesOf(ports: PortInfo[]): Promise<Map<string, Record<string, AddressEntry[]>>> {
    const result = new Map<string, Record<string, AddressEntry[]>>();
    if (ports.length === 0) return result;
    const network = this.#network;
    const admin = serviceCaller('nimbus-compute', null);
    const names = new Map((await network.networks.list(admin)).map((n) => [n.id, n.name]));
    const floating = await network.floatingIps.listWhere(admin, { portIds: ports.map((p) => p.id) });
    for (const port of ports) {
      const serverId = port.deviceId;
      const byNetwork = result.get(serverId) ?? {};
      const name = names.get(port.networkId) ?? port.networkId;
      const list = byNetwork[name] ?? [];
      const mac = port.macAddress;
      for (const ip of port.fixedIps) {
        list.push({ version: ip.ipAddress.includes(':') ? 6 : 4, addr: ip.ipAddress, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': mac });
      }
      for (const fip of floating.filter((f) => f.portId === port.id)) {
        list.push({ version: 4, addr: fip.floatingIpAddress, 'OS-EXT-IPS:type': 'floating', 'OS-EXT-IPS-MAC:mac_addr': mac });
      }
      byNetwork[name] = list;
      result.set(serverId, byNetwork);
    }
    return result;
  }

  /** Names of the security groups on the server's ports. */
  async securityGroupNames(serverIds: string[]): Promise<Map<string, string[]>> {
    return this.#groupNamesOf(await this.#portsOfServers(serverIds));
  }

  async #groupNamesOf(ports: PortInfo[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>();
    if (ports.length === 0) return result;
    const admin = serviceCaller('nimbus-compute', null);
    const groups = new Map((await this.#network.securityGroups.list(admin)).map((g) => [g.id, g.name]));
    for (const port of ports) {
      const names = result.get(port.deviceId) ?? [];
      for (const id of port.securityGroupIds) {
        const name = groups.get(id);
        if (name && !names.includes(name)) names.push(name);
      }
      result.set(port.deviceId, names);
    }
    return result;
  }

  /** Adds or removes a security group on every port of the server (os-security-groups actions). */
  async changeSecurityGroup(server: Server, groupId: string, add: boolean): Promise<void> {
    for (const port of await this.#portsOf(server)) {
      const groups = port.securityGroupIds;
      const next = add ? [...new Set([...groups, groupId])] : groups.filter((g) => g !== groupId);
      if (next.length !== groups.length) await this.#network.ports.update(this.#service(server), port.id, { securityGroupIds: next });
    }
  }

  async #port(auth: CallerContext, id: string): Promise<PortInfo> {
    try {
      return await this.#network.ports.get(auth, id);
    } catch (error) {
      if (error instanceof NimbusError && error.status === 404) throw networkErrors.portNotFound(id);
      throw error;
    }
  }

  #portsOf(server: Server): Promise<PortInfo[]> {
    return this.#network.ports.listWhere(this.#service(server), { deviceId: server.id });
  }

  /** What Nova writes on its ports: the server as device, `compute:<az>` as owner. */
  #device(server: Server): { deviceId: string; deviceOwner: string } {
    return { deviceId: server.id, deviceOwner: `compute:${server.attrs.availabilityZone ?? this.deps.config.default_availability_zone}` };
  }

  #service(server: Server): CallerContext {
    return serviceCaller('nimbus-compute', { id: server.projectId, name: '' });
  }
}

/** Neutron could not bind a port to the host (`binding:vif_type` `binding_failed`), in Nova's words. */
export class PortBindingFailed extends Error {
  constructor(readonly portId: string) {
    super(`Binding failed for port ${portId}, please check neutron logs for more information.`);
    this.name = 'PortBindingFailed';
  }
}
