/**
 * Nova's control services, the scheduler and the conductor: Nimbus runs them
 * inside this process, so they are on this machine, in Nova's `internal`
 * zone, and up whenever it answers. os-availability-zone's detail and
 * os-hosts list them beside the compute hosts.
 */
import { hostname } from 'node:os';

/** Nova's INTERNAL_SERVICE_AVAILABILITY_ZONE. */
export const INTERNAL_ZONE = 'internal';

export const CONTROL_BINARIES = ['nova-conductor', 'nova-scheduler'] as const;

/** The host the control services run on. */
export function controlHost(): string {
  return hostname();
}
