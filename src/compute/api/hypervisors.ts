/**
 * /os-hypervisors: list, detail, show, statistics, and before 2.53 the
 * search and servers forms. Ids are integers before 2.53 and compute node
 * uuids from 2.53 (which also brings `hypervisor_hostname_pattern` and
 * `with_servers`); 2.33 pages with limit/marker.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hostErrors, requestErrors } from '../errors.js';
import type { Microversion } from '../../core/microversions.js';
import { atLeast } from '../microversion.js';
import type { Hypervisor } from '../service/hypervisors.js';
import { pageAfter } from '../service/paging.js';
import { versionOf, V21, type ComputeApi } from './context.js';
import * as v from './validate.js';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function hypervisorId(h: Hypervisor, version: Microversion): string | number {
  return atLeast(version, '2.53') ? h.service.nodeUuid : h.service.seq;
}

function briefView(h: Hypervisor, version: Microversion) {
  return {
    id: hypervisorId(h, version),
    hypervisor_hostname: h.service.hypervisor.hypervisorHostname,
    state: h.up ? 'up' : 'down',
    status: h.service.enabled ? 'enabled' : 'disabled',
    // Asked-for servers show when there are some; from 2.75 always (an empty list too).
    ...(h.servers && (h.servers.length > 0 || atLeast(version, '2.75')) && { servers: h.servers }),
  };
}

function detailView(h: Hypervisor, version: Microversion) {
  const info = h.service.hypervisor;
  const freeDisk = info.localGb - h.usage.localGbUsed;
  return {
    ...briefView(h, version),
    // The driver reports no CPU model: an empty description, a JSON text before 2.28.
    cpu_info: atLeast(version, '2.28') ? {} : '{}',
    current_workload: h.usage.currentWorkload,
    disk_available_least: freeDisk,
    free_disk_gb: freeDisk,
    free_ram_mb: info.memoryMb - h.usage.memoryMbUsed,
    host_ip: info.hostIp,
    hypervisor_type: info.hypervisorType,
    hypervisor_version: info.hypervisorVersion,
    local_gb: info.localGb,
    local_gb_used: h.usage.localGbUsed,
    memory_mb: info.memoryMb,
    memory_mb_used: h.usage.memoryMbUsed,
    running_vms: h.usage.runningVms,
    service: { host: h.service.host, id: atLeast(version, '2.53') ? h.service.id : h.service.seq, disabled_reason: h.service.disabledReason },
    vcpus: info.vcpus,
    vcpus_used: h.usage.vcpusUsed,
  };
}

interface ListQuery {
  pattern?: string;
  withServers: boolean;
  limit?: number;
  marker?: string;
}

function listQuery(request: FastifyRequest, version: Microversion): ListQuery {
  const q = request.query;
  const query: ListQuery = { withServers: false };
  if (atLeast(version, '2.33')) {
    const limit = v.queryInt(q, 'limit', 1);
    const marker = v.queryValue(q, 'marker');
    if (limit !== undefined) query.limit = limit;
    if (marker !== undefined) query.marker = marker;
  }
  if (atLeast(version, '2.53')) {
    const pattern = v.queryValue(q, 'hypervisor_hostname_pattern');
    const withServers = v.queryValue(q, 'with_servers');
    if (pattern !== undefined) {
      if (query.limit !== undefined || query.marker !== undefined) {
        throw hostErrors.hypervisorPagingWithPattern();
      }
      query.pattern = pattern;
    }
    if (withServers !== undefined) query.withServers = v.boolean(withServers, 'with_servers');
  }
  return query;
}

export function hypervisorRoutes(app: FastifyInstance, api: ComputeApi): void {
  const { ops } = api;
  const base = `${V21}/os-hypervisors`;

  const list = (detail: boolean) => async (request: FastifyRequest) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    const query = listQuery(request, version);
    const found = await ops.hypervisors.list(auth, detail ? 'list-detail' : 'list', {
      ...(query.pattern !== undefined && { pattern: query.pattern }),
      withServers: query.withServers,
    });
    if (query.pattern !== undefined && found.length === 0) throw hostErrors.noHypervisorMatching(query.pattern);
    const hypervisors = pageAfter(found, query, (h) => String(hypervisorId(h, version)), requestErrors.markerNotFound);
    const body: Record<string, unknown> = { hypervisors: hypervisors.map((h) => (detail ? detailView(h, version) : briefView(h, version))) };
    const last = hypervisors.at(-1);
    if (query.limit !== undefined && last && hypervisors.length === query.limit) {
      const params = new URLSearchParams({ limit: String(query.limit), marker: String(hypervisorId(last, version)) });
      body.hypervisors_links = [{ rel: 'next', href: `${api.root}${base}${detail ? '/detail' : ''}?${params.toString()}` }];
    }
    return body;
  };
  app.get(base, list(false));
  app.get(`${base}/detail`, list(true));

  app.get(`${base}/statistics`, async (request) => {
    const auth = await api.authenticate(request);
    const stats = await ops.hypervisors.statistics(auth);
    return {
      hypervisor_statistics: {
        count: stats.count,
        current_workload: stats.currentWorkload,
        disk_available_least: stats.localGb - stats.localGbUsed,
        free_disk_gb: stats.localGb - stats.localGbUsed,
        free_ram_mb: stats.memoryMb - stats.memoryMbUsed,
        local_gb: stats.localGb,
        local_gb_used: stats.localGbUsed,
        memory_mb: stats.memoryMb,
        memory_mb_used: stats.memoryMbUsed,
        running_vms: stats.runningVms,
        vcpus: stats.vcpus,
        vcpus_used: stats.vcpusUsed,
      },
    };
  });

  const find = async (request: FastifyRequest<{ Params: { id: string } }>, withServers: boolean): Promise<Hypervisor> => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    const { id } = request.params;
    const missing = hostErrors.hypervisorNotFound(id);
    if (atLeast(version, '2.53')) {
      if (!UUID.test(id)) throw requestErrors.invalidUuid(id);
      return (await ops.hypervisors.get(auth, { uuid: id }, withServers)) ?? Promise.reject(missing);
    }
    if (!/^\d+$/.test(id)) throw missing;
    return (await ops.hypervisors.get(auth, { seq: Number(id) }, withServers)) ?? Promise.reject(missing);
  };

  app.get<{ Params: { id: string } }>(`${base}/:id`, async (request) => {
    const version = versionOf(request);
    const withServers =
      atLeast(version, '2.53') && v.queryValue(request.query, 'with_servers') !== undefined
        ? v.boolean(v.queryValue(request.query, 'with_servers'), 'with_servers')
        : false;
    return { hypervisor: detailView(await find(request, withServers), version) };
  });

  app.get<{ Params: { id: string } }>(`${base}/:id/uptime`, async (request) => {
    const hypervisor = await find(request, false);
    const uptime = ops.hypervisors.uptime(await api.authenticate(request), hypervisor);
    if (uptime === null) throw hostErrors.uptimeNotImplemented();
    const { id, hypervisor_hostname, state, status } = briefView(hypervisor, versionOf(request));
    return { hypervisor: { id, hypervisor_hostname, state, status, uptime } };
  });

  // Before 2.53 only: hostname search, and the servers of the matching hosts.
  const search = (withServers: boolean) => async (request: FastifyRequest<{ Params: { id: string } }>) => {
    const version = versionOf(request);
    if (atLeast(version, '2.53')) throw requestErrors.resourceNotFound();
    const auth = await api.authenticate(request);
    const pattern = request.params.id;
    const found = await ops.hypervisors.list(auth, withServers ? 'servers' : 'search', { pattern, withServers });
    if (found.length === 0) throw hostErrors.noHypervisorMatching(pattern);
    return { hypervisors: found.map((h) => briefView(h, version)) };
  };
  app.get<{ Params: { id: string } }>(`${base}/:id/search`, search(false));
  app.get<{ Params: { id: string } }>(`${base}/:id/servers`, search(true));
}
