/** Reads GET /metrics pages: a strict parser of the text exposition format's sample lines, and lookups. */
import assert from 'node:assert/strict';
import type { TestServer } from '../support/server.js';

export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/y;

/** Every sample of the page; fails the test on a line that is neither a comment nor a well-formed sample. */
export function parseExposition(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const match = SAMPLE.exec(line);
    assert.ok(match, `not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    const body = match[2] ?? '';
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < body.length) {
      const label = LABEL.exec(body);
      assert.ok(label, `bad labels in: ${line}`);
      labels[label[1]!] = label[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
    const value = Number(match[3] === '+Inf' ? Infinity : match[3] === '-Inf' ? -Infinity : match[3]);
    // Prometheus parses floats as Go does: NaN in any case (prom-client writes `Nan` for an empty event-loop histogram).
    assert.ok(!Number.isNaN(value) || /^nan$/i.test(match[3]!), `bad value in: ${line}`);
    samples.push({ name: match[1]!, labels, value });
  }
  return samples;
}

/** The samples named `name` whose labels include `labels`. */
export function find(samples: MetricSample[], name: string, labels: Record<string, string> = {}): MetricSample[] {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The one sample named `name` with these labels (fails the test when there is not exactly one). */
export function value(samples: MetricSample[], name: string, labels: Record<string, string> = {}): number {
  const found = find(samples, name, labels);
  assert.equal(found.length, 1, `${name}${JSON.stringify(labels)}: ${found.length} samples`);
  return found[0]!.value;
}

export async function scrape(cloud: TestServer): Promise<MetricSample[]> {
  const response = await cloud.request('GET', '/metrics');
  assert.equal(response.status, 200, response.text);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parseExposition(response.text);
}
