/**
 * /os-instance_usage_audit_log (admin): the audit of the last completed
 * period, or of the one completed before a `YYYY-MM-DD HH:MM:SS[.ffffff]`
 * timestamp given as the id.
 */
import type { FastifyInstance } from 'fastify';
import { usageErrors } from '../errors.js';
import type { AuditLog } from '../service/usage-audit.js';
import { V21, type ComputeApi } from './context.js';

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?$/;

/** Python's str() of a naive datetime on a whole second. */
const pythonTime = (date: Date) => date.toISOString().slice(0, 19).replace('T', ' ');

function parseBefore(id: string): Date {
  const match = TIMESTAMP.exec(id);
  const date = match ? new Date(`${match[1]}T${match[2]}${match[3] ? `.${match[3].slice(0, 3).padEnd(3, '0')}` : ''}Z`) : null;
  if (!date || Number.isNaN(date.getTime())) throw usageErrors.invalidTimestamp(id);
  return date;
}

function auditView(audit: AuditLog) {
  const done = audit.hostsDone === audit.hosts.length ? 'ALL' : `${audit.hostsDone} of ${audit.hosts.length}`;
  return {
    period_beginning: pythonTime(audit.periodBeginning),
    period_ending: pythonTime(audit.periodEnding),
    num_hosts: audit.hosts.length,
    num_hosts_done: audit.hostsDone,
    num_hosts_running: audit.hostsRunning,
    num_hosts_not_run: audit.hostsNotRun.length,
    hosts_not_run: audit.hostsNotRun,
    total_instances: audit.totalInstances,
    total_errors: audit.totalErrors,
    overall_status: `${done} hosts done. ${audit.totalErrors} errors.`,
    log: audit.log,
  };
}

export function usageAuditRoutes(app: FastifyInstance, api: ComputeApi): void {
  const base = `${V21}/os-instance_usage_audit_log`;
  app.get(base, async (request) => {
    const auth = await api.authenticate(request);
    return { instance_usage_audit_logs: auditView(await api.ops.usageAudit.log(auth)) };
  });
  app.get<{ Params: { id: string } }>(`${base}/:id`, async (request) => {
    const auth = await api.authenticate(request);
    const before = parseBefore(request.params.id);
    return { instance_usage_audit_log: auditView(await api.ops.usageAudit.log(auth, before)) };
  });
}
