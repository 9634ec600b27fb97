/**
 * The vocabulary of the durable task queue, shared by the queue and by the
 * services that define task kinds.
 *
 * - A *task* is one row: a kind, a JSON payload, optionally the id of the
 *   resource it works on. It is inserted in the same transaction as the
 *   resource change, so a committed API call always has its task.
 * - An *attempt* is one claim of the task by a worker, under a *lease* (an
 *   owner token and an expiry, renewed while the attempt runs). A worker that
 *   dies stops renewing; once the lease expires any worker may claim the task.
 * - A *step* is a named, idempotent piece of an attempt whose completion (and
 *   JSON result) is recorded; a later attempt gets the recorded result instead
 *   of running the step again.
 */
import type { Logger } from '../logger.js';

/**
 * `queued` waits for `runAfter`; `running` and `undoing` are held by a lease
 * (`undoing`: the last attempt failed and the kind's `onFailure` runs);
 * `succeeded` and `failed` are final.
 */
export type TaskStatus = 'queued' | 'running' | 'undoing' | 'succeeded' | 'failed';

export interface TaskRunContext<P> {
  readonly taskId: string;
  readonly kind: string;
  readonly payload: P;
  readonly resourceId: string | null;
  /** 1 on the first attempt; an attempt cut short by a crash counts too. */
  readonly attempt: number;
  /**
   * Aborted when this worker no longer owns the task: its lease was lost or
   * `stop()` gave up waiting. Pass it to long operations; work done after it
   * fires may race another worker that now owns the task.
   */
  readonly signal: AbortSignal;
  /** Carries the task id and kind. */
  readonly log: Logger;
  /**
   * Runs `fn` unless an earlier attempt completed the step `name`, in which
   * case it returns that attempt's result. The result must survive a JSON
   * round trip (a `Date` comes back as a string). Names must be unique within
   * the task, `onFailure` included (prefix undo steps, e.g. `undo:network`).
   * Throws when the lease was lost, so nothing runs without ownership.
   */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * How to run one kind of task. Written with method syntax on purpose: method
 * parameters are bivariant, so kinds of any payload live in one registry.
 */
export interface TaskDefinition<P> {
  /** Does the work through `ctx.step`; a throw fails the attempt. */
  run(ctx: TaskRunContext<P>): Promise<void>;
  /**
   * Runs once after the last attempt failed (or a `PermanentTaskError`), e.g.
   * to put the resource in ERROR and undo what the steps did. It runs under a
   * lease too: after a crash it is run again, so it must be idempotent. After
   * a crash `error` carries only the recorded message.
   */
  onFailure?(ctx: TaskRunContext<P>, error: Error): Promise<void>;
  /** Attempts before the task fails; default 5. */
  maxAttempts?: number;
}

/** A defined kind, as returned by `TaskQueue.define`; carries the payload type to `enqueue`. */
export interface TaskKind<P> {
  readonly name: string;
  readonly definition: TaskDefinition<P>;
}

export interface EnqueueRequest<P> {
  kind: TaskKind<P>;
  payload: P;
  resourceId?: string;
  /** Only the agent of this host may claim it (core/tasks/queue.ts `hosts`); default: any process without hosts. */
  host?: string;
  /** Not before this time; default now. */
  runAfter?: Date;
}

/** A task as `TaskQueue.get` reports it. */
export interface TaskInfo {
  id: string;
  kind: string;
  status: TaskStatus;
  payload: unknown;
  resourceId: string | null;
  host: string | null;
  attempts: number;
  runAfter: string;
  lastError: string | null;
  completedSteps: string[];
  /** Each completed step's result, by name. */
  results: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}
