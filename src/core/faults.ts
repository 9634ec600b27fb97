/**
 * Driver-level fault points: where a service's driver or worker asks whether
 * an injected fault applies to the operation it is about to do (a build on a
 * host, a volume create, an image upload, a port binding). The rules behind
 * them live in `/_nimbus/faults` (src/control/faults/); core only names the
 * points, so a service can ask without knowing who answers.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** The driver operations a rule may break or slow down, each owned by one service. */
export const DRIVER_FAULT_POINTS = {
  /** The hypervisor's spawn fails: the server goes to ERROR with the rule's message as its fault. */
  build: 'compute',
  /** Every hypervisor operation waits `latency_ms` first (nothing fails). */
  slow_hypervisor: 'compute',
  /** The backend fails to create the volume: it goes to `error`. */
  volume_create: 'volume',
  /** The backend fails to extend the volume: it goes to `error_extending`. */
  volume_extend: 'volume',
  /** The backend fails to export the volume for an attachment: the attach is refused. */
  volume_attach: 'volume',
  /** The image store breaks half-way through an upload: the image is back to `queued`. */
  image_upload: 'image',
  /** The network backend fails to bind a port: `binding:vif_type` is `binding_failed`. */
  port_binding: 'network',
} as const;

export type DriverFaultPoint = keyof typeof DRIVER_FAULT_POINTS;

/** What a fault point knows of the operation: `host` only where a host is chosen. */
export interface DriverFaultQuery {
  point: DriverFaultPoint;
  host?: string | null;
}

/** A rule that applies: wait `latencyMs`, then fail with `message` when `fails`. */
export interface DriverFaultHit {
  ruleId: string;
  latencyMs: number;
  fails: boolean;
  message: string;
}

export interface DriverFaults {
  /** The first live rule for this operation (counted as used), or null. */
  take(query: DriverFaultQuery): DriverFaultHit | null;
}

/** No rules: what a service gets when nothing injects faults (a unit test's deps). */
export const NO_DRIVER_FAULTS: DriverFaults = { take: () => null };

/**
 * Passes a fault point: waits a matching rule's latency, then throws the
 * service's own error (built by `failure` from the rule's message) when the
 * rule fails the operation.
 */
export async function passFaultPoint(faults: DriverFaults, query: DriverFaultQuery, failure: (message: string) => Error): Promise<void> {
  const hit = faults.take(query);
  if (!hit) return;
  if (hit.latencyMs > 0) await sleep(hit.latencyMs);
  if (hit.fails) throw failure(hit.message);
}
