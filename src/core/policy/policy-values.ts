/**
 * What rules are evaluated against, and how values are compared.
 *
 * oslo.policy compares everything as Python `str()`; reproducing that here is
 * what keeps operator policy files written for OpenStack meaning the same
 * thing in Nimbus (`is_admin_project:True` must match a boolean `true`).
 */

/**
 * The caller, as oslo.context's `to_policy_values()` names it. Services may add
 * more keys (Keystone adds a nested `token`); dotted rule attributes such as
 * `token.project.domain.id` walk into them. Null means "not set for this
 * token" (e.g. `project_id` on a system-scoped token) and never matches.
 */
export interface PolicyCredentials {
  user_id?: string | null;
  user_domain_id?: string | null;
  /** `"all"` for system-scoped tokens. */
  system_scope?: string | null;
  /** Set for domain-scoped tokens. */
  domain_id?: string | null;
  project_id?: string | null;
  project_domain_id?: string | null;
  /** Effective role names on the token's scope (implied roles expanded). */
  roles: string[];
  is_admin_project?: boolean;
  service_user_id?: string | null;
  service_user_domain_id?: string | null;
  service_project_id?: string | null;
  service_project_domain_id?: string | null;
  service_roles?: string[];
  [key: string]: unknown;
}

/**
 * The object acted upon. Keys may be flat (`"target.user.domain_id"`, the
 * way Keystone flattens its targets) or nested; `%(a.b)s` tries both.
 */
export type PolicyTarget = Record<string, unknown>;

/**
 * The text Python's `str()` gives for a scalar, or undefined for values a
 * rule cannot meaningfully match: null/undefined (deliberately stricter than
 * oslo, where `None` equals the string "None" and two unset ids would match)
 * and objects/arrays (whose Python repr no rule should depend on).
 */
export function pythonStr(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
      return value ? 'True' : 'False';
    case 'number':
    case 'bigint':
      return String(value);
    default:
      return undefined;
  }
}

/**
 * Looks a substitution key up in the target: first as one flat key, then by
 * walking nested objects along the dots. Own properties only, so a rule can
 * never reach `constructor` or anything on a prototype.
 */
export function lookupTarget(target: PolicyTarget, key: string): unknown {
  if (Object.hasOwn(target, key)) return target[key];
  let current: unknown = target;
  for (const segment of key.split('.')) {
    if (!isRecord(current) || !Object.hasOwn(current, segment)) return undefined;
    current = current[segment];
  }
  return current;
}

/**
 * oslo's credential match: walk `path` (from segment `from`) into the
 * credentials; where a value is a list, any element may match (so
 * `roles:admin` tests membership).
 */
export function credentialMatches(value: unknown, path: readonly string[], expected: string, from = 0): boolean {
  if (Array.isArray(value)) return value.some((item) => credentialMatches(item, path, expected, from));
  if (from === path.length) return pythonStr(value) === expected;
  const segment = path[from] as string;
  if (!isRecord(value) || !Object.hasOwn(value, segment)) return false;
  return credentialMatches(value[segment], path, expected, from + 1);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
