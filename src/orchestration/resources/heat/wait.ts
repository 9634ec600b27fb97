/**
 * Waiting inside a resource action. Every wait ends early when the engine
 * aborts the action (cancel, stack timeout, lost task), so a plugin never
 * outlives the work it was asked to do.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Sleeps; an abort rejects with the abort's own reason (the engine's cancel or timeout error), not a generic AbortError. */
async function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch (error) {
    throw signal.aborted ? signal.reason : error;
  }
}

/** Waits `seconds` (negative: until aborted). */
export async function waitSeconds(signal: AbortSignal, seconds: number): Promise<void> {
  if (seconds === 0) return;
  if (seconds < 0) {
    await new Promise<never>((_resolve, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }
  await sleepUnlessAborted(seconds * 1000, signal);
}

/** How often a waiting resource looks at the state that ends its wait (a signal, a deployment's status). */
export const POLL_INTERVAL_MS = 250;

/** Calls `done` until it answers true; `done` throws to fail the wait. */
export async function pollUntil(signal: AbortSignal, done: () => Promise<boolean>, intervalMs = POLL_INTERVAL_MS): Promise<void> {
  for (;;) {
    signal.throwIfAborted();
    if (await done()) return;
    await sleepUnlessAborted(intervalMs, signal);
  }
}
