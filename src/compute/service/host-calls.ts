/**
 * Host work in a cluster: a call of the hypervisor driver on host H, made by
 * an API process (role api), travels as a durable task addressed to H
 * (`compute.host-call`, core/tasks `host`), which only H's compute agent
 * claims; the agent runs it on its own driver and records the outcome as the
 * task's step result, which the caller reads (agent-driver.ts). This is what
 * Nova's RPC to nova-compute is, on PostgreSQL instead of a message bus.
 * A DriverError travels back as such (its code decides, e.g. DomainNotFound),
 * bytes (a snapshot) as base64.
 */
import { PermanentTaskError, type TaskKind, type TaskQueue } from '../../core/tasks/index.js';
import type { HypervisorDriver } from '../drivers/driver.js';
import { DriverError, type DriverErrorCode } from '../drivers/errors.js';

/** The driver's calls that run on one host, the host their first argument. */
export const HOST_CALL_METHODS = [
  'spawn',
  'destroy',
  'powerOn',
  'powerOff',
  'reboot',
  'pause',
  'unpause',
  'suspend',
  'resume',
  'resize',
  'confirmResize',
  'revertResize',
  'liveMigrate',
  'forceCompleteLiveMigration',
  'abortLiveMigration',
  'snapshot',
  'rescue',
  'unrescue',
  'attachVolume',
  'detachVolume',
  'attachInterface',
  'detachInterface',
  'triggerCrashDump',
  'setAdminPassword',
  'consoleLog',
  'info',
  'stats',
  'changeMetadata',
  'cacheImage',
] as const;
export type HostCallMethod = (typeof HOST_CALL_METHODS)[number];

export interface HostCallPayload {
  method: HostCallMethod;
  args: unknown[];
}

/** What the agent recorded: the call's value, or the driver's refusal. */
export type HostCallOutcome = { value: unknown } | { error: { code: DriverErrorCode; message: string } };

const BYTES = '__bytes_base64';

export const HOST_CALL_KIND = 'compute.host-call';

/**
 * Defines the host-call kind on `tasks`. An agent passes its driver; an API
 * process passes null: it only enqueues these tasks, which its queue never
 * claims (they carry a host).
 */
export function defineHostCalls(tasks: TaskQueue, driver: HypervisorDriver | null): TaskKind<HostCallPayload> {
  return tasks.define<HostCallPayload>(HOST_CALL_KIND, {
    // A driver call is not retried behind its caller's back: the caller's own task retries.
    maxAttempts: 1,
    async run(ctx) {
      if (!driver) throw new PermanentTaskError(`${HOST_CALL_KIND} runs on a compute agent`);
      const { method, args } = ctx.payload;
      await ctx.step('call', () => callDriver(driver, method, args));
    },
  });
}

async function callDriver(driver: HypervisorDriver, method: HostCallMethod, args: unknown[]): Promise<HostCallOutcome> {
  if (!HOST_CALL_METHODS.includes(method)) throw new PermanentTaskError(`Unknown driver call ${String(method)}`);
  const fn = driver[method] as ((...values: unknown[]) => Promise<unknown>) | undefined;
  if (!fn) return { error: { code: 'NotSupported', message: `The ${driver.type} driver has no ${method}` } };
  try {
    return { value: encode(await fn.apply(driver, args)) };
  } catch (error) {
    if (error instanceof DriverError) return { error: { code: error.code, message: error.message } };
    throw error;
  }
}

function encode(value: unknown): unknown {
  return value instanceof Uint8Array ? { [BYTES]: Buffer.from(value).toString('base64') } : value;
}

/** The call's value as the driver returned it (bytes as a Uint8Array), or its DriverError thrown. */
export function outcomeValue(outcome: HostCallOutcome): unknown {
  if ('error' in outcome) throw new DriverError(outcome.error.code, outcome.error.message);
  const value = outcome.value;
  if (value !== null && typeof value === 'object' && BYTES in value) {
    return new Uint8Array(Buffer.from(String((value as Record<string, unknown>)[BYTES]), 'base64'));
  }
  return value;
}
