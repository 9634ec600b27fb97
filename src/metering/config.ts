/** Ceilometer's options, under `metering:` (ceilometer.conf and polling.yaml, by their names). */

export interface MeteringConfig {
  /** Run the polling agent in this process (ceilometer-polling beside the API). */
  enabled: boolean;
  /** polling.yaml's one source. */
  polling: {
    /** Seconds between polls: polling.yaml's `interval`, 300 in Ceilometer's shipped file. */
    interval: number;
    /** polling.yaml's `meters`: names, `*` wildcards, `!name` to leave one out; `['*']` polls every meter. */
    meters: string[];
  };
  /** The gnocchi:// publisher's query options. */
  publisher_gnocchi: {
    /**
     * `archive_policy`: one policy for every metric Ceilometer creates; null
     * takes each metric's from the resource definitions (gnocchi_resources.yaml:
     * `ceilometer-low-rate` for cumulative counters, else `ceilometer-low`).
     */
    archive_policy: string | null;
  };
}

export function meteringDefaults(): MeteringConfig {
  return {
    enabled: true,
    polling: { interval: 300, meters: ['*'] },
    publisher_gnocchi: { archive_policy: null },
  };
}

/** Whether polling.yaml's `meters` list selects `meter` (an exclusion wins over any inclusion, as Ceilometer's source). */
export function meterSelected(patterns: readonly string[], meter: string): boolean {
  const matches = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(meter);
  if (patterns.some((p) => p.startsWith('!') && matches(p.slice(1)))) return false;
  const included = patterns.filter((p) => !p.startsWith('!'));
  // Only exclusions given: everything else is polled.
  return included.length === 0 || included.some(matches);
}
