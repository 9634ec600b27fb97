/**
 * /os-simple-tenant-usage: every project's usage over a period (admin;
 * `detailed=1` adds the servers) and one project's. `start`/`end` default to
 * now and `end` is capped at now; 2.40 pages over servers with limit/marker and `*_links`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestErrors, usageErrors } from '../errors.js';
import { atLeast } from '../microversion.js';
import type { ServerUsage, TenantUsage, UsagePeriod } from '../service/usage.js';
import { versionOf, V21, type ComputeApi } from './context.js';
import { naiveTime } from './timestamps.js';
import * as v from './validate.js';
import { currentClock } from '../../core/clock.js';

/** The forms Nova's strptime accepts: `2026-11-24T05:00:00`, with `.ffffff`, or `2026-11-24 05:00:00.ffffff`; UTC. */
const DATETIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}:\d{2})(\.\d{1,6})?| (\d{2}:\d{2}:\d{2})(\.\d{1,6}))$/;

/** A requested time: the instant the service computes with, and the time as Nova echoes it (to the microsecond asked). */
interface RequestedTime {
  at: Date;
  shown: string;
}

/** The period asked for, with its bounds as the response shows them. */
interface RequestedPeriod extends UsagePeriod {
  shown: { start: string; end: string };
}

function parseTime(value: string | undefined): RequestedTime {
  if (value === undefined || value === '') {
    const now = currentClock().now();
    return { at: now, shown: naiveTime(now.toISOString()) };
  }
  const match = DATETIME.exec(value);
  const seconds = match ? `${match[1]}T${match[2] ?? match[4]}` : '';
  const fraction = match?.[3] ?? match?.[5] ?? '';
  // A Date keeps milliseconds; the microseconds asked for are echoed as given, not cut.
  const time = match ? new Date(`${seconds}${fraction.slice(0, 4)}Z`) : null;
  if (!time || Number.isNaN(time.getTime())) throw usageErrors.invalidDatetime();
  return { at: time, shown: `${seconds}.${fraction.slice(1).padEnd(6, '0')}` };
}

function period(request: FastifyRequest): RequestedPeriod {
  const start = parseTime(v.queryValue(request.query, 'start'));
  const end = parseTime(v.queryValue(request.query, 'end'));
  if (start.at > end.at) throw usageErrors.startAfterEnd();
  // Nova bills no further than the moment asked: a period ending in the future stops now (and says so in `stop`).
  const now = currentClock().now();
  const stop = end.at > now ? { at: now, shown: naiveTime(now.toISOString()) } : end;
  return { start: start.at, end: stop.at, shown: { start: start.shown, end: stop.shown } };
}

function serverUsageView(usage: ServerUsage) {
  return {
    instance_id: usage.instanceId,
    name: usage.name,
    tenant_id: usage.tenantId,
    hours: usage.hours,
    memory_mb: usage.memoryMb,
    local_gb: usage.localGb,
    vcpus: usage.vcpus,
    flavor: usage.flavor,
    started_at: naiveTime(usage.startedAt),
    ended_at: naiveTime(usage.endedAt),
    state: usage.state,
    uptime: usage.uptime,
  };
}

function usageView(usage: TenantUsage, range: RequestedPeriod, withServers: boolean) {
  return {
    tenant_id: usage.tenantId,
    total_hours: usage.totalHours,
    total_local_gb_usage: usage.totalLocalGbUsage,
    total_memory_mb_usage: usage.totalMemoryMbUsage,
    total_vcpus_usage: usage.totalVcpusUsage,
    start: range.shown.start,
    stop: range.shown.end,
    ...(withServers && { server_usages: usage.serverUsages.map(serverUsageView) }),
  };
}

export function usageRoutes(app: FastifyInstance, api: ComputeApi): void {
  const { ops } = api;
  const base = `${V21}/os-simple-tenant-usage`;

  const paging = (request: FastifyRequest) => {
    if (!atLeast(versionOf(request), '2.40')) return {};
    const limit = v.queryInt(request.query, 'limit', 0);
    const marker = v.queryValue(request.query, 'marker');
    return { ...(limit !== undefined && { limit }), ...(marker !== undefined && { marker }) };
  };
  const links = (request: FastifyRequest, path: string, page: { limit?: number }, count: number, last: string | null) => {
    if (page.limit === undefined || last === null || count < page.limit) return undefined;
    const params = new URLSearchParams(request.query as Record<string, string>);
    params.set('marker', last);
    return [{ rel: 'next', href: `${api.root}${V21}/${path}?${params.toString()}` }];
  };

  app.get(base, async (request) => {
    // The router ignores a trailing slash; Nova reads `/os-simple-tenant-usage/` as an empty project id, which is no resource.
    if (request.url.split('?')[0]?.endsWith('/')) throw requestErrors.resourceNotFound();
    const auth = await api.authenticate(request);
    const range = period(request);
    const detailed = v.queryValue(request.query, 'detailed');
    const page = paging(request);
    const { usages, lastServer } = await ops.usage.list(auth, range, page);
    const servers = usages.reduce((n, u) => n + u.serverUsages.length, 0);
    const next = links(request, 'os-simple-tenant-usage', page, servers, lastServer);
    return {
      tenant_usages: usages.map((u) => usageView(u, range, detailed !== undefined && detailed !== '0' && detailed.toLowerCase() !== 'false')),
      ...(next && { tenant_usages_links: next }),
    };
  });

  app.get<{ Params: { id: string } }>(`${base}/:id`, async (request) => {
    const auth = await api.authenticate(request);
    const range = period(request);
    const page = paging(request);
    const { usage, lastServer } = await ops.usage.show(auth, request.params.id, range, page);
    const next = links(request, `os-simple-tenant-usage/${request.params.id}`, page, usage?.serverUsages.length ?? 0, lastServer);
    return { tenant_usage: usage ? usageView(usage, range, true) : {}, ...(next && { tenant_usage_links: next }) };
  });
}
