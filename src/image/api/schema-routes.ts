/** /v2/schemas/*: the JSON schemas of images, members and tasks. */
import type { FastifyInstance } from 'fastify';
import type { ImageApi } from './context.js';
import { imageSchema, imagesSchema, memberSchema, membersSchema, taskSchema, tasksSchema } from './schemas.js';

export function schemaRoutes(app: FastifyInstance, api: ImageApi): void {
  const documents: Record<string, () => unknown> = {
    image: () => imageSchema(api.options),
    images: () => imagesSchema(api.options),
    member: memberSchema,
    members: membersSchema,
    task: taskSchema,
    tasks: tasksSchema,
  };
  for (const [name, document] of Object.entries(documents)) {
    app.get(`/v2/schemas/${name}`, async (request) => {
      await api.context(request);
      return document();
    });
  }
}
