/** /v3/credentials */
import type { FastifyInstance } from 'fastify';
import type { Credential } from '../store/index.js';
import { collectionRoutes } from './catalog.js';
import type { IdentityApi } from './context.js';
import { queryString } from './query.js';
import { wrapped } from './schemas.js';

/** keystone/credential/schema.py; the ec2 rule (project_id required) is the service's. */
const credentialProperties = {
  blob: { type: 'string' },
  project_id: { type: ['string', 'null'] },
  type: { type: 'string' },
  user_id: { type: 'string' },
};

function credentialView(api: IdentityApi, c: Credential): Record<string, unknown> {
  return {
    ...(JSON.parse(c.extra) as Record<string, unknown>),
    id: c.id,
    user_id: c.user_id,
    project_id: c.project_id,
    type: c.type,
    blob: c.blob,
    links: { self: api.url(`/credentials/${c.id}`) },
  };
}

export function credentialRoutes(app: FastifyInstance, api: IdentityApi): void {
  const credentials = api.ops.credentials;
  collectionRoutes<Credential>(app, api, {
    path: '/credentials',
    member: 'credential',
    collection: 'credentials',
    view: (c) => credentialView(api, c),
    create: {
      schema: wrapped('credential', { properties: { id: { type: 'string' }, ...credentialProperties } }, ['blob', 'type', 'user_id']),
      run: (auth, body) => credentials.create(auth, body),
    },
    list: (auth, query) => credentials.list(auth, { userId: queryString(query, 'user_id'), type: queryString(query, 'type') }),
    get: (auth, id) => credentials.get(auth, id),
    update: {
      schema: wrapped('credential', { properties: credentialProperties, minProperties: 1 }),
      run: (auth, id, patch) => credentials.update(auth, id, patch),
    },
    remove: (auth, id) => credentials.delete(auth, id),
  });
}
