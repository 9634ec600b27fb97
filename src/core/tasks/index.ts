/** The durable task queue: see `queue.ts` for its guarantees and `types.ts` for its vocabulary. */
export { PermanentTaskError, TaskLeaseLost } from './errors.js';
export { TaskQueue, type TaskQueueOptions, type TaskQueueStartOptions } from './queue.js';
export type { EnqueueRequest, TaskDefinition, TaskInfo, TaskKind, TaskRunContext, TaskStatus } from './types.js';
