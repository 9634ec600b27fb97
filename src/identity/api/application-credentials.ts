/** /v3/users/{user_id}/application_credentials */
import type { FastifyInstance } from 'fastify';
import { isoMicros } from '../../core/time.js';
import { toBool } from '../../core/db/values.js';
import type { AppCredentialWithRoles, NewAppCredential } from '../service/app-credentials.js';
import type { Attributes } from '../service/extras.js';
import type { IdentityApi } from './context.js';
import { queryString, type Query } from './query.js';
import { nameSchema, wrapped } from './schemas.js';
import { listLinks } from './views.js';

type UserParams = { Params: { user_id: string } };
type Params = { Params: { user_id: string; id: string } };

const nullableString = { type: ['string', 'null'] } as const;
const roleRefSchema = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: false,
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 }, name: nameSchema },
} as const;

/** keystone/application_credential/schema.py: unlike most entities, no extra attributes. */
const createSchema = wrapped(
  'application_credential',
  {
    additionalProperties: false,
    properties: {
      id: { type: 'string' },
      name: nameSchema,
      secret: nullableString,
      description: nullableString,
      expires_at: nullableString,
      project_id: { type: 'string' },
      unrestricted: { type: ['boolean', 'null'] },
      system: nullableString,
      roles: { type: 'array', items: roleRefSchema },
      access_rules: { type: 'array', items: { type: 'object' } },
    },
  },
  ['name'],
);

function basePath(userId: string): string {
  return `/users/${userId}/application_credentials`;
}

/**
 * As Keystone renders it: the owner is in the URL, not the body; expires_at
 * is a naive UTC time with microseconds; the secret only on creation.
 */
function appCredentialView(api: IdentityApi, c: AppCredentialWithRoles | NewAppCredential): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    expires_at: c.expires_at ? isoMicros(c.expires_at).replace(/Z$/, '') : null,
    project_id: c.project_id,
    roles: c.roles.map((r) => ({ id: r.id, name: r.name, domain_id: r.domain_id === '' ? null : r.domain_id })),
    unrestricted: toBool(c.unrestricted),
    ...('secret' in c && { secret: c.secret }),
    links: { self: api.url(`${basePath(c.user_id)}/${c.id}`) },
  };
}

export function applicationCredentialRoutes(app: FastifyInstance, api: IdentityApi): void {
  const credentials = api.ops.appCredentials;

  app.post<UserParams>('/v3/users/:user_id/application_credentials', { schema: { body: createSchema } }, async (request, reply) => {
    const auth = await api.authenticate(request);
    const body = request.body as { application_credential: Attributes };
    const created = await credentials.create(auth, request.params.user_id, body.application_credential);
    return reply.code(201).send({ application_credential: appCredentialView(api, created) });
  });

  app.get<UserParams>('/v3/users/:user_id/application_credentials', async (request) => {
    const auth = await api.authenticate(request);
    const list = await credentials.list(auth, request.params.user_id, { name: queryString(request.query as Query, 'name') });
    return { application_credentials: list.map((c) => appCredentialView(api, c)), links: listLinks(api, basePath(request.params.user_id)) };
  });

  app.get<Params>('/v3/users/:user_id/application_credentials/:id', async (request) => {
    const auth = await api.authenticate(request);
    const credential = await credentials.get(auth, request.params.user_id, request.params.id);
    return { application_credential: appCredentialView(api, credential) };
  });

  app.delete<Params>('/v3/users/:user_id/application_credentials/:id', async (request, reply) => {
    const auth = await api.authenticate(request);
    await credentials.delete(auth, request.params.user_id, request.params.id);
    return reply.code(204).send();
  });
}
