/**
 * The metering agent's latest samples as Ceilometer's Prometheus exporter
 * shows them: meter `a.b.c` is `ceilometer_a_b_c`, cumulative meters are
 * counters (Python's client shows a counter's series with `_total`), gauge
 * and delta meters gauges, and the labels are Ceilometer's: the meter's
 * first name part (valued with the resource id, or the third part),
 * `publisher`, `type`, `counter`, `project`, `user`, `unit`, `resource`,
 * `vm_instance`, `resource_name` and `server_group`.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Sample } from '../metering/operations.js';

const FIXED_LABELS = ['publisher', 'type', 'counter', 'project', 'user', 'unit', 'resource', 'vm_instance', 'resource_name', 'server_group'] as const;

type Family = Counter<string> | Gauge<string>;

export class CeilometerMeters {
  readonly #families = new Map<string, Family>();

  constructor(private readonly registry: Registry) {}

  /** Replaces every series with these samples' values. */
  show(samples: readonly Sample[]): void {
    for (const family of this.#families.values()) family.reset();
    for (const sample of samples) {
      const family = this.#family(sample);
      const labels = labelsOf(sample);
      if (family instanceof Counter) family.inc(labels, sample.volume);
      else family.set(labels, sample.volume);
    }
  }

  #family(sample: Sample): Family {
    const { name, type, unit } = sample.meter;
    const base = `ceilometer_${name.replace(/[^a-zA-Z0-9_]/g, '_')}`;
    const metricName = type === 'cumulative' ? `${base}_total` : base;
    let family = this.#families.get(metricName);
    if (!family) {
      const options = {
        name: metricName,
        help: `Ceilometer meter ${name} (${type}, ${unit}): its latest sample per resource`,
        labelNames: [pluginOf(name), ...FIXED_LABELS],
        registers: [this.registry],
      };
      family = type === 'cumulative' ? new Counter(options) : new Gauge(options);
      this.#families.set(metricName, family);
    }
    return family;
  }
}

/** The meter name's first part, as a label name. */
function pluginOf(meter: string): string {
  return meter.split('.')[0]!.replace(/[^a-zA-Z0-9_]/g, '_');
}

function labelsOf(sample: Sample): Record<string, string> {
  const parts = sample.meter.name.split('.');
  const metadata = sample.resourceMetadata;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const userMetadata = metadata.user_metadata;
  const serverGroup = userMetadata && typeof userMetadata === 'object' && !Array.isArray(userMetadata) ? text(userMetadata.server_group) : '';
  // Ceilometer joins both names when the resource has a display name and a name.
  const resourceName = [text(metadata.display_name), text(metadata.name)].filter(Boolean).join(':');
  return {
    [pluginOf(sample.meter.name)]: parts[2] ?? sample.resourceId,
    publisher: 'ceilometer',
    type: parts[1] ?? parts[0]!,
    counter: sample.meter.name,
    project: sample.projectId ?? '',
    user: sample.userId ?? '',
    unit: sample.meter.unit,
    resource: sample.resourceId,
    vm_instance: text(metadata.host),
    resource_name: resourceName,
    server_group: serverGroup || 'none',
  };
}
