/** The metering agent's latest samples, as the exporter reads them: one per meter and resource, bounded in number and age. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LatestSamples } from '../../src/metering/latest-samples.js';
import type { Sample } from '../../src/metering/samples.js';

function sample(meter: string, resourceId: string, volume: number): Sample {
  return {
    meter: { name: meter, type: 'gauge', unit: 'GB' },
    volume,
    userId: null,
    projectId: null,
    resourceId,
    timestamp: new Date(0).toISOString(),
    resourceMetadata: {},
    owner: { kind: 'volume', id: resourceId },
  };
}

describe('LatestSamples', () => {
  test('keeps the latest sample of each meter and resource', () => {
    const latest = new LatestSamples(() => 1000);
    latest.record([sample('volume.size', 'a', 1), sample('volume.size', 'b', 2)], 0);
    latest.record([sample('volume.size', 'a', 5)], 10);
    const shown = latest.current(20).map((s) => [s.resourceId, s.volume]);
    assert.deepEqual(shown.sort(), [
      ['a', 5],
      ['b', 2],
    ]);
  });

  test('drops the least recently refreshed past its capacity, and hides those older than the age limit', () => {
    const latest = new LatestSamples(() => 100, 2);
    latest.record([sample('m', 'a', 1), sample('m', 'b', 1)], 0);
    latest.record([sample('m', 'a', 2)], 50);
    latest.record([sample('m', 'c', 3)], 60);
    assert.deepEqual(
      latest.current(60).map((s) => s.resourceId),
      ['a', 'c'],
    );
    // `a` was refreshed at 50: past 150 it is too old; `c` (60) stays until 160.
    assert.deepEqual(
      latest.current(155).map((s) => s.resourceId),
      ['c'],
    );
  });
});
