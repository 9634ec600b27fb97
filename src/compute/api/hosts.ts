/**
 * /os-hosts (admin; gone at 2.43, a 404 from there as Nova answers): list
 * (with a `zone` filter), a host's resources, and the changes Nova hands to
 * the virt driver (PUT with `status`/`maintenance_mode`, GET
 * `reboot|shutdown|startup`), which answer 501 for a known host (see
 * service/legacy-hosts.ts). The body is checked before policy, as Nova's
 * schema decorator runs before the handler.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestErrors } from '../errors.js';
import type { HostChange, HostResource } from '../service/legacy-hosts.js';
import { V21, type ComputeApi } from './context.js';
import { proxyVersion } from './proxy-gate.js';
import * as v from './validate.js';

/** The microversion that removed os-hosts. */
const HOSTS_GONE = '2.43';
const SWITCH = ['enable', 'disable', 'Enable', 'Disable', 'ENABLE', 'DISABLE'];

type HostParams = { Params: { host: string } };

function resourceView(resource: HostResource) {
  return { resource: { host: resource.host, project: resource.project, cpu: resource.cpu, memory_mb: resource.memoryMb, disk_gb: resource.diskGb } };
}

/** The update body Nova's schema admits: `status` and/or `maintenance_mode`, each enable or disable. */
function checkUpdate(body: unknown): void {
  const update = v.object(body, 'body');
  v.onlyKeys(update, ['status', 'maintenance_mode'], 'body');
  if (!('status' in update) && !('maintenance_mode' in update)) throw requestErrors.requiredProperty('status');
  for (const field of ['status', 'maintenance_mode'] as const) {
    if (field in update && !SWITCH.includes(update[field] as string)) {
      throw v.invalid(field, update[field], `${JSON.stringify(update[field])} is not one of ${JSON.stringify(SWITCH)}`);
    }
  }
}

export function legacyHostRoutes(app: FastifyInstance, api: ComputeApi): void {
  const hosts = api.ops.legacyHosts;
  const base = `${V21}/os-hosts`;
  const open = async (request: FastifyRequest) => {
    const auth = await api.authenticate(request);
    proxyVersion(request, HOSTS_GONE);
    return auth;
  };

  app.get(base, async (request) => {
    const auth = await open(request);
    const zone = v.queryValue(request.query, 'zone');
    const entries = await hosts.list(auth, zone);
    return { hosts: entries.map((entry) => ({ host_name: entry.hostName, service: entry.service, zone: entry.zone })) };
  });

  app.get<HostParams>(`${base}/:host`, async (request) => {
    const auth = await open(request);
    return { host: (await hosts.show(auth, request.params.host)).map(resourceView) };
  });

  app.put<HostParams>(`${base}/:host`, async (request) => {
    const auth = await open(request);
    checkUpdate(request.body);
    return hosts.refuseChange(auth, request.params.host, 'update');
  });

  const power: Array<[string, HostChange]> = [
    ['reboot', 'reboot'],
    ['shutdown', 'shutdown'],
    ['startup', 'start'],
  ];
  for (const [path, change] of power) {
    app.get<HostParams>(`${base}/:host/${path}`, async (request) => hosts.refuseChange(await open(request), request.params.host, change));
  }
}
