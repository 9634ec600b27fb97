/** /v3/groups and group membership. */
import type { FastifyInstance } from 'fastify';
import type { IdentityApi } from './context.js';
import { queryString, type Query } from './query.js';
import { descriptionSchema, nameSchema, nullableIdSchema, wrapped } from './schemas.js';
import { groupView, listLinks, userView } from './views.js';

const groupProperties = { properties: { name: { ...nameSchema, maxLength: 64 }, description: descriptionSchema, domain_id: nullableIdSchema } };

type Params = { Params: { id: string } };
type MemberParams = { Params: { id: string; userId: string } };

export function groupRoutes(app: FastifyInstance, api: IdentityApi): void {
  const users = api.ops.users;

  app.post('/v3/groups', { schema: { body: wrapped('group', groupProperties, ['name']) } }, async (request, reply) => {
    const auth = await api.authenticate(request);
    const body = request.body as { group: Record<string, unknown> };
    return reply.code(201).send({ group: groupView(api, await users.createGroup(auth, body.group)) });
  });

  app.get('/v3/groups', async (request) => {
    const auth = await api.authenticate(request);
    const query = request.query as Query;
    const groups = await users.listGroups(auth, { name: queryString(query, 'name'), domainId: queryString(query, 'domain_id') });
    return { groups: groups.map((g) => groupView(api, g)), links: listLinks(api, '/groups') };
  });

  app.get<Params>('/v3/groups/:id', async (request) => {
    const auth = await api.authenticate(request);
    return { group: groupView(api, await users.getGroup(auth, request.params.id)) };
  });

  app.patch<Params>('/v3/groups/:id', { schema: { body: wrapped('group', groupProperties) } }, async (request) => {
    const auth = await api.authenticate(request);
    const body = request.body as { group: Record<string, unknown> };
    return { group: groupView(api, await users.updateGroup(auth, request.params.id, body.group)) };
  });

  app.delete<Params>('/v3/groups/:id', async (request, reply) => {
    const auth = await api.authenticate(request);
    await users.deleteGroup(auth, request.params.id);
    return reply.code(204).send();
  });

  app.get<Params>('/v3/groups/:id/users', async (request) => {
    const auth = await api.authenticate(request);
    const members = await users.listUsersInGroup(auth, request.params.id);
    return { users: members.map((u) => userView(api, u)), links: listLinks(api, `/groups/${request.params.id}/users`) };
  });

  app.put<MemberParams>('/v3/groups/:id/users/:userId', async (request, reply) => {
    const auth = await api.authenticate(request);
    await users.addUserToGroup(auth, request.params.id, request.params.userId);
    return reply.code(204).send();
  });

  app.head<MemberParams>('/v3/groups/:id/users/:userId', async (request, reply) => {
    const auth = await api.authenticate(request);
    await users.checkUserInGroup(auth, request.params.id, request.params.userId);
    return reply.code(204).send();
  });

  app.get<MemberParams>('/v3/groups/:id/users/:userId', async (request, reply) => {
    const auth = await api.authenticate(request);
    await users.checkUserInGroup(auth, request.params.id, request.params.userId);
    return reply.code(204).send();
  });

  app.delete<MemberParams>('/v3/groups/:id/users/:userId', async (request, reply) => {
    const auth = await api.authenticate(request);
    await users.removeUserFromGroup(auth, request.params.id, request.params.userId);
    return reply.code(204).send();
  });
}
