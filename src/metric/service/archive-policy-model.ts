/**
 * Archive policies as Gnocchi defines them (gnocchi/archive_policy.py): the
 * definition's any-two-of-three rule, the aggregation methods with `*`, `-x`
 * and `+x`, and the policies `gnocchi-upgrade` and `ceilometer-upgrade`
 * create at first start.
 */
import { BadRequest } from '../../core/errors.js';
import type { Json } from '../../core/json.js';
import type { ArchivePolicy, ArchivePolicyItem } from '../timeseries/types.js';
import { parseTimespan } from './timespan.js';
import { checkKeys, coerceInt, expectObject, invalidValue, type Path } from './validate.js';

const BASE_METHODS = ['mean', 'sum', 'last', 'max', 'min', 'std', 'median', 'first', 'count', ...Array.from({ length: 99 }, (_, i) => `${i + 1}pct`)];
export const VALID_METHODS: ReadonlySet<string> = new Set([...BASE_METHODS, ...BASE_METHODS.map((m) => `rate:${m}`)]);

export function isValidMethodValue(value: string): boolean {
  return value === '*' || VALID_METHODS.has(value) || ((value.startsWith('-') || value.startsWith('+')) && VALID_METHODS.has(value.slice(1)));
}

/** The methods a policy aggregates, from the entries it was given (sorted, as a stable rendering of Gnocchi's set). */
export function expandMethods(entries: readonly string[], defaults: readonly string[]): string[] {
  let methods: Set<string>;
  if (entries.includes('*')) methods = new Set(VALID_METHODS);
  else if (entries.every((e) => e.startsWith('-') || e.startsWith('+'))) methods = new Set(defaults);
  else methods = new Set(entries.filter((e) => !e.startsWith('-') && !e.startsWith('+')));
  for (const entry of entries) {
    if (entry.startsWith('-')) methods.delete(entry.slice(1));
    else if (entry.startsWith('+')) methods.add(entry.slice(1));
  }
  return [...methods].sort();
}

function timespanField(value: Json | undefined, path: Path): number {
  const seconds = parseTimespan(value);
  if (seconds === null) invalidValue('Unable to parse timespan', path);
  if ((seconds as number) <= 0) invalidValue('Timespan must be positive', path);
  return seconds as number;
}

/** One row of a definition, completed as ArchivePolicyItem completes it (400 with Gnocchi's sentence when it cannot). */
function definitionItem(raw: Json, path: Path): ArchivePolicyItem {
  const item = expectObject(raw, path);
  checkKeys(item, ['granularity', 'points', 'timespan'], [], path);
  let granularity = item.granularity === undefined || item.granularity === null ? null : timespanField(item.granularity, [...path, 'granularity']);
  let points: number | null = null;
  if (item.points !== undefined && item.points !== null) {
    points = coerceInt(item.points, [...path, 'points']);
    if (points < 1) invalidValue('value must be at least 1', [...path, 'points']);
  }
  const timespan = item.timespan === undefined || item.timespan === null ? null : timespanField(item.timespan, [...path, 'timespan']);
  if (granularity !== null && points !== null && timespan !== null && Math.abs(timespan - granularity * points) > 1e-6) {
    throw new BadRequest('timespan ≠ granularity × points');
  }
  if (granularity === null) {
    if (points === null || timespan === null) throw new BadRequest('At least two of granularity/points/timespan must be provided');
    granularity = timespan / points;
  }
  if (points === null) {
    if (timespan === null) return { granularity, points: null, timespan: null };
    points = Math.floor(timespan / granularity);
    if (points <= 0) throw new BadRequest('Calculated number of points is < 0');
  }
  return { granularity, points, timespan: granularity * points };
}

/** A definition from a request body, with Gnocchi's checks (non-empty list, one row per granularity). */
export function parseDefinition(raw: Json | undefined, path: Path = ['definition']): ArchivePolicyItem[] {
  if (!Array.isArray(raw)) invalidValue('expected a list', path);
  const list = raw as Json[];
  if (list.length < 1) invalidValue('length of value must be at least 1', path);
  const items = list.map((entry, index) => definitionItem(entry, [...path, index]));
  const seen = new Set<number>();
  for (const item of items) {
    if (seen.has(item.granularity)) {
      // Gnocchi prints the granularity as a Python float of seconds (`1.0`).
      const seconds = Number.isInteger(item.granularity) ? item.granularity.toFixed(1) : String(item.granularity);
      throw new BadRequest(`More than one archive policy uses granularity \`${seconds}'`);
    }
    seen.add(item.granularity);
  }
  return items;
}

/** A policy as stored: the method entries as given, expanded when read. */
export interface StoredArchivePolicy {
  name: string;
  backWindow: number;
  definition: ArchivePolicyItem[];
  methodEntries: string[];
}

export function resolvePolicy(stored: StoredArchivePolicy, defaultMethods: readonly string[]): ArchivePolicy {
  return {
    name: stored.name,
    backWindow: stored.backWindow,
    definition: stored.definition,
    aggregationMethods: expandMethods(stored.methodEntries, defaultMethods),
  };
}

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;
const item = (granularity: number, timespan: number): ArchivePolicyItem => ({ granularity, points: timespan / granularity, timespan });

/** gnocchi-upgrade's four policies, then ceilometer-upgrade's (the publisher's `ceilometer-low` default and friends). */
export function defaultArchivePolicies(defaultMethods: readonly string[]): StoredArchivePolicy[] {
  const high = [item(1, HOUR), item(MINUTE, DAY), item(HOUR, 365 * DAY)];
  return [
    { name: 'bool', backWindow: 3600, definition: [item(1, 365 * DAY)], methodEntries: ['last'] },
    { name: 'low', backWindow: 0, definition: [item(5 * MINUTE, 30 * DAY)], methodEntries: [...defaultMethods] },
    { name: 'medium', backWindow: 0, definition: [item(MINUTE, 7 * DAY), item(HOUR, 365 * DAY)], methodEntries: [...defaultMethods] },
    { name: 'high', backWindow: 0, definition: [item(1, HOUR), item(MINUTE, 7 * DAY), item(HOUR, 365 * DAY)], methodEntries: [...defaultMethods] },
    { name: 'ceilometer-low', backWindow: 0, definition: [item(5 * MINUTE, 30 * DAY)], methodEntries: ['mean'] },
    { name: 'ceilometer-low-rate', backWindow: 0, definition: [item(5 * MINUTE, 30 * DAY)], methodEntries: ['mean', 'rate:mean'] },
    { name: 'ceilometer-high', backWindow: 0, definition: high, methodEntries: ['mean'] },
    { name: 'ceilometer-high-rate', backWindow: 0, definition: high, methodEntries: ['mean', 'rate:mean'] },
  ];
}

/** gnocchi-upgrade's catch-all rule. */
export const DEFAULT_RULE = { name: 'default', metricPattern: '*', archivePolicyName: 'low' } as const;

/** fnmatch's wildcards (`*`, `?`, `[...]`) as a RegExp over the whole name. */
export function patternMatcher(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[' && pattern.indexOf(']', i + 2) > i) {
      const end = pattern.indexOf(']', i + 2);
      const body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
      source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else source += char.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}
