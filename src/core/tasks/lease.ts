/**
 * A worker's hold on one claimed task: renews the lease in the background
 * (every third of its length, so two missed renewals still leave time) and
 * aborts `signal` the moment ownership is gone, i.e. when a renewal finds the
 * row taken over, or when renewals fail (database unreachable) until the lease
 * has expired and another worker may already have claimed the task.
 */
import type { Logger } from '../logger.js';
import { TaskLeaseLost } from './errors.js';
import type { TaskStore } from './store.js';

export class Lease {
  readonly #controller = new AbortController();
  #expiresAt: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: TaskStore,
    readonly taskId: string,
    readonly token: string,
    private readonly leaseMs: number,
    private readonly log: Logger,
  ) {
    this.#expiresAt = Date.now() + leaseMs;
    this.#schedule();
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The expiry a write made now should set; pass it to `confirm` once written. */
  nextExpiry(): number {
    return Date.now() + this.leaseMs;
  }

  /** A fenced write succeeded: the lease now runs until `expiresAt`. */
  confirm(expiresAt: number): void {
    this.#expiresAt = expiresAt;
  }

  /** Gives up ownership: stops renewing and aborts `signal` with `TaskLeaseLost`. */
  lose(why: string): void {
    this.stop();
    if (!this.#controller.signal.aborted) this.#controller.abort(new TaskLeaseLost(this.taskId, why));
  }

  /** Stops renewing (the attempt is over). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    this.#timer = setTimeout(() => void this.#renew(), Math.max(1, Math.floor(this.leaseMs / 3)));
  }

  async #renew(): Promise<void> {
    const until = this.nextExpiry();
    try {
      if (!(await this.store.renewLease(this.taskId, this.token, new Date(until).toISOString()))) {
        this.lose('lease taken over by another worker');
        return;
      }
      this.confirm(until);
    } catch (err) {
      this.log.warn({ err }, 'task lease renewal failed');
      if (Date.now() >= this.#expiresAt) {
        this.lose('lease expired while it could not be renewed');
        return;
      }
    }
    // stop() may have run while the renewal was in flight.
    if (this.#timer !== undefined) this.#schedule();
  }
}
