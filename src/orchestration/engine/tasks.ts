/**
 * The one durable task kind of the orchestration service: a stack operation.
 * It is enqueued in the transaction that takes the stack's lock; the engine
 * reads what to do from the stack row. A failed attempt is retried (the
 * resource rows tell what is done); after the last one the stack is FAILED
 * with the error as its reason, so no stack stays IN_PROGRESS.
 */
import type { TaskKind, TaskQueue } from '../../core/tasks/index.js';
import { finishOperation, getStack } from '../store/index.js';
import { stackEvent } from './events.js';
import type { OperationPayload, StackEngine } from './engine.js';

export const STACK_TASK_KIND = 'orchestration.stack';

/**
 * The stack engine's own queue settings. A stack operation holds its worker
 * while resources wait for signals (wait conditions, software deployments
 * waiting for their server's agent), so the engine runs on a queue of its
 * own with many workers: the server's shared queue (4 workers) would
 * deadlock five stacks each waiting for the next to be deployed. The short
 * lease makes a restarted process resume a killed one's operations within
 * seconds; renewals every third of it keep live ones.
 */
export const STACK_QUEUE_SETTINGS = { workers: 64, pollMs: 500, leaseMs: 10_000 } as const;

export function defineStackTask(queue: TaskQueue, engine: StackEngine): TaskKind<OperationPayload> {
  return queue.define<OperationPayload>(STACK_TASK_KIND, {
    maxAttempts: 3,
    async run(ctx) {
      await engine.run(ctx.payload, ctx.signal);
    },
    async onFailure(ctx, error) {
      const { db } = engine.deps;
      const stack = await getStack(db, ctx.payload.stackId);
      if (!stack || stack.lockOperation !== ctx.payload.operation) return;
      const reason = `${stack.action} failed: ${error.message}`;
      if (await finishOperation(db, stack.id, ctx.payload.operation, { status: 'FAILED', status_reason: reason })) {
        await stackEvent(db, stack, stack.action, 'FAILED', reason);
      }
    },
  });
}
