/**
 * The latest sample of each meter and resource this process polled, for
 * Ceilometer's Prometheus exporter (the exporter service reads it through
 * operations.ts). Bounded: past `capacity` entries the least recently
 * refreshed go first, and an entry not refreshed for `maxAgeMs` (a resource
 * gone, a meter no longer selected) is no longer shown.
 */
import type { Sample } from './samples.js';

export class LatestSamples {
  readonly #entries = new Map<string, { sample: Sample; seenAt: number }>();

  constructor(
    private readonly maxAgeMs: () => number,
    private readonly capacity = 10_000,
  ) {}

  /** Forgets every sample (the cloud's state was replaced: they may tell of resources that no longer are). */
  clear(): void {
    this.#entries.clear();
  }

  record(samples: readonly Sample[], now = Date.now()): void {
    for (const sample of samples) {
      const key = `${sample.meter.name}\u0000${sample.resourceId}`;
      // Deleting first moves a refreshed entry to the end of the Map's order, so the oldest stays first.
      this.#entries.delete(key);
      this.#entries.set(key, { sample, seenAt: now });
    }
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= this.capacity) break;
      this.#entries.delete(key);
    }
  }

  current(now = Date.now()): Sample[] {
    const oldest = now - this.maxAgeMs();
    return [...this.#entries.values()].filter((e) => e.seenAt >= oldest).map((e) => e.sample);
  }
}
