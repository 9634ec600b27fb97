import type { Measure } from '../../api/metric';
import type { ServerUsage } from '../../api/quotas';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Nova writes its times without a zone and means UTC; the browser would read them as local time. */
function utc(time: string): number {
  return Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(time) ? time : `${time}Z`);
}

/**
 * vCPU hours per UTC day from `startDay` to `endDay` (both included, `YYYY-MM-DD`), from the servers'
 * lifetimes and sizes as Nova reports them. Counting stops where Nova's did (its `stop`: the cloud's own
 * now, which need not be the browser's), so the days add up to Nova's total.
 * Shaped as the metric API's measures ([day, granularity in seconds, value]) so the metric chart draws it.
 */
export function dailyVcpuHours(servers: ServerUsage[], startDay: string, endDay: string, stop: string | undefined): Measure[] {
  const now = stop ? utc(stop) : Date.now();
  const days: Measure[] = [];
  for (let day = Date.parse(`${startDay}T00:00:00Z`); day <= Date.parse(`${endDay}T00:00:00Z`) && day <= now; day += DAY_MS) {
    const dayEnd = Math.min(day + DAY_MS, now);
    const hours = servers.reduce((sum, server) => {
      const from = Math.max(utc(server.started_at), day);
      const to = Math.min(server.ended_at ? utc(server.ended_at) : now, dayEnd);
      return to > from ? sum + ((to - from) / HOUR_MS) * server.vcpus : sum;
    }, 0);
    days.push([new Date(day).toISOString(), DAY_MS / 1000, hours]);
  }
  return days;
}
