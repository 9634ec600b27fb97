/** The image service's durable task kinds, defined once the operations exist. */
import type { TaskQueue } from '../../core/tasks/index.js';
import type { ImageTaskKinds, ImportPayload, PurgeDataPayload } from './deps.js';
import type { ImageServiceOps } from './index.js';

export function defineImageTasks(queue: TaskQueue, ops: ImageServiceOps): ImageTaskKinds {
  const importImage = queue.define<ImportPayload>('image.import', {
    maxAttempts: 3,
    run: (task) => ops.imports.run(task),
    onFailure: (task, error) => ops.imports.fail(task, error),
  });
  const purgeData = queue.define<PurgeDataPayload>('image.purge-data', {
    maxAttempts: 10,
    async run(task) {
      await task.step('purge', () => ops.images.purgeData(task.payload.locations));
    },
  });
  return { importImage, purgeData };
}
