/** /v3/policies: the policies API's blobs (keystone/policy/schema.py). */
import type { FastifyInstance } from 'fastify';
import type { PolicyBlob } from '../store/index.js';
import { collectionRoutes } from './catalog.js';
import type { IdentityApi } from './context.js';
import { queryString } from './query.js';
import { wrapped } from './schemas.js';

const policyProperties = {
  blob: { type: 'string' },
  type: { type: 'string', maxLength: 255 },
};

function policyView(api: IdentityApi, p: PolicyBlob): Record<string, unknown> {
  return {
    ...(JSON.parse(p.extra) as Record<string, unknown>),
    id: p.id,
    type: p.type,
    blob: p.blob,
    links: { self: api.url(`/policies/${p.id}`) },
  };
}

export function policyBlobRoutes(app: FastifyInstance, api: IdentityApi): void {
  const policies = api.ops.policyBlobs;
  collectionRoutes<PolicyBlob>(app, api, {
    path: '/policies',
    member: 'policy',
    collection: 'policies',
    view: (p) => policyView(api, p),
    create: { schema: wrapped('policy', { properties: policyProperties }, ['blob', 'type']), run: (auth, body) => policies.create(auth, body) },
    list: (auth, query) => policies.list(auth, { type: queryString(query, 'type') }),
    get: (auth, id) => policies.get(auth, id),
    update: { schema: wrapped('policy', { properties: policyProperties, minProperties: 1 }), run: (auth, id, patch) => policies.update(auth, id, patch) },
    remove: (auth, id) => policies.delete(auth, id),
  });
}
