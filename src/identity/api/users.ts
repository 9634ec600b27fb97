/** /v3/users, self-service password change, and a user's groups and projects. */
import type { FastifyInstance } from 'fastify';

import type { IdentityApi } from './context.js';
import { queryBool, queryString, type Query } from './query.js';
import { descriptionSchema, enabledSchema, nameSchema, nullableIdSchema, wrapped } from './schemas.js';
import { groupView, listLinks, projectView, userView } from './views.js';
import { identityErrors } from '../errors.js';

const userProperties = {
  properties: {
    name: nameSchema,
    description: descriptionSchema,
    enabled: enabledSchema,
    domain_id: nullableIdSchema,
    default_project_id: nullableIdSchema,
    password: { type: ['string', 'null'] },
    options: { type: 'object' },
  },
};

const passwordChangeSchema = wrapped(
  'user',
  { properties: { password: { type: 'string' }, original_password: { type: 'string' } }, additionalProperties: false },
  ['password', 'original_password'],
);

type Params = { Params: { id: string } };

export function userRoutes(app: FastifyInstance, api: IdentityApi): void {
  const users = api.ops.users;

  app.post('/v3/users', { schema: { body: wrapped('user', userProperties, ['name']) } }, async (request, reply) => {
    const auth = await api.authenticate(request);
    const body = request.body as { user: Record<string, unknown> };
    return reply.code(201).send({ user: userView(api, await users.createUser(auth, body.user)) });
  });

  app.get('/v3/users', async (request) => {
    const auth = await api.authenticate(request);
    const query = request.query as Query;
    const list = await users.listUsers(auth, {
      name: queryString(query, 'name'),
      domainId: queryString(query, 'domain_id'),
      enabled: queryBool(query, 'enabled'),
    });
    return { users: list.map((u) => userView(api, u)), links: listLinks(api, '/users') };
  });

  app.get<Params>('/v3/users/:id', async (request) => {
    const auth = await api.authenticate(request);
    return { user: userView(api, await users.getUser(auth, request.params.id)) };
  });

  app.patch<Params>('/v3/users/:id', { schema: { body: wrapped('user', userProperties) } }, async (request) => {
    const auth = await api.authenticate(request);
    const body = request.body as { user: Record<string, unknown> };
    return { user: userView(api, await users.updateUser(auth, request.params.id, body.user)) };
  });

  app.delete<Params>('/v3/users/:id', async (request, reply) => {
    const auth = await api.authenticate(request);
    await users.deleteUser(auth, request.params.id);
    return reply.code(204).send();
  });

  // No token needed: the original password is the proof (users with expired passwords use it).
  app.post<Params>('/v3/users/:id/password', { schema: { body: passwordChangeSchema } }, async (request, reply) => {
    const { user } = request.body as { user: { password: string; original_password: string } };
    await users.changePassword(request.params.id, user.original_password, user.password);
    return reply.code(204).send();
  });

  app.get<Params>('/v3/users/:id/groups', async (request) => {
    const auth = await api.authenticate(request);
    const groups = await users.listGroupsForUser(auth, request.params.id);
    return { groups: groups.map((g) => groupView(api, g)), links: listLinks(api, `/users/${request.params.id}/groups`) };
  });

  app.get<Params>('/v3/users/:id/projects', async (request) => {
    const auth = await api.authenticate(request);
    const userId = request.params.id;
    const user = await users.getUser(auth, userId);
    if (!api.ops.resources.mayListUserProjects(auth, user)) {
      throw identityErrors.notAuthorized('identity:list_user_projects');
    }
    const projects = await api.ops.resources.projectsForUser(userId);
    return { projects: projects.map((p) => projectView(api, p)), links: listLinks(api, `/users/${userId}/projects`) };
  });
}
