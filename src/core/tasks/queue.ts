/**
 * The durable task queue. Services define kinds at wiring time, enqueue tasks
 * inside the transaction that changes the resource, and the queue's workers
 * run them under leases (see `types.ts` for the vocabulary):
 *
 * ```ts
 * const build = queue.define<{ serverId: string }>('compute.build', {
 *   async run(ctx) { await ctx.step('spawn', () => driver.spawn(ctx.payload.serverId)); },
 *   async onFailure(ctx) { await setServerState(ctx.payload.serverId, 'ERROR'); },
 * });
 * await db.kysely.transaction().execute(async (trx) => {
 *   await insertServer(trx, server);
 *   await queue.enqueue(trx, { kind: build, payload: { serverId }, resourceId: serverId });
 * });
 * ```
 *
 * Guarantees: a task runs to `succeeded` or, after `maxAttempts` failed
 * attempts, to `failed` with its `onFailure` run; at most one worker (across
 * all processes sharing the database) owns a task at a time; a completed step
 * is not run again. Not guaranteed: exactly-once side effects. A step cut
 * short by a crash runs again, and a worker that lost its lease (e.g. a
 * stalled process) may still be inside a step while another runs it; hence
 * idempotent steps that honour `ctx.signal`. Leases compare wall-clock times
 * of different hosts, so hosts in a cluster need synchronised clocks (NTP).
 */
import { hostname } from 'node:os';
import type { ChannelSubscription } from '../cluster/channels.js';
import type { ClusterSingleton } from '../cluster/singleton.js';
import { listenTaskQueued, notifyTaskQueued } from '../cluster/task-notices.js';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import { parseJson } from '../db/values.js';
import { uuid } from '../ids.js';
import type { Logger } from '../logger.js';
import { currentClock, type CloudTime } from '../clock.js';
import { PermanentTaskError } from './errors.js';
import { Lease } from './lease.js';
import { StepJournal } from './step-journal.js';
import { insertTask, taskTables, TaskStore, type ClaimHosts, type TaskRow } from './store.js';
import type { EnqueueRequest, TaskDefinition, TaskInfo, TaskKind, TaskRunContext, TaskStatus } from './types.js';

export interface TaskQueueOptions {
  db: Database;
  logger: Logger;
  /** Decides which process of a cluster purges finished tasks (core/cluster/singleton.ts); default: this one. */
  singleton?: ClusterSingleton;
  /** Names this process in lease tokens, for an operator reading the table; default `<host>:<pid>`. */
  owner?: string;
  /** Delay before the first retry, doubled after each failed attempt; default 1 s. */
  retryBaseMs?: number;
  /** Longest delay between retries; default 5 min. */
  retryMaxMs?: number;
  /** The cloud's clock, which `run_after` is read against (delayed tasks come due when tests advance it); leases stay on the real clock. */
  clock?: CloudTime;
  /**
   * The hosts whose tasks this process runs (a compute agent's): it then claims
   * only tasks enqueued with one of these `host`s. Default: only tasks with no host.
   */
  hosts?: readonly string[];
}

export interface TaskQueueStartOptions {
  /** Tasks run at once by this process; default 4. */
  workers?: number;
  /**
   * The longest an idle queue goes without looking for work it was not told
   * of; default 10 s. Tasks enqueued here wake a worker at once, and so do
   * tasks enqueued by other processes on PostgreSQL (core/cluster/task-notices.ts)
   * once their transaction commits; delayed tasks, retries and other processes'
   * expiring leases are looked for when they come due.
   */
  pollMs?: number;
  /** How long a claim survives without renewal, i.e. how soon a dead worker's task is taken over; default 30 s. */
  leaseMs?: number;
  /** How long succeeded and failed tasks are kept before being purged; default 7 days. */
  keepFinishedMs?: number;
}

const DEFAULT_MAX_ATTEMPTS = 5;
/**
 * A task enqueued inside a transaction may be looked for before that commits
 * (PostgreSQL; on SQLite the poll waits for the one connection): look again
 * this much later, so it does not wait for the backstop poll.
 */
const AFTER_COMMIT_MS = 100;
/** The soonest an idle worker looks again for what a query said comes due (no busy loop on a task another process keeps taking). */
const MIN_IDLE_MS = 5;
const HOUR_MS = 3_600_000;

export class TaskQueue {
  readonly #db: Database;
  readonly #hosts: ClaimHosts;
  readonly #store: TaskStore;
  readonly #log: Logger;
  readonly #owner: string;
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  readonly #clock: CloudTime;
  readonly #kinds = new Map<string, TaskKind<unknown>>();
  /** Leases of the attempts running in this process, by task id. */
  readonly #running = new Map<string, Lease>();
  /** Idle workers, woken one at a time (first idle first): each woken worker that finds more work wakes the next. */
  readonly #sleepers = new Set<() => void>();
  #state: 'new' | 'started' | 'stopped' = 'new';
  #settings: Required<TaskQueueStartOptions> = { workers: 4, pollMs: 10_000, leaseMs: 30_000, keepFinishedMs: 7 * 24 * HOUR_MS };
  /** The one timer of the idle queue: it wakes a worker when the earliest known due time (or the backstop poll) comes. */
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  #workers: Promise<void>[] = [];
  #purgeTimer: NodeJS.Timeout | undefined;
  /** The purge in flight, awaited by `stop()` so the database can close after it. */
  #purging: Promise<void> = Promise.resolve();
  /** The process's listening session for other processes' enqueues (PostgreSQL), subscribed at start. */
  #listening: Promise<ChannelSubscription | undefined> = Promise.resolve(undefined);
  /** Counts `wake()` calls, so a worker woken during its poll polls again instead of sleeping. */
  #wakeups = 0;

  readonly #singleton: ClusterSingleton | undefined;

  constructor(options: TaskQueueOptions) {
    if (options.hosts?.length === 0) throw new Error('A task queue for hosts needs at least one host');
    this.#db = options.db;
    this.#hosts = options.hosts ?? null;
    this.#store = new TaskStore(taskTables(options.db.kysely), this.#hosts);
    this.#log = options.logger.child({ component: 'tasks' });
    this.#owner = options.owner ?? `${hostname()}:${process.pid}`;
    this.#retryBaseMs = options.retryBaseMs ?? 1000;
    this.#retryMaxMs = options.retryMaxMs ?? 5 * 60_000;
    this.#clock = options.clock ?? currentClock();
    this.#singleton = options.singleton;
  }

  /** Registers how to run tasks of kind `name`; the queue claims only kinds it knows. */
  define<P>(name: string, definition: TaskDefinition<P>): TaskKind<P> {
    if (this.#kinds.has(name)) throw new Error(`Task kind ${name} is already defined`);
    if (definition.maxAttempts !== undefined && !(Number.isInteger(definition.maxAttempts) && definition.maxAttempts >= 1)) {
      throw new Error(`Task kind ${name}: maxAttempts must be an integer of at least 1`);
    }
    const kind: TaskKind<P> = { name, definition };
    this.#kinds.set(name, kind);
    return kind;
  }

  /**
   * Inserts a task through `db`, normally the transaction that changes the
   * resource: it commits or rolls back with it (this does not commit). Returns
   * the task id. A worker of this process is woken (at its `runAfter` if later);
   * on PostgreSQL it may look before the transaction commits, so call `wake()`
   * after the commit when the task should start at once (it is looked for
   * again AFTER_COMMIT_MS later anyway, and the commit's notice wakes the
   * queues of every process, this one included).
   */
  async enqueue<P, DB>(db: Kysely<DB> | Transaction<DB>, request: EnqueueRequest<P>): Promise<string> {
    if (this.#kinds.get(request.kind.name) !== request.kind) {
      throw new Error(`Task kind ${request.kind.name} was not defined on this queue`);
    }
    const id = uuid();
    const now = this.#clock.now().toISOString();
    await insertTask(taskTables(db), {
      id,
      kind: request.kind.name,
      payload: JSON.stringify(request.payload ?? null),
      resource_id: request.resourceId ?? null,
      host: request.host ?? null,
      status: 'queued',
      attempts: 0,
      run_after: request.runAfter?.toISOString() ?? now,
      lease_owner: null,
      lease_expires_at: null,
      steps: '{}',
      last_error: null,
      created_at: now,
      updated_at: now,
      finished_at: null,
    });
    await notifyTaskQueued(db, this.#db.dialect, request.host ?? null);
    const runAfterMs = request.runAfter?.getTime() ?? 0;
    if (runAfterMs > this.#clock.nowMs()) this.#wakeAt(Date.now() + (runAfterMs - this.#clock.nowMs()));
    else this.wake();
    if (db.isTransaction) this.#wakeAt(Date.now() + AFTER_COMMIT_MS);
    return id;
  }

  /**
   * Gives up a queued or running task (e.g. one addressed to a host that went
   * down) without running its `onFailure`; true if it was not finished yet.
   * A worker still running it loses its lease.
   */
  async cancel(id: string, reason: string): Promise<boolean> {
    return this.#store.cancel(id, reason);
  }

  async get(id: string): Promise<TaskInfo | null> {
    const row = await this.#store.get(id);
    return row ? toInfo(row) : null;
  }

  /** Starts the workers. A queue starts once; after `stop()` create a new one. */
  start(options: TaskQueueStartOptions = {}): void {
    if (this.#state !== 'new') throw new Error(`Task queue cannot start: it is ${this.#state}`);
    this.#state = 'started';
    this.#settings = { ...this.#settings, ...definedOnly(options) };
    const { workers, keepFinishedMs } = this.#settings;
    this.#workers = Array.from({ length: workers }, () => this.#work());
    this.#purging = this.#purge();
    this.#purgeTimer = setInterval(
      () => {
        this.#purging = this.#purge();
      },
      Math.min(keepFinishedMs, HOUR_MS),
    );
    this.#purgeTimer.unref();
    this.#listening = listenTaskQueued(this.#db, this.#hosts, () => this.wake(), this.#log).catch((err: unknown) => {
      this.#log.warn({ err }, 'not listening for tasks enqueued by other processes; they wait for the poll');
      return undefined;
    });
    this.#log.info({ owner: this.#owner, ...this.#settings, kinds: [...this.#kinds.keys()] }, 'task workers started');
  }

  /**
   * Makes an idle worker look for tasks now instead of at its next poll; if
   * it finds more than it takes it wakes the next one. A worker looking right
   * now looks again.
   */
  wake(): void {
    this.#wakeups++;
    const [first] = this.#sleepers;
    first?.();
  }

  /** Arms the queue's timer to wake a worker at `atMs` (real time), unless it fires sooner already. */
  #wakeAt(atMs: number): void {
    // Before start() the workers look at once when they start; a timer then would only keep a short-lived process (a CLI) alive.
    if (this.#state !== 'started' || atMs >= this.#timerAt) return;
    clearTimeout(this.#timer);
    this.#timerAt = atMs;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = Infinity;
        this.wake();
      },
      Math.max(0, atMs - Date.now()),
    );
  }

  /**
   * Stops claiming and waits up to `graceMs` (default 10 s) for the running
   * attempts to end. Attempts still running then are aborted (`ctx.signal`)
   * and released without counting as failed, so another worker takes them
   * at once; whatever they still do is no longer recorded.
   */
  async stop(options: { graceMs?: number } = {}): Promise<void> {
    if (this.#state !== 'started') {
      this.#state = 'stopped';
      return;
    }
    this.#state = 'stopped';
    await (await this.#listening)?.stop();
    clearInterval(this.#purgeTimer);
    clearTimeout(this.#timer);
    for (const resolve of [...this.#sleepers]) resolve();
    let graceTimer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => {
      graceTimer = setTimeout(resolve, options.graceMs ?? 10_000);
    });
    await Promise.race([Promise.all(this.#workers), graceOver]);
    clearTimeout(graceTimer);
    await this.#purging;
    for (const lease of this.#running.values()) {
      lease.lose('the queue is stopping');
      try {
        if (await this.#store.release(lease.taskId, lease.token)) {
          this.#log.info({ taskId: lease.taskId }, 'task released for another worker');
        }
      } catch (err) {
        this.#log.warn({ err, taskId: lease.taskId }, 'task release failed; it is taken over when its lease expires');
      }
    }
    this.#log.info('task workers stopped');
  }

  /**
   * For tests: resolves once no task of a kind defined here is queued or held,
   * including retries waiting for their delay; rejects after `timeoutMs`.
   */
  async drain(options: { timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const unfinished = this.#running.size + (await this.#store.countUnfinished([...this.#kinds.keys()]));
      if (unfinished === 0) return;
      if (Date.now() > deadline) throw new Error(`Task queue not drained after ${timeoutMs} ms: ${unfinished} unfinished`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Tasks waiting or running (queued, running, undoing), by kind and status, across every process sharing the database. */
  async depth(): Promise<Array<{ kind: string; status: TaskStatus; count: number }>> {
    return this.#store.countUnfinishedByKind();
  }

  /** Deletes succeeded and failed tasks that finished more than `olderThanMs` ago; returns how many. */
  async purgeFinished(olderThanMs: number): Promise<number> {
    return this.#store.purgeFinished(new Date(this.#clock.nowMs() - olderThanMs).toISOString());
  }

  async #work(): Promise<void> {
    while (this.#state === 'started') {
      const wakeups = this.#wakeups;
      let claimed: { row: TaskRow; lease: Lease; more: boolean } | undefined;
      try {
        claimed = await this.#claimNext();
        if (!claimed && wakeups === this.#wakeups) await this.#armForNextDue();
      } catch (err) {
        this.#log.error({ err }, 'task poll failed');
        this.#wakeAt(Date.now() + this.#settings.pollMs);
      }
      if (claimed) {
        // Another task was claimable too: an idle worker takes it while this one runs.
        if (claimed.more) this.wake();
        await this.#execute(claimed.row, claimed.lease);
      } else if (wakeups === this.#wakeups) await this.#idle();
    }
  }

  /** Sets the timer to when the next task comes claimable without a write here (at the latest: the backstop poll). */
  async #armForNextDue(): Promise<void> {
    const now = Date.now();
    const next = await this.#store.nextClaimable([...this.#kinds.keys()], [...this.#running.keys()]);
    let at = now + this.#settings.pollMs;
    // run_after is on the cloud's clock (an advance wakes the queue through server.ts), leases on the real one.
    if (next.runAfter !== null) at = Math.min(at, now + Date.parse(next.runAfter) - this.#clock.nowMs());
    if (next.leaseExpiresAt !== null) at = Math.min(at, Date.parse(next.leaseExpiresAt));
    this.#wakeAt(Math.max(at, now + Math.min(MIN_IDLE_MS, this.#settings.pollMs)));
  }

  async #claimNext(): Promise<{ row: TaskRow; lease: Lease; more: boolean } | undefined> {
    const { workers, leaseMs } = this.#settings;
    const at = { due: this.#clock.now().toISOString(), live: new Date().toISOString() };
    const ids = await this.#store.findClaimable([...this.#kinds.keys()], at, workers + 1);
    for (const [index, id] of ids.entries()) {
      // Our own attempt whose lease lapsed while this process stalled: it is still ours until taken over.
      if (this.#running.has(id)) continue;
      const token = `${this.#owner}/${uuid()}`;
      const row = await this.#store.claim(id, token, at, new Date(Date.now() + leaseMs).toISOString());
      if (row) {
        const lease = new Lease(this.#store, id, token, leaseMs, this.#log.child({ taskId: id, kind: row.kind }));
        this.#running.set(id, lease);
        return { row, lease, more: index < ids.length - 1 };
      }
    }
    return undefined;
  }

  /** Runs one attempt to its recorded outcome. Never throws: on a database error the lease lapses and the task is retried. */
  async #execute(row: TaskRow, lease: Lease): Promise<void> {
    const log = this.#log.child({ taskId: row.id, kind: row.kind, attempt: row.attempts });
    try {
      const kind = this.#kinds.get(row.kind);
      if (!kind) throw new Error(`Task kind ${row.kind} is not defined`);
      const journal = new StepJournal(this.#store, lease, row.steps);
      const context = () =>
        journal.context({
          taskId: row.id,
          kind: row.kind,
          payload: parseJson<unknown>(row.payload, null),
          resourceId: row.resource_id,
          attempt: row.attempts,
          log,
        });
      if (row.status === 'undoing') {
        log.warn('resuming onFailure of a failed task after a crash');
        await this.#fail(kind, row, lease, context, new Error(row.last_error ?? 'task failed'), log);
        return;
      }
      log.debug('task attempt started');
      try {
        await kind.definition.run(context());
      } catch (error) {
        await this.#attemptFailed(kind, row, lease, context, toError(error), log);
        return;
      }
      if (await this.#store.finish(row.id, lease.token, 'succeeded')) log.info('task succeeded');
      else log.warn('task finished after losing its lease; the result is not recorded');
    } catch (err) {
      log.error({ err }, 'task bookkeeping failed; the task is retried when its lease expires');
    } finally {
      lease.stop();
      this.#running.delete(row.id);
    }
  }

  async #attemptFailed(kind: TaskKind<unknown>, row: TaskRow, lease: Lease, context: () => TaskRunContext<unknown>, error: Error, log: Logger): Promise<void> {
    if (lease.signal.aborted) {
      log.warn({ err: error }, 'task attempt ended after losing its lease');
      return;
    }
    const maxAttempts = kind.definition.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!(error instanceof PermanentTaskError) && row.attempts < maxAttempts) {
      const delayMs = Math.min(this.#retryMaxMs, this.#retryBaseMs * 2 ** (row.attempts - 1));
      const runAfter = new Date(this.#clock.nowMs() + delayMs).toISOString();
      if (await this.#store.scheduleRetry(row.id, lease.token, runAfter, error.message)) {
        this.#wakeAt(Date.now() + delayMs);
        log.warn({ err: error, retryInMs: delayMs, maxAttempts }, 'task attempt failed; will retry');
      } else {
        log.warn({ err: error }, 'task attempt failed after losing its lease; not recorded');
      }
      return;
    }
    if (!(await this.#store.beginUndo(row.id, lease.token, error.message))) return;
    log.error({ err: error, maxAttempts }, 'task failed');
    await this.#fail(kind, row, lease, context, error, log);
  }

  /** Runs the kind's `onFailure` hook, then records the task as failed. */
  async #fail(kind: TaskKind<unknown>, row: TaskRow, lease: Lease, context: () => TaskRunContext<unknown>, error: Error, log: Logger): Promise<void> {
    let hookError: Error | undefined;
    try {
      await kind.definition.onFailure?.(context(), error);
    } catch (err) {
      if (lease.signal.aborted) return;
      hookError = toError(err);
      log.error({ err: hookError }, 'task onFailure hook failed; the resource may need repair');
    }
    const message = hookError ? `${error.message}; onFailure: ${hookError.message}` : undefined;
    if (!(await this.#store.finish(row.id, lease.token, 'failed', message))) {
      log.warn('task failure handled after losing its lease; not recorded');
    }
  }

  /** Waits until `wake()` picks this worker (an enqueue here, the timer, a clock advance, `stop()`). */
  #idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.#sleepers.delete(done);
        resolve();
      };
      this.#sleepers.add(done);
    });
  }

  async #purge(): Promise<void> {
    try {
      if (this.#singleton && !(await this.#singleton.holds('task-purge'))) return;
      const purged = await this.purgeFinished(this.#settings.keepFinishedMs);
      if (purged > 0) this.#log.info({ purged }, 'finished tasks purged');
    } catch (err) {
      this.#log.warn({ err }, 'purging finished tasks failed');
    }
  }
}

function toInfo(row: TaskRow): TaskInfo {
  const steps = parseJson<Record<string, { result?: unknown }>>(row.steps, {});
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    payload: parseJson<unknown>(row.payload, null),
    resourceId: row.resource_id,
    host: row.host,
    attempts: row.attempts,
    runAfter: row.run_after,
    lastError: row.last_error,
    completedSteps: Object.keys(steps),
    results: Object.fromEntries(Object.entries(steps).map(([name, step]) => [name, step.result])),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** Drops `undefined` options so they do not overwrite defaults. */
function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}
