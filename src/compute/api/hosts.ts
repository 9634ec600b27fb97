/**
 * The first admin views of the compute hosts: os-services (list) and
 * os-hypervisors (list, detail, show, statistics), ids as integers before
 * 2.53 and uuids from it. Changing services (enable/disable, forced_down,
 * delete) and the other admin APIs belong in their own files.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFound } from '../../core/errors.js';
import type { Microversion } from '../../core/microversions.js';
import { atLeast } from '../microversion.js';
import { authorize } from '../service/access.js';
import * as store from '../store/index.js';
import type { ComputeService, Server } from '../store/index.js';
import { versionOf, V21, type ComputeApi } from './context.js';

/** Before 2.53 Nova's ids are integers: the service's position in creation order, from 1. */
const idOf = (services: ComputeService[], service: ComputeService, version: Microversion, uuid: string) =>
  atLeast(version, '2.53') ? uuid : services.indexOf(service) + 1;

function used(servers: Server[], host: string) {
  const mine = servers.filter((s) => s.host === host);
  return {
    vcpus: mine.reduce((n, s) => n + s.attrs.flavor.vcpus, 0),
    memoryMb: mine.reduce((n, s) => n + s.attrs.flavor.memoryMb, 0),
    diskGb: mine.reduce((n, s) => n + s.attrs.flavor.rootGb + s.attrs.flavor.ephemeralGb, 0),
    count: mine.length,
  };
}

export function hostRoutes(app: FastifyInstance, api: ComputeApi): void {
  const { deps } = api.ops.runtime;

  app.get(`${V21}/os-services`, async (request) => {
    const auth = await api.authenticate(request);
    authorize(deps, auth, 'os_compute_api:os-services:list');
    const version = versionOf(request);
    const services = await store.listServices(deps.db);
    const zones = await store.hostZones(deps.db);
    return {
      services: services.map((s) => ({
        id: idOf(services, s, version, s.id),
        binary: s.binary,
        host: s.host,
        zone: zones.get(s.host) ?? deps.config.default_availability_zone,
        status: s.enabled ? 'enabled' : 'disabled',
        state: s.forcedDown ? 'down' : 'up',
        updated_at: s.updatedAt.replace(/Z$/, ''),
        disabled_reason: s.disabledReason,
        ...(atLeast(version, '2.11') ? { forced_down: s.forcedDown } : {}),
      })),
    };
  });

  const hypervisor = (services: ComputeService[], s: ComputeService, servers: Server[], version: Microversion, detail: boolean) => {
    const brief: Record<string, unknown> = {
      id: idOf(services, s, version, s.nodeUuid),
      hypervisor_hostname: s.hypervisor.hypervisorHostname,
      state: s.forcedDown ? 'down' : 'up',
      status: s.enabled ? 'enabled' : 'disabled',
    };
    if (!detail) return brief;
    const u = used(servers, s.host);
    const h = s.hypervisor;
    return {
      ...brief,
      vcpus: h.vcpus,
      memory_mb: h.memoryMb,
      local_gb: h.localGb,
      vcpus_used: u.vcpus,
      memory_mb_used: u.memoryMb,
      local_gb_used: u.diskGb,
      hypervisor_type: h.hypervisorType,
      hypervisor_version: h.hypervisorVersion,
      free_ram_mb: h.memoryMb - u.memoryMb,
      free_disk_gb: h.localGb - u.diskGb,
      current_workload: 0,
      running_vms: u.count,
      disk_available_least: h.localGb - u.diskGb,
      host_ip: h.hostIp,
      service: { host: s.host, id: idOf(services, s, version, s.id), disabled_reason: s.disabledReason },
      cpu_info: '{}',
    };
  };

  const listing = (detail: boolean) => async (request: FastifyRequest) => {
    const auth = await api.authenticate(request);
    authorize(deps, auth, detail ? 'os_compute_api:os-hypervisors:list-detail' : 'os_compute_api:os-hypervisors:list');
    const version = versionOf(request);
    const services = await store.listServices(deps.db);
    const servers = detail ? await store.listServers(deps.db, { deleted: false }) : [];
    return { hypervisors: services.map((s) => hypervisor(services, s, servers, version, detail)) };
  };
  app.get(`${V21}/os-hypervisors`, listing(false));
  app.get(`${V21}/os-hypervisors/detail`, listing(true));

  app.get(`${V21}/os-hypervisors/statistics`, async (request) => {
    const auth = await api.authenticate(request);
    authorize(deps, auth, 'os_compute_api:os-hypervisors:statistics');
    const services = await store.listServices(deps.db);
    const servers = await store.listServers(deps.db, { deleted: false });
    const views = services.map((s) => hypervisor(services, s, servers, versionOf(request), true) as Record<string, number>);
    const sum = (key: string) => views.reduce((n, v) => n + (v[key] ?? 0), 0);
    const keys = ['vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used', 'local_gb_used', 'free_ram_mb', 'free_disk_gb', 'current_workload', 'running_vms', 'disk_available_least'];
    return { hypervisor_statistics: { count: views.length, ...Object.fromEntries(keys.map((k) => [k, sum(k)])) } };
  });

  app.get<{ Params: { id: string } }>(`${V21}/os-hypervisors/:id`, async (request) => {
    const auth = await api.authenticate(request);
    authorize(deps, auth, 'os_compute_api:os-hypervisors:show');
    const version = versionOf(request);
    const services = await store.listServices(deps.db);
    const found = services.find((s, i) => (atLeast(version, '2.53') ? s.nodeUuid === request.params.id : String(i + 1) === request.params.id));
    if (!found) throw new NotFound(`Hypervisor with ID ${request.params.id} could not be found.`);
    const servers = await store.listServers(deps.db, { deleted: false });
    return { hypervisor: hypervisor(services, found, servers, version, true) };
  });
}
