/**
 * os-instance_usage_audit_log: how the periodic instance usage audit went on
 * each compute host for the last completed period (Nova's default period, a
 * calendar month). This cloud runs no such audit (Nova's
 * `instance_usage_audit` is off by default too), so no host has a task log:
 * every compute host, disabled ones included, is listed as not run.
 */
import type { CallerContext } from '../../core/context.js';
import * as store from '../store/index.js';
import { authorize } from './access.js';
import type { ComputeDeps } from './deps.js';
import { currentClock } from '../../core/clock.js';

export interface AuditLog {
  periodBeginning: Date;
  periodEnding: Date;
  hosts: string[];
  hostsDone: number;
  hostsRunning: number;
  hostsNotRun: string[];
  totalInstances: number;
  totalErrors: number;
  log: Record<string, { state: string; instances: number; errors: number; message: string }>;
}

/** The last whole month ending before `before`: from the first of the month before to the first of its month (or of the previous one on the dot). */
export function lastCompletedMonth(before: Date): { begin: Date; end: Date } {
  let end = new Date(Date.UTC(before.getUTCFullYear(), before.getUTCMonth(), 1));
  if (end >= before) end = new Date(Date.UTC(before.getUTCFullYear(), before.getUTCMonth() - 1, 1));
  const begin = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 1, 1));
  return { begin, end };
}

export class UsageAuditOps {
  constructor(private readonly deps: ComputeDeps) {}

  async log(auth: CallerContext, before: Date = currentClock().now()): Promise<AuditLog> {
    authorize(this.deps, auth, 'os_compute_api:os-instance-usage-audit-log');
    const { begin, end } = lastCompletedMonth(before);
    const hosts = [...new Set((await store.listServices(this.deps.db)).filter((s) => s.binary === 'nova-compute').map((s) => s.host))];
    return { periodBeginning: begin, periodEnding: end, hosts, hostsDone: 0, hostsRunning: 0, hostsNotRun: hosts, totalInstances: 0, totalErrors: 0, log: {} };
  }
}
