/** /servers/{id}/os-interface: list, show, attach (net_id, port_id, fixed_ips), detach. */
import type { FastifyInstance } from 'fastify';
import type { PortInfo } from '../../network/operations.js';
import type { InterfaceRequest } from '../service/interfaces.js';
import { V21, type ComputeApi } from './context.js';
import * as v from './validate.js';

function interfaceView(port: PortInfo) {
  return {
    port_state: port.status,
    fixed_ips: port.fixedIps.map((ip) => ({ subnet_id: ip.subnetId, ip_address: ip.ipAddress })),
    port_id: port.id,
    net_id: port.networkId,
    mac_addr: port.macAddress,
  };
}

function parseAttach(body: unknown): InterfaceRequest {
  const input = v.envelope(body, 'interfaceAttachment');
  v.onlyKeys(input, ['net_id', 'port_id', 'fixed_ips'], 'interfaceAttachment');
  const request: InterfaceRequest = {};
  if (input.net_id !== undefined) request.netId = v.string(input.net_id, 'net_id', { min: 1, max: 255 });
  if (input.port_id !== undefined) request.portId = v.string(input.port_id, 'port_id', { min: 1, max: 255 });
  if (input.fixed_ips !== undefined) {
    const ips = input.fixed_ips;
    if (!Array.isArray(ips) || ips.length !== 1) throw v.invalid('fixed_ips', ips, `${JSON.stringify(ips)} is not valid: one fixed IP is expected`);
    const ip = v.object(ips[0], 'fixed_ips');
    v.onlyKeys(ip, ['ip_address'], 'fixed_ips');
    request.fixedIp = v.string(ip.ip_address, 'ip_address', { min: 1, max: 64 });
  }
  return request;
}

export function interfaceRoutes(app: FastifyInstance, api: ComputeApi): void {
  const { ops } = api;
  const base = `${V21}/servers/:id/os-interface`;

  app.get<{ Params: { id: string } }>(base, async (request) => {
    const auth = await api.authenticate(request);
    return { interfaceAttachments: (await ops.interfaces.list(auth, request.params.id)).map(interfaceView) };
  });

  app.get<{ Params: { id: string; port: string } }>(`${base}/:port`, async (request) => {
    const auth = await api.authenticate(request);
    return { interfaceAttachment: interfaceView(await ops.interfaces.show(auth, request.params.id, request.params.port)) };
  });

  app.post<{ Params: { id: string } }>(base, async (request) => {
    const auth = await api.authenticate(request);
    const port = await ops.interfaces.attach(auth, request.params.id, request.id, parseAttach(request.body));
    return { interfaceAttachment: interfaceView(port) };
  });

  app.delete<{ Params: { id: string; port: string } }>(`${base}/:port`, async (request, reply) => {
    const auth = await api.authenticate(request);
    await ops.interfaces.detach(auth, request.params.id, request.id, request.params.port);
    return reply.code(202).send();
  });
}
