/** Quota usage as each service reports it, brought to one shape: used of limit, -1 meaning unlimited. */
export interface QuotaUsage {
  label: string;
  used: number;
  limit: number;
  unit?: string;
}

/** Nova's `os-quota-sets/{p}/detail` and Cinder's `os-quota-sets/{p}?usage=true` give `{limit, in_use}` per resource. */
export type InUseQuotaSet = Record<string, { limit: number; in_use: number } | string>;

/** Neutron's `quotas/{p}/details.json` gives `{limit, used}` per resource. */
export type UsedQuotaSet = Record<string, { limit: number; used: number }>;

/** The named resources of a set, in the order given; a resource the service does not report is left out. */
export function inUseQuotas(set: InUseQuotaSet, wanted: [key: string, label: string, unit?: string][]): QuotaUsage[] {
  return wanted.flatMap(([key, label, unit]) => {
    const entry = set[key];
    return typeof entry === 'object' ? [{ label, used: entry.in_use, limit: entry.limit, unit }] : [];
  });
}

export function usedQuotas(set: UsedQuotaSet, wanted: [key: string, label: string][]): QuotaUsage[] {
  return wanted.flatMap(([key, label]) => {
    const entry = set[key];
    return entry ? [{ label, used: entry.used, limit: entry.limit }] : [];
  });
}

/** A project's usage summed over a period by Nova (`os-simple-tenant-usage/{p}`). */
export interface TenantUsage {
  /** Where Nova stopped counting: the period's end, or the cloud's now when the period reaches past it. */
  stop?: string;
  total_hours?: number;
  total_vcpus_usage?: number;
  total_memory_mb_usage?: number;
  total_local_gb_usage?: number;
  server_usages?: ServerUsage[];
}

export interface ServerUsage {
  instance_id: string;
  name: string;
  state: string;
  flavor: string;
  vcpus: number;
  memory_mb: number;
  local_gb: number;
  hours: number;
  started_at: string;
  ended_at: string | null;
}

/** Nova's quota classes and Cinder's: the defaults every project gets until an admin sets its own. */
export type QuotaClassSet = Record<string, number | string>;
