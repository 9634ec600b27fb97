/**
 * os-interface: the server's ports (list, show), attaching one more (an
 * existing port, or a new one on a network, optionally with a fixed IP) and
 * detaching one. Ports come from and go back to the network service; the
 * guest's NIC is hot-plugged by the driver. Attach answers synchronously as
 * Nova does; each is recorded as an instance action.
 */
import type { CallerContext } from '../../core/context.js';
import type { PortInfo } from '../../network/operations.js';
import { interfaceErrors } from '../errors.js';
import type { Server } from '../store/index.js';
import { hostOf } from './guest-actions.js';
import { recordedAction } from './instance-actions.js';
import type { ComputeRuntime } from './runtime.js';
import type { ServerOps } from './servers.js';
import { updateServer } from './server-state.js';
import { checkState } from './states.js';

export interface InterfaceRequest {
  netId?: string;
  portId?: string;
  fixedIp?: string;
}

export class InterfaceOps {
  constructor(
    private readonly runtime: ComputeRuntime,
    private readonly servers: ServerOps,
  ) {}

  get #networking() {
    return this.runtime.networking;
  }

  async list(auth: CallerContext, serverId: string): Promise<PortInfo[]> {
    const server = await this.servers.get(auth, serverId, 'os_compute_api:os-attach-interfaces:list');
    return this.#networking.ports(server);
  }

  async show(auth: CallerContext, serverId: string, portId: string): Promise<PortInfo> {
    const server = await this.servers.get(auth, serverId, 'os_compute_api:os-attach-interfaces:show');
    const port = (await this.#networking.ports(server)).find((p) => p.id === portId);
    if (!port) throw interfaceErrors.portNotOnServer(server.id, portId);
    return port;
  }

  async attach(auth: CallerContext, serverId: string, requestId: string, request: InterfaceRequest): Promise<PortInfo> {
    const server = await this.#ready(auth, serverId, 'os_compute_api:os-attach-interfaces:create', 'attach_interface');
    if (request.netId && request.portId) throw interfaceErrors.networkAndPort();
    if (request.fixedIp && !request.netId) throw interfaceErrors.fixedIpWithoutNetwork();
    const host = hostOf(server);
    return recordedAction(this.runtime, server, auth, requestId, 'attach_interface', 'compute_attach_interface', async () => {
      let port: PortInfo;
      if (request.portId) {
        port = await this.#networking.adoptPort(auth, server, request.portId, interfaceErrors.portNotFound);
      } else {
        const [network] = request.netId ? [{ uuid: request.netId }] : await this.#networking.resolve(auth, 'auto', true);
        if (!network?.uuid) throw interfaceErrors.noNetwork();
        await this.#networking.resolve(auth, [{ uuid: network.uuid }], true);
        const created = await this.#networking.createPort(auth, server, network.uuid, request.fixedIp);
        await updateServer(this.runtime.deps.db, server.id, (s) => ({ ...s, attrs: { ...s.attrs, ownedPorts: [...s.attrs.ownedPorts, created.id] } }));
        port = created;
      }
      const bound = await this.#networking.bind(server, port.id, host);
      await this.runtime.deps.driver.attachInterface(host, server.id, { portId: port.id, mac: port.macAddress });
      return bound;
    });
  }

  /** Unplugs the port; a port Nova made is deleted, one the user brought is released. */
  async detach(auth: CallerContext, serverId: string, requestId: string, portId: string): Promise<void> {
    const server = await this.#ready(auth, serverId, 'os_compute_api:os-attach-interfaces:delete', 'detach_interface');
    const port = (await this.#networking.ports(server)).find((p) => p.id === portId);
    if (!port) throw interfaceErrors.portNotFound(portId);
    await recordedAction(this.runtime, server, auth, requestId, 'detach_interface', 'compute_detach_interface', async () => {
      await this.runtime.deps.driver.detachInterface(hostOf(server), server.id, port.id);
      if (server.attrs.ownedPorts.includes(port.id)) {
        await this.#networking.deletePort(server, port.id);
        await updateServer(this.runtime.deps.db, server.id, (s) => ({
          ...s,
          attrs: { ...s.attrs, ownedPorts: s.attrs.ownedPorts.filter((p) => p !== port.id) },
        }));
      } else {
        await this.#networking.release(server, port.id);
      }
    });
  }

  async #ready(auth: CallerContext, serverId: string, rule: string, action: string): Promise<Server> {
    const server = await this.servers.get(auth, serverId, rule);
    this.servers.checkLock(auth, server);
    checkState(server, action);
    if (!this.runtime.deps.driver.capabilities().supportsAttachInterface) throw interfaceErrors.unsupported();
    return server;
  }
}
