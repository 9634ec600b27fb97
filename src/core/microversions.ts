/**
 * API microversions (Nova 2.x, Cinder 3.x, Placement 1.x, ...): parsed from
 * `OpenStack-API-Version: <service-type> X.Y` or the legacy per-service header
 * (`X-OpenStack-Nova-API-Version`), "latest" meaning the maximum, absent meaning
 * the minimum; out of range is 406 as the services answer.
 */
import { BadRequest, NotAcceptable } from './errors.js';

export interface Microversion {
  major: number;
  minor: number;
}

export interface MicroversionPolicy {
  /** Service type as it appears in the header, e.g. "compute". */
  serviceType: string;
  /** Legacy header clients still send, lower-case, e.g. "x-openstack-nova-api-version". */
  legacyHeader?: string;
  min: Microversion;
  max: Microversion;
}

export function parseMicroversion(text: string): Microversion {
  const match = /^([1-9]\d*)\.(0|[1-9]\d*)$/.exec(text.trim());
  if (!match) throw new BadRequest(`Version string ${JSON.stringify(text)} is not a valid microversion (expected X.Y).`);
  return { major: Number(match[1]), minor: Number(match[2]) };
}

export function formatMicroversion(v: Microversion): string {
  return `${v.major}.${v.minor}`;
}

export function compareMicroversions(a: Microversion, b: Microversion): number {
  return a.major - b.major || a.minor - b.minor;
}

/** True when `v` lies in [from, to] (either bound optional). */
export function inRange(v: Microversion, from?: string, to?: string): boolean {
  if (from && compareMicroversions(v, parseMicroversion(from)) < 0) return false;
  if (to && compareMicroversions(v, parseMicroversion(to)) > 0) return false;
  return true;
}

/**
 * Picks the version a request asks for. `headers` are Node's lower-cased
 * headers. The `OpenStack-API-Version` header may list several services
 * ("compute 2.60, placement 1.10"); only ours counts.
 */
export function negotiateMicroversion(headers: Record<string, string | string[] | undefined>, policy: MicroversionPolicy): Microversion {
  const requested = requestedVersion(headers, policy);
  if (requested === null) return policy.min;
  if (requested.toLowerCase() === 'latest') return policy.max;
  const version = parseMicroversion(requested);
  if (compareMicroversions(version, policy.min) < 0 || compareMicroversions(version, policy.max) > 0) {
    throw new NotAcceptable(
      `Version ${requested} is not supported by the API. Minimum is ${formatMicroversion(policy.min)} and maximum is ${formatMicroversion(policy.max)}.`,
    );
  }
  return version;
}

function requestedVersion(headers: Record<string, string | string[] | undefined>, policy: MicroversionPolicy): string | null {
  const standard = headerValues(headers['openstack-api-version']);
  for (const entry of standard.flatMap((v) => v.split(','))) {
    const [service, version] = entry.trim().split(/\s+/, 2);
    if (service?.toLowerCase() === policy.serviceType && version) return version;
  }
  if (policy.legacyHeader) {
    const legacy = headerValues(headers[policy.legacyHeader]);
    if (legacy[0]) return legacy[0].trim();
  }
  return null;
}

function headerValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Response headers that announce the version a reply was made for. */
export function microversionHeaders(version: Microversion, policy: MicroversionPolicy): Record<string, string> {
  const text = formatMicroversion(version);
  const headers: Record<string, string> = {
    'openstack-api-version': `${policy.serviceType} ${text}`,
    vary: policy.legacyHeader ? `OpenStack-API-Version, ${policy.legacyHeader}` : 'OpenStack-API-Version',
  };
  if (policy.legacyHeader) headers[policy.legacyHeader] = text;
  return headers;
}

/**
 * One request or response schema per microversion range. `checkCoverage`
 * proves the ranges leave no gap and do not overlap between min and max, as
 * Nova's validation does at import time.
 */
export interface VersionedEntry<T> {
  from: string;
  to?: string;
  value: T;
}

export function selectForVersion<T>(entries: VersionedEntry<T>[], version: Microversion): T | undefined {
  return entries.find((e) => inRange(version, e.from, e.to))?.value;
}

export function checkCoverage<T>(entries: VersionedEntry<T>[], policy: MicroversionPolicy): void {
  const sorted = [...entries].sort((a, b) => compareMicroversions(parseMicroversion(a.from), parseMicroversion(b.from)));
  let expected = policy.min;
  for (const entry of sorted) {
    const from = parseMicroversion(entry.from);
    if (compareMicroversions(from, expected) !== 0) {
      throw new Error(`Microversion ranges leave a gap or overlap at ${formatMicroversion(expected)} (next range starts at ${entry.from})`);
    }
    if (!entry.to) return;
    const to = parseMicroversion(entry.to);
    expected = { major: to.major, minor: to.minor + 1 };
  }
  throw new Error(`Microversion ranges end before the maximum ${formatMicroversion(policy.max)}`);
}
