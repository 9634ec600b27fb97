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
