/** The shapes of Gnocchi's records the metric panels read, and its timespans as seconds. */
export interface MetricResource {
  id: string;
  type: string;
  original_resource_id: string;
  project_id: string | null;
  started_at: string;
  ended_at: string | null;
  /** Metric name → metric id. */
  metrics: Record<string, string>;
}

export interface ResourceType {
  name: string;
  state: string;
}

export interface ArchivePolicyItem {
  /** Python's `str(timedelta)`: `0:05:00`, `1 day, 0:00:00`. */
  granularity: string;
  timespan: string | null;
  points: number;
}

export interface Metric {
  id: string;
  name: string | null;
  unit: string | null;
  /** The resource the metric belongs to, as `GET /v1/metric/{id}` embeds it. */
  resource: Omit<MetricResource, 'metrics'> | null;
  archive_policy: { name: string; definition: ArchivePolicyItem[]; aggregation_methods: string[] };
}

/** A measure as Gnocchi answers it: `[timestamp, granularity in seconds, value]`. */
export type Measure = [string, number, number];

/** Seconds of a timespan Gnocchi printed as `str(timedelta)` (`0:05:00`, `2 days, 1:00:00`, `0:00:00.500000`). */
export function timespanSeconds(text: string): number {
  const match = /^(?:(\d+) days?, )?(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text);
  if (!match) return Number.NaN;
  return Number(match[1] ?? 0) * 86400 + Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4]);
}

/** A granularity as people say it: `5 min`, `1 h`, `1 day`. */
export function humanSpan(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400} day${seconds === 86400 ? '' : 's'}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
