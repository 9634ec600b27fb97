/**
 * The record of a task's completed steps and the `ctx.step` built on it.
 * A step's result is written (with a lease extension, fenced by the lease
 * token) before `ctx.step` returns, so a crash after that point never repeats
 * the step; a crash before it repeats only that step, which is why steps must
 * be idempotent.
 */
import type { Logger } from '../logger.js';
import { parseJson } from '../db/values.js';
import type { Lease } from './lease.js';
import type { TaskStore } from './store.js';
import type { TaskRunContext } from './types.js';

/** What is stored per step: `result` is absent when the step returned `undefined`. */
type StepRecord = { result?: unknown };

export class StepJournal {
  readonly #steps: Record<string, StepRecord>;
  /** Writes are chained so that concurrent steps cannot store an older map last. */
  #writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: TaskStore,
    private readonly lease: Lease,
    stepsJson: string,
  ) {
    this.#steps = parseJson<Record<string, StepRecord>>(stepsJson, {});
  }

  /** A run context whose `step` uses this journal; each context checks its own names for reuse. */
  context<P>(fields: Omit<TaskRunContext<P>, 'step' | 'signal'>): TaskRunContext<P> {
    const used = new Set<string>();
    return {
      ...fields,
      signal: this.lease.signal,
      step: async (name, fn) => {
        if (used.has(name)) throw new Error(`Task step "${name}" ran twice in one attempt; step names must be unique`);
        used.add(name);
        return this.#step(name, fn, fields.log);
      },
    };
  }

  async #step<T>(name: string, fn: () => Promise<T>, log: Logger): Promise<T> {
    const done = this.#steps[name];
    if (done) {
      log.debug({ step: name }, 'task step already done, skipped');
      return done.result as T;
    }
    this.lease.signal.throwIfAborted();
    log.debug({ step: name }, 'task step started');
    const result = await fn();
    this.#steps[name] = result === undefined ? {} : { result };
    await this.#save();
    log.debug({ step: name }, 'task step done');
    return result;
  }

  #save(): Promise<void> {
    const write = this.#writes.then(async () => {
      const until = this.lease.nextExpiry();
      const saved = await this.store.recordSteps(this.lease.taskId, this.lease.token, JSON.stringify(this.#steps), new Date(until).toISOString());
      if (!saved) this.lease.lose('lease taken over by another worker');
      this.lease.signal.throwIfAborted();
      this.lease.confirm(until);
    });
    // A failed write must not block later ones; its caller gets the error.
    this.#writes = write.catch(() => undefined);
    return write;
  }
}
