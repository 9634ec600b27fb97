/**
 * OS-OAUTH1's delegation flow (keystone/api/os_oauth1.py) and a user's access
 * tokens (keystone/api/users.py). The token endpoints answer form-encoded
 * bodies, as OAuth 1.0a clients (keystoneauth1's v3.OAuth1, oauthlib) read them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MethodNotAllowed } from '../../core/errors.js';
import { isoMicros } from '../../core/time.js';
import type { IssuedOAuthToken, RoleRef } from '../service/oauth1-flow.js';
import type { SignedRequest } from '../service/oauth1-signature.js';
import type { AccessToken, Role } from '../store/index.js';
import type { IdentityApi } from './context.js';
import { idSchema, nameSchema } from './schemas.js';
import { listLinks, roleView } from './views.js';

type Json = Record<string, unknown>;
type UserParams = { Params: { user_id: string } };
type TokenParams = { Params: { user_id: string; access_token_id: string } };
type RoleParams = { Params: { user_id: string; access_token_id: string; role_id: string } };

/** keystone/oauth1/schema.py request_token_authorize: each role by exactly one of id or name. */
const authorizeSchema = {
  type: 'object',
  properties: {
    roles: {
      type: 'array',
      items: { type: 'object', minProperties: 1, maxProperties: 1, additionalProperties: false, properties: { id: idSchema, name: nameSchema } },
    },
  },
} as const;

/**
 * What the client signed: the URL it called (Keystone takes the host from the
 * request and the scheme from its public endpoint), with or without the query
 * (the auth method signs the path only, as Keystone's base_url(path)).
 */
export function signedRequest(api: IdentityApi, request: FastifyRequest, withQuery = false): SignedRequest {
  const scheme = new URL(api.root).protocol;
  const host = request.headers.host ?? new URL(api.root).host;
  const path = withQuery ? request.url : request.url.split('?')[0];
  const authorization = request.headers.authorization;
  return { method: request.method, url: `${scheme}//${host}${path}`, authorization };
}

function sendIssued(reply: FastifyReply, token: IssuedOAuthToken): FastifyReply {
  const params = new URLSearchParams({ oauth_token: token.key, oauth_token_secret: token.secret });
  if (token.expiresAt) params.set('oauth_expires_at', token.expiresAt);
  // Keystone writes the expiry unencoded ("2026-12-07T21:00:00.000000Z"); both decode the same.
  return reply.code(201).type('application/x-www-form-urlencoded').send(params.toString().replaceAll('%3A', ':'));
}

function accessTokenView(api: IdentityApi, t: AccessToken): Json {
  const base = `/users/${t.authorizing_user_id}/OS-OAUTH1/access_tokens/${t.id}`;
  return {
    id: t.id,
    authorizing_user_id: t.authorizing_user_id,
    project_id: t.project_id,
    consumer_id: t.consumer_id,
    expires_at: t.expires_at ? isoMicros(t.expires_at) : null,
    links: { roles: api.url(`${base}/roles`), self: api.url(base) },
  };
}

/** Keystone's _format_role_entity: the role without description or enabled. */
function delegatedRoleView(api: IdentityApi, r: Role): Json {
  const { description: _description, ...view } = roleView(api, r);
  return view;
}

export function oauth1TokenRoutes(app: FastifyInstance, api: IdentityApi): void {
  const flow = api.ops.oauth1;
  const accessTokens = api.ops.accessTokens;

  app.post('/v3/OS-OAUTH1/request_token', async (request, reply) => {
    const project = request.headers['requested-project-id'];
    const token = await flow.createRequestToken(signedRequest(api, request, true), typeof project === 'string' ? project : undefined);
    return sendIssued(reply, token);
  });

  app.put<{ Params: { request_token_id: string } }>('/v3/OS-OAUTH1/authorize/:request_token_id', { schema: { body: authorizeSchema } }, async (request) => {
    const auth = await api.authenticate(request);
    const roles = ((request.body as { roles?: RoleRef[] } | undefined)?.roles ?? []) as RoleRef[];
    return { token: { oauth_verifier: await flow.authorize(auth, request.params.request_token_id, roles) } };
  });

  app.post('/v3/OS-OAUTH1/access_token', async (request, reply) => sendIssued(reply, await flow.createAccessToken(signedRequest(api, request, true))));

  // Keystone answers GET on the three flow endpoints with werkzeug's 405, not 404.
  for (const path of ['/v3/OS-OAUTH1/request_token', '/v3/OS-OAUTH1/access_token', '/v3/OS-OAUTH1/authorize/:request_token_id']) {
    app.get(path, async () => {
      throw new MethodNotAllowed('The method is not allowed for the requested URL.');
    });
  }

  const BASE = '/v3/users/:user_id/OS-OAUTH1/access_tokens';
  app.get<UserParams>(BASE, async (request) => {
    const auth = await api.authenticate(request);
    const { user_id: userId } = request.params;
    const tokens = await accessTokens.list(auth, userId);
    return { access_tokens: tokens.map((t) => accessTokenView(api, t)), links: listLinks(api, `/users/${userId}/OS-OAUTH1/access_tokens`) };
  });

  app.get<TokenParams>(`${BASE}/:access_token_id`, async (request) => {
    const auth = await api.authenticate(request);
    return { access_token: accessTokenView(api, await accessTokens.get(auth, request.params.user_id, request.params.access_token_id)) };
  });

  app.delete<TokenParams>(`${BASE}/:access_token_id`, async (request, reply) => {
    const auth = await api.authenticate(request);
    await accessTokens.delete(auth, request.params.user_id, request.params.access_token_id);
    return reply.code(204).send();
  });

  app.get<TokenParams>(`${BASE}/:access_token_id/roles`, async (request) => {
    const auth = await api.authenticate(request);
    const { user_id: userId, access_token_id: id } = request.params;
    const roles = await accessTokens.roles(auth, userId, id);
    return { roles: roles.map((r) => delegatedRoleView(api, r)), links: listLinks(api, `/users/${userId}/OS-OAUTH1/access_tokens/${id}/roles`) };
  });

  app.get<RoleParams>(`${BASE}/:access_token_id/roles/:role_id`, async (request) => {
    const auth = await api.authenticate(request);
    const { user_id: userId, access_token_id: id, role_id: roleId } = request.params;
    return { role: delegatedRoleView(api, await accessTokens.role(auth, userId, id, roleId)) };
  });
}
