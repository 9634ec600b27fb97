/** /v3/OS-OAUTH1/consumers (keystone/oauth1/schema.py). */
import type { FastifyInstance } from 'fastify';
import type { Consumer } from '../store/index.js';
import { collectionRoutes } from './catalog.js';
import type { IdentityApi } from './context.js';
import { wrapped } from './schemas.js';
import { identityErrors } from '../errors.js';

const consumerProperties = { description: { type: ['string', 'null'] } };

function consumerView(api: IdentityApi, c: Consumer, withSecret = false): Record<string, unknown> {
  return {
    ...(JSON.parse(c.extra) as Record<string, unknown>),
    id: c.id,
    description: c.description,
    ...(withSecret && { secret: c.secret }),
    links: { self: api.url(`/OS-OAUTH1/consumers/${c.id}`) },
  };
}

export function oauth1ConsumerRoutes(app: FastifyInstance, api: IdentityApi): void {
  const consumers = api.ops.consumers;
  collectionRoutes<Consumer>(app, api, {
    path: '/OS-OAUTH1/consumers',
    member: 'consumer',
    collection: 'consumers',
    view: (c) => consumerView(api, c),
    list: (auth) => consumers.list(auth),
    get: (auth, id) => consumers.get(auth, id),
    update: {
      // A consumer's secret is Keystone's to make: an update naming one is refused.
      schema: wrapped('consumer', { properties: consumerProperties, minProperties: 1, not: { required: ['secret'] } }),
      run: (auth, id, patch) => consumers.update(auth, id, patch),
    },
    remove: (auth, id) => consumers.delete(auth, id),
  });

  // Created here rather than by collectionRoutes: only this answer shows the secret, and the body may be empty.
  app.post('/v3/OS-OAUTH1/consumers', async (request, reply) => {
    const auth = await api.authenticate(request);
    const body = (request.body ?? {}) as { consumer?: Record<string, unknown> };
    const consumer = body.consumer ?? {};
    const description = consumer.description;
    if (description !== undefined && description !== null && typeof description !== 'string') throw identityErrors.notAString('description');
    return reply.code(201).send({ consumer: consumerView(api, await consumers.create(auth, consumer), true) });
  });
}
