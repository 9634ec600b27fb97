/**
 * Nova's API microversions: 2.1 (the base v2.1 API) to MAX_VERSION. Requests
 * pick one with `OpenStack-API-Version: compute X.Y` or the legacy
 * `X-OpenStack-Nova-API-Version`; replies echo both and `Vary` (core/microversions.ts).
 */
import { inRange, parseMicroversion, type Microversion, type MicroversionPolicy } from '../core/microversions.js';

export const MIN_VERSION = '2.1';
export const MAX_VERSION = '2.82';

export const COMPUTE_MICROVERSIONS: MicroversionPolicy = {
  serviceType: 'compute',
  legacyHeader: 'x-openstack-nova-api-version',
  min: { major: 2, minor: 1 },
  max: parseMicroversion(MAX_VERSION),
};

/** True when the request's version is at least `version` (Nova's `api_version_request.is_supported`). */
export function atLeast(v: Microversion, version: string): boolean {
  return inRange(v, version);
}

export type { Microversion };
