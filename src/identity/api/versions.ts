/** Version discovery at /identity and /identity/v3. */
import type { FastifyInstance } from 'fastify';
import type { IdentityApi } from './context.js';

/** Keystone's current v3 minor version and its date, as Zed and later report it. */
const VERSION_ID = 'v3.14';
const VERSION_UPDATED = '2020-04-07T00:00:00Z';

function versionDocument(api: IdentityApi) {
  return {
    id: VERSION_ID,
    status: 'stable',
    updated: VERSION_UPDATED,
    links: [{ rel: 'self', href: `${api.root}/v3/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
}

export function versionRoutes(app: FastifyInstance, api: IdentityApi): void {
  // 300 Multiple Choices, as Keystone answers at its root.
  app.get('/', async (_request, reply) => reply.code(300).send({ versions: { values: [versionDocument(api)] } }));
  app.get('/v3', async () => ({ version: versionDocument(api) }));
}
