/** /v3/OS-TRUST/trusts: create, list (by trustor or trustee; all for admins), show, delete, and a trust's roles. */
import type { FastifyInstance } from 'fastify';
import { toBool } from '../../core/db/values.js';
import { isoMicros } from '../../core/time.js';
import type { TrustRequest, TrustWithRoles } from '../service/trusts.js';
import type { Trust } from '../store/index.js';
import type { IdentityApi } from './context.js';
import { queryString, type Query } from './query.js';
import { nameSchema } from './schemas.js';
import { listLinks, roleView } from './views.js';

type Json = Record<string, unknown>;
type TrustParams = { Params: { trust_id: string } };
type RoleParams = { Params: { trust_id: string; role_id: string } };

const BASE = '/OS-TRUST/trusts';

/** keystone/trust/schema.py's create body: extra attributes are allowed and ignored. */
const createSchema = {
  type: 'object',
  required: ['trust'],
  properties: {
    trust: {
      type: 'object',
      required: ['trustor_user_id', 'trustee_user_id', 'impersonation'],
      properties: {
        trustor_user_id: { type: 'string' },
        trustee_user_id: { type: 'string' },
        impersonation: { type: 'boolean' },
        project_id: { type: ['string', 'null'] },
        remaining_uses: { type: ['integer', 'null'], minimum: 1 },
        expires_at: { type: ['string', 'null'] },
        allow_redelegation: { type: ['boolean', 'null'] },
        redelegation_count: { type: ['integer', 'null'], minimum: 0 },
        redelegated_trust_id: { type: ['string', 'null'] },
        roles: {
          type: 'array',
          items: {
            type: 'object',
            minProperties: 1,
            maxProperties: 1,
            additionalProperties: false,
            properties: { id: { type: 'string', minLength: 1, maxLength: 64 }, name: nameSchema },
          },
        },
      },
    },
  },
} as const;

/** A trust as Keystone lists it (no roles); expires_at with microseconds and `Z`. */
function trustSummary(api: IdentityApi, t: Trust): Json {
  return {
    id: t.id,
    trustor_user_id: t.trustor_user_id,
    trustee_user_id: t.trustee_user_id,
    project_id: t.project_id,
    impersonation: toBool(t.impersonation),
    expires_at: t.expires_at ? isoMicros(t.expires_at) : null,
    remaining_uses: t.remaining_uses,
    deleted_at: null,
    redelegated_trust_id: t.redelegated_trust_id,
    redelegation_count: t.redelegation_count,
    links: { self: api.url(`${BASE}/${t.id}`) },
  };
}

function trustView(api: IdentityApi, t: TrustWithRoles): Json {
  return {
    ...trustSummary(api, t),
    roles: t.roles.map((r) => roleView(api, r)),
    roles_links: { self: api.url(`/${t.id}/roles`), next: null, previous: null },
  };
}

export function trustRoutes(app: FastifyInstance, api: IdentityApi): void {
  const trusts = api.ops.trusts;

  app.post(`/v3${BASE}`, { schema: { body: createSchema } }, async (request, reply) => {
    const auth = await api.authenticate(request);
    const created = await trusts.create(auth, (request.body as { trust: TrustRequest }).trust);
    return reply.code(201).send({ trust: trustView(api, created) });
  });

  app.get(`/v3${BASE}`, async (request) => {
    const auth = await api.authenticate(request);
    const query = request.query as Query;
    const list = await trusts.list(auth, { trustorUserId: queryString(query, 'trustor_user_id'), trusteeUserId: queryString(query, 'trustee_user_id') });
    return { trusts: list.map((t) => trustSummary(api, t)), links: listLinks(api, BASE) };
  });

  app.get<TrustParams>(`/v3${BASE}/:trust_id`, async (request) => {
    const auth = await api.authenticate(request);
    return { trust: trustView(api, await trusts.get(auth, request.params.trust_id)) };
  });

  app.delete<TrustParams>(`/v3${BASE}/:trust_id`, async (request, reply) => {
    const auth = await api.authenticate(request);
    await trusts.delete(auth, request.params.trust_id);
    return reply.code(204).send();
  });

  app.get<TrustParams>(`/v3${BASE}/:trust_id/roles`, async (request) => {
    const auth = await api.authenticate(request);
    const roles = await trusts.roles(auth, request.params.trust_id);
    return { roles: roles.map((r) => roleView(api, r)), links: { self: api.url(`/${request.params.trust_id}/roles`), next: null, previous: null } };
  });

  // GET and HEAD: Fastify answers HEAD from the GET route, without a body.
  app.get<RoleParams>(`/v3${BASE}/:trust_id/roles/:role_id`, async (request) => {
    const auth = await api.authenticate(request);
    return { role: roleView(api, await trusts.role(auth, request.params.trust_id, request.params.role_id)) };
  });
}
