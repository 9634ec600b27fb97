/** What the index's domain layer works with, and Gnocchi's policy checks over the caller. */
import type { Kysely } from 'kysely';
import { policyCredentials, type CallerContext } from '../../core/context.js';
import type { Dialect } from '../../core/db/database.js';
import type { JsonObject } from '../../core/json.js';
import type { PolicyEnforcer } from '../../core/policy/index.js';
import type { MetricConfig } from '../config.js';
import { errors } from '../errors.js';
import type { MetricTables } from '../store/tables.js';
import type { TimeSeriesEngine } from '../timeseries/types.js';

export interface IndexDeps {
  db: Kysely<MetricTables>;
  dialect: Dialect;
  policy: PolicyEnforcer;
  config: MetricConfig;
  /** The series store, so a deleted metric's series go too; null until the time-series room is wired. */
  engine: () => TimeSeriesEngine | null;
}

/** `creator` as Gnocchi records it: `<user id>:<project id>`. */
export function creatorOf(caller: CallerContext): string {
  return `${caller.userId}:${caller.project?.id ?? ''}`;
}

/** The user and project halves of a `creator` (Gnocchi's created_by_user_id / created_by_project_id). */
export function creatorParts(creator: string): { userId: string; projectId: string } {
  const separator = creator.indexOf(':');
  return separator < 0 ? { userId: creator, projectId: '' } : { userId: creator.slice(0, separator), projectId: creator.slice(separator + 1) };
}

export function allowed(deps: IndexDeps, caller: CallerContext, rule: string, target: JsonObject): boolean {
  return deps.policy.enforce(rule, target, policyCredentials(caller));
}

export function enforce(deps: IndexDeps, caller: CallerContext, rule: string, target: JsonObject): void {
  if (!allowed(deps, caller, rule, target)) throw errors.forbidden();
}

/**
 * One rule over many targets (a batch push's thousands of metrics), decided once per distinct target
 * once `ownFields` (each object's own id, name...) are set aside: the owners Gnocchi's rules look at
 * (creator, project) repeat across a batch, so it costs a decision per owner, not per object. A rule
 * an operator writes on an object's own id is then decided by the first object of its owner.
 */
export function decisionsPerOwner(deps: IndexDeps, caller: CallerContext, rule: string, ownFields: readonly string[]): (target: JsonObject) => boolean {
  const decided = new Map<string, boolean>();
  return (target) => {
    let key = '';
    for (const field in target) if (!ownFields.includes(field)) key += `${field}=${JSON.stringify(target[field])};`;
    let decision = decided.get(key);
    if (decision === undefined) {
      decision = allowed(deps, caller, rule, target);
      decided.set(key, decision);
    }
    return decision;
  };
}

/**
 * What a listing is limited to when the rule does not pass without a target
 * (Gnocchi's policy filters): the resources the caller's project created or
 * owns; 403 when neither would pass.
 */
export function projectRestriction(deps: IndexDeps, caller: CallerContext, rule: string): { byCreator: boolean; byOwner: boolean; project: string } | null {
  if (allowed(deps, caller, rule, {})) return null;
  const project = caller.project?.id ?? '';
  const byCreator = allowed(deps, caller, rule, { created_by_project_id: project });
  const byOwner = allowed(deps, caller, rule, { project_id: project, resource: { project_id: project } });
  if (!byCreator && !byOwner) throw errors.forbidden();
  return { byCreator, byOwner, project };
}
