/**
 * The cloud's clock: real time plus an offset that only grows (until a reset). Test suites
 * move it forward (`/_nimbus/clock`) so that expiries and timers (tokens,
 * lockouts, shelve offload, alarm evaluation, delayed tasks) come due without
 * sleeping. Each server owns one (two servers in one process keep their own
 * time) and binds it to everything it runs: requests, task workers and timers
 * read it through `currentClock()` (and `nowIso()`), which falls back to the
 * real time outside any server. Pure measurement (durations, log timing,
 * polling intervals) stays on the real clock.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** What readers of the time get: a clock they cannot move. */
export interface CloudTime {
  now(): Date;
  nowMs(): number;
}

export class Clock implements CloudTime {
  #offsetMs = 0;
  readonly #listeners = new Set<() => void>();

  nowMs(): number {
    return Date.now() + this.#offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  get offsetSeconds(): number {
    return this.#offsetMs / 1000;
  }

  /** Moves time forward (never back), then tells every listener so that what came due runs now. */
  advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds <= 0) throw new RangeError(`The clock only moves forward: ${seconds} is not a positive number of seconds.`);
    this.#offsetMs += Math.round(seconds * 1000);
    for (const listener of this.#listeners) listener();
  }

  /**
   * Back to the real time (`/_nimbus/clock` DELETE, between tests). Nothing
   * comes due by going back, so no listener is told; what was stamped while
   * the clock was ahead (a token's expiry, a lockout) stays as stamped.
   */
  reset(): void {
    this.#offsetMs = 0;
  }

  /** Calls `listener` after each advance (a timer waking up); returns the unsubscribe. */
  onAdvance(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
}

const REAL_TIME: CloudTime = { now: () => new Date(), nowMs: () => Date.now() };
const bound = new AsyncLocalStorage<Clock>();

/** The clock of the server whose request, task or timer is running; the real time elsewhere. */
export function currentClock(): CloudTime {
  return bound.getStore() ?? REAL_TIME;
}

/** Runs `work` (and whatever it schedules: promises, timers, listeners) on `clock`. */
export function runOnClock<T>(clock: Clock, work: () => T): T {
  return bound.run(clock, work);
}
