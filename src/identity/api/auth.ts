/** /v3/auth: tokens (issue, validate, check, revoke), catalog, and what a token may scope to. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { requestToken } from '../../core/http/authenticate.js';

import { toBool } from '../../core/db/values.js';
import { isoMicros } from '../../core/time.js';
import type { TokenData } from '../service/tokens.js';
import type { IdentityApi } from './context.js';
import { queryBool, type Query } from './query.js';
import { listLinks, projectView, domainView } from './views.js';
import { identityErrors } from '../errors.js';
import { signedRequest } from './oauth1-tokens.js';

const SUBJECT_TOKEN = 'x-subject-token';

const domainRef = {
  type: 'object',
  properties: { id: { type: 'string' }, name: { type: 'string' } },
} as const;
const userRef = {
  type: 'object',
  properties: { id: { type: 'string' }, name: { type: 'string' }, domain: domainRef, password: { type: 'string' } },
} as const;

/** Keystone's auth request schema (keystone/auth/schema.py), trimmed to the methods we support. */
const authSchema = {
  type: 'object',
  required: ['auth'],
  properties: {
    auth: {
      type: 'object',
      required: ['identity'],
      properties: {
        identity: {
          type: 'object',
          required: ['methods'],
          properties: {
            methods: { type: 'array', items: { type: 'string' } },
            password: { type: 'object', required: ['user'], properties: { user: { ...userRef, required: ['password'] } } },
            token: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
            application_credential: {
              type: 'object',
              required: ['secret'],
              properties: { id: { type: 'string' }, name: { type: 'string' }, secret: { type: 'string' }, user: userRef },
            },
          },
        },
        // Keystone's schema: an object or any string (only "unscoped" then makes sense).
        scope: {
          type: ['object', 'string'],
          properties: {
            project: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, domain: domainRef } },
            domain: domainRef,
            system: { type: 'object', properties: { all: { type: 'boolean' } } },
            'OS-TRUST:trust': { type: 'object', properties: { id: { type: 'string' } } },
          },
        },
      },
    },
  },
} as const;

export function authRoutes(app: FastifyInstance, api: IdentityApi): void {
  const tokens = api.ops.tokens;

  app.post('/v3/auth/tokens', { schema: { body: authSchema } }, async (request, reply) => {
    const body = request.body as { auth: Parameters<typeof tokens.issue>[0] };
    const data = await tokens.issue(body.auth, signedRequest(api, request));
    reply.header(SUBJECT_TOKEN, data.token);
    const noCatalog = queryBool(request.query as Query, 'nocatalog') ?? false;
    return reply.code(201).send({ token: await renderToken(api, data, !noCatalog) });
  });

  const validate = async (request: FastifyRequest, action: 'validate_token' | 'check_token') => {
    const auth = await api.authenticate(request);
    const subject = request.headers[SUBJECT_TOKEN];
    if (typeof subject !== 'string' || subject === '') throw identityErrors.notFound('token', '(none given in X-Subject-Token)');
    const data = await tokens.validate(subject, 'subject');
    api.ops.tokens.authorizeTokenAction(auth, action, data);
    return { auth, data };
  };

  app.head('/v3/auth/tokens', async (request, reply) => {
    const { data } = await validate(request, 'check_token');
    reply.header(SUBJECT_TOKEN, data.token);
    return reply.code(200).send();
  });

  // The hot path of every other service's token check: the rendered answer is
  // cached as sent, for this caller (whose right to see the subject was checked).
  app.get('/v3/auth/tokens', async (request, reply) => {
    const key = answerKey(request);
    const cached = key === undefined ? undefined : tokens.cachedAnswer(key);
    if (cached) return sendAnswer(reply, request.headers[SUBJECT_TOKEN] as string, cached);
    const stamp = tokens.answerStamp();
    const { auth, data } = await validate(request, 'validate_token');
    const noCatalog = queryBool(request.query as Query, 'nocatalog') ?? false;
    const body = Buffer.from(JSON.stringify({ token: await renderToken(api, data, !noCatalog) }));
    if (key !== undefined) tokens.rememberAnswer(key, body, [auth.expiresAt, data.payload.expiresAt], stamp);
    return sendAnswer(reply, data.token, body);
  });

  app.delete('/v3/auth/tokens', async (request, reply) => {
    const auth = await api.authenticate(request);
    const subject = request.headers[SUBJECT_TOKEN];
    if (typeof subject !== 'string' || subject === '') throw identityErrors.notFound('token', '(none given in X-Subject-Token)');
    const data = await tokens.validate(subject, 'subject');
    api.ops.tokens.authorizeTokenAction(auth, 'revoke_token', data);
    await tokens.revoke(data);
    return reply.code(204).send();
  });

  app.get('/v3/auth/catalog', async (request) => {
    const auth = await api.authenticate(request);
    const data = await tokens.validate(auth.token);
    if (!data.project && !data.domain && !data.system) {
      throw identityErrors.catalogNeedsProject();
    }
    return { catalog: await tokens.catalog(data), links: { self: api.url('/auth/catalog') } };
  });

  app.get('/v3/auth/projects', async (request) => {
    const auth = await api.authenticate(request);
    const projects = (await api.ops.resources.projectsForUser(auth.userId)).filter((p) => toBool(p.enabled));
    return { projects: projects.map((p) => projectView(api, p)), links: listLinks(api, '/auth/projects') };
  });

  app.get('/v3/auth/domains', async (request) => {
    const auth = await api.authenticate(request);
    const domains = await api.ops.resources.domainsForUser(auth.userId);
    return { domains: domains.map((d) => domainView(api, d)), links: listLinks(api, '/auth/domains') };
  });

  app.get('/v3/auth/system', async (request) => {
    const auth = await api.authenticate(request);
    const hasSystemRoles = await api.ops.tokens.hasSystemRoles(auth.userId);
    return { system: hasSystemRoles ? [{ all: true }] : [], links: { self: api.url('/auth/system') } };
  });
}

/** What a validation answer depends on: both tokens and the query (`nocatalog`). */
function answerKey(request: FastifyRequest): string | undefined {
  const auth = requestToken(request);
  const subject = request.headers[SUBJECT_TOKEN];
  if (!auth || typeof subject !== 'string' || subject === '') return undefined;
  const query = request.url.indexOf('?');
  return `${query < 0 ? '' : request.url.slice(query)} ${auth} ${subject}`;
}

/** The same headers as Fastify gives a serialised object. */
function sendAnswer(reply: FastifyReply, subject: string, body: Buffer): FastifyReply {
  return reply.header(SUBJECT_TOKEN, subject).type('application/json; charset=utf-8').send(body);
}

/** A token body as Keystone renders it for issue and validation. */
async function renderToken(api: IdentityApi, data: TokenData, withCatalog: boolean): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = {
    methods: data.payload.methods,
    user: {
      id: data.user.id,
      name: data.user.name,
      domain: { id: data.userDomain.id, name: data.userDomain.name },
      password_expires_at: data.passwordExpiresAt ? isoMicros(data.passwordExpiresAt) : null,
    },
    audit_ids: data.payload.auditIds,
    expires_at: isoMicros(data.payload.expiresAt),
    issued_at: isoMicros(data.payload.issuedAt),
  };
  if (data.project) {
    const { project, domain } = data.project;
    body.project = { id: project.id, name: project.name, domain: { id: domain.id, name: domain.name } };
    if (!data.trust) body.is_domain = false;
  }
  if (data.trust) {
    body['OS-TRUST:trust'] = {
      id: data.trust.id,
      trustor_user: { id: data.trust.trustor_user_id },
      trustee_user: { id: data.trust.trustee_user_id },
      impersonation: toBool(data.trust.impersonation),
    };
  }
  if (data.domain) body.domain = { id: data.domain.id, name: data.domain.name };
  if (data.system) body.system = { all: true };
  if (data.project || data.domain || data.system || data.trust) {
    body.roles = data.roles.map((r) => ({ id: r.id, name: r.name }));
    if (withCatalog) body.catalog = await api.ops.tokens.catalog(data);
  }
  const serviceProviders = await api.ops.federation.enabledServiceProviders();
  if (serviceProviders.length > 0) body.service_providers = serviceProviders;
  if (data.accessToken) {
    body['OS-OAUTH1'] = { access_token_id: data.accessToken.id, consumer_id: data.accessToken.consumer_id };
  }
  if (data.appCredential) {
    body.application_credential = {
      id: data.appCredential.id,
      name: data.appCredential.name,
      restricted: !toBool(data.appCredential.unrestricted),
    };
  }
  return body;
}
