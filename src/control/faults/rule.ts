/**
 * A fault rule as `POST /_nimbus/faults` (and the seed file) gives it: the
 * checks of its fields and the rule as it is kept and shown. Two kinds:
 * an HTTP rule (`service` with `status`, `action: "drop"` and/or
 * `latency_ms`; matched on method, path, project, user) and a driver rule
 * (`driver_fault`, optionally on one `host`; the service is the point's own).
 */
import { BadRequest } from '../../core/errors.js';
import { DRIVER_FAULT_POINTS, type DriverFaultPoint } from '../../core/faults.js';

/** A rule as listed: every field present, null where unset. */
export interface FaultRule {
  id: string;
  service: string;
  method: string | null;
  path: string | null;
  status: number | null;
  action: 'drop' | null;
  probability: number;
  /** Uses left; the rule is removed when it reaches 0. Null: unlimited. */
  count: number | null;
  latency_ms: number;
  driver_fault: DriverFaultPoint | null;
  host: string | null;
  project_id: string | null;
  user_id: string | null;
  message: string | null;
  expires_at: string | null;
  created_at: string;
  /** Faults injected so far. */
  hits: number;
}

export type FaultRuleSpec = Omit<FaultRule, 'id' | 'created_at' | 'hits'>;

const FIELDS = new Set([
  'service',
  'method',
  'path',
  'status',
  'action',
  'probability',
  'count',
  'latency_ms',
  'driver_fault',
  'host',
  'project_id',
  'user_id',
  'message',
  'expires_in',
  'expires_at',
]);
/** Longest latency a rule may add: enough for any client timeout test, short of holding a request forever. */
const MAX_LATENCY_MS = 600_000;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'COPY']);

/**
 * Checks a rule's body; `services` maps every accepted service name (module,
 * catalog type or name) to the module's name. Throws BadRequest naming the field.
 */
export function parseFaultRule(body: unknown, services: Map<string, string>, now: number): FaultRuleSpec {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('A fault rule is a JSON object.');
  const raw = body as Record<string, unknown>;
  const unknown = Object.keys(raw).filter((key) => !FIELDS.has(key));
  if (unknown.length > 0) throw new BadRequest(`Unknown fault rule field(s): ${unknown.join(', ')}.`);

  const driverFault = optionalString(raw, 'driver_fault');
  if (driverFault !== null && !(driverFault in DRIVER_FAULT_POINTS)) {
    throw new BadRequest(`driver_fault must be one of ${Object.keys(DRIVER_FAULT_POINTS).join(', ')}.`);
  }
  const point = driverFault as DriverFaultPoint | null;
  const service = parseService(raw, services, point);
  const rule: FaultRuleSpec = {
    service,
    method: optionalString(raw, 'method')?.toUpperCase() ?? null,
    path: optionalString(raw, 'path'),
    status: optionalInteger(raw, 'status', 400, 599),
    action: parseAction(raw),
    probability: optionalNumber(raw, 'probability', 0, 1) ?? 1,
    count: optionalInteger(raw, 'count', 1, Number.MAX_SAFE_INTEGER),
    latency_ms: optionalInteger(raw, 'latency_ms', 0, MAX_LATENCY_MS) ?? 0,
    driver_fault: point,
    host: optionalString(raw, 'host'),
    project_id: optionalString(raw, 'project_id'),
    user_id: optionalString(raw, 'user_id'),
    message: optionalString(raw, 'message'),
    expires_at: parseExpiry(raw, now),
  };
  if (rule.method !== null && !METHODS.has(rule.method)) throw new BadRequest(`method must be one of ${[...METHODS].join(', ')}.`);
  if (rule.path !== null) checkPath(rule.path);
  return point === null ? checkHttpRule(rule) : checkDriverRule(rule, point);
}

function parseService(raw: Record<string, unknown>, services: Map<string, string>, point: DriverFaultPoint | null): string {
  const named = optionalString(raw, 'service');
  const service = named === null ? null : services.get(named);
  if (named !== null && service === undefined) throw new BadRequest(`Unknown service '${named}': use one of ${[...services.keys()].join(', ')}.`);
  if (point === null) {
    if (!service) throw new BadRequest('service is required (a service name such as compute, or its catalog type or name).');
    return service;
  }
  const owner = DRIVER_FAULT_POINTS[point];
  if (service && service !== owner) throw new BadRequest(`driver_fault ${point} belongs to the ${owner} service, not ${service}.`);
  return owner;
}

function checkHttpRule(rule: FaultRuleSpec): FaultRuleSpec {
  if (rule.host !== null) throw new BadRequest('host applies to driver faults only.');
  if (rule.status !== null && rule.action === 'drop') throw new BadRequest('A rule either answers with a status or drops the connection, not both.');
  if (rule.status === null && rule.action === null && rule.latency_ms === 0) {
    throw new BadRequest('An HTTP fault rule needs a status, "action": "drop" or a latency_ms.');
  }
  return rule;
}

function checkDriverRule(rule: FaultRuleSpec, point: DriverFaultPoint): FaultRuleSpec {
  const httpOnly = (['method', 'path', 'status', 'action', 'project_id', 'user_id'] as const).filter((field) => rule[field] !== null);
  if (httpOnly.length > 0) throw new BadRequest(`${httpOnly.join(', ')} apply to HTTP faults only, not to driver_fault.`);
  if (point === 'slow_hypervisor' && rule.latency_ms === 0) throw new BadRequest('driver_fault slow_hypervisor needs a latency_ms.');
  if (rule.host !== null && point !== 'build' && point !== 'slow_hypervisor' && point !== 'port_binding') {
    throw new BadRequest(`host applies to the build, slow_hypervisor and port_binding driver faults, not to ${point}.`);
  }
  return rule;
}

function parseAction(raw: Record<string, unknown>): 'drop' | null {
  const action = optionalString(raw, 'action');
  if (action !== null && action !== 'drop') throw new BadRequest('action must be "drop" (close the connection without an answer).');
  return action;
}

function parseExpiry(raw: Record<string, unknown>, now: number): string | null {
  const seconds = optionalNumber(raw, 'expires_in', Number.MIN_VALUE, 10 * 365 * 86_400);
  const at = optionalString(raw, 'expires_at');
  if (seconds !== null && at !== null) throw new BadRequest('Give expires_in or expires_at, not both.');
  if (seconds !== null) return new Date(now + seconds * 1000).toISOString();
  if (at === null) return null;
  const time = Date.parse(at);
  if (Number.isNaN(time)) throw new BadRequest(`expires_at is not an ISO 8601 time: ${at}`);
  if (time <= now) throw new BadRequest('expires_at is in the past.');
  return new Date(time).toISOString();
}

function checkPath(path: string): void {
  if (path.startsWith('^')) {
    try {
      new RegExp(path);
    } catch (error) {
      throw new BadRequest(`path is not a valid regular expression: ${(error as Error).message}`);
    }
  } else if (!path.startsWith('/')) {
    throw new BadRequest('path is relative to the service (e.g. /servers or /servers/*) and starts with /, or is a regular expression starting with ^.');
  }
}

function optionalString(raw: Record<string, unknown>, field: string): string | null {
  const value = raw[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value === '') throw new BadRequest(`${field} must be a non-empty string.`);
  return value;
}

function optionalNumber(raw: Record<string, unknown>, field: string, min: number, max: number): number | null {
  const value = raw[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new BadRequest(`${field} must be a number from ${min === Number.MIN_VALUE ? 'above 0' : min} to ${max}.`);
  }
  return value;
}

function optionalInteger(raw: Record<string, unknown>, field: string, min: number, max: number): number | null {
  const value = optionalNumber(raw, field, min, max);
  if (value !== null && !Number.isInteger(value)) throw new BadRequest(`${field} must be an integer from ${min} to ${max}.`);
  return value;
}
