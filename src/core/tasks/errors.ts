/** Errors of the task queue that task code throws or may see. */

/**
 * Thrown by a task's `run` to fail the task at once, skipping the remaining
 * attempts, when retrying cannot help (no valid host, the resource is gone).
 */
export class PermanentTaskError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentTaskError';
  }
}

/**
 * This worker no longer owns the task (its lease expired and another worker
 * claimed it, or the queue is stopping): it must not touch the resource again.
 * Rejected by `ctx.step` and the reason of `ctx.signal`.
 */
export class TaskLeaseLost extends Error {
  constructor(taskId: string, why: string) {
    super(`Task ${taskId}: ${why}`);
    this.name = 'TaskLeaseLost';
  }
}
