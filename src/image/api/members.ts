/** /v2/images/{id}/members: sharing an image with other projects. */
import type { FastifyInstance } from 'fastify';
import { isObject, requireBody } from './body.js';
import type { IdParams, ImageApi } from './context.js';
import { memberView } from './views.js';
import { imageErrors } from '../errors.js';

type MemberParams = { Params: { id: string; member: string } };

export function memberRoutes(app: FastifyInstance, api: ImageApi): void {
  const { members } = api.ops;

  app.post<IdParams>('/v2/images/:id/members', async (request) => {
    const ctx = await api.context(request);
    const body = requireBody(request.body);
    if (!isObject(body)) throw imageErrors.memberFormExpected();
    if (!('member' in body)) throw imageErrors.memberNotSpecified();
    if (!body.member) throw imageErrors.memberEmpty();
    if (typeof body.member !== 'string') throw imageErrors.memberFormExpected();
    return memberView(await members.create(ctx, request.params.id, body.member));
  });

  app.get<IdParams>('/v2/images/:id/members', async (request) => {
    const ctx = await api.context(request);
    return { members: (await members.list(ctx, request.params.id)).map(memberView), schema: '/v2/schemas/members' };
  });

  app.get<MemberParams>('/v2/images/:id/members/:member', async (request) => {
    const ctx = await api.context(request);
    return memberView(await members.get(ctx, request.params.id, request.params.member));
  });

  app.put<MemberParams>('/v2/images/:id/members/:member', async (request) => {
    const ctx = await api.context(request);
    const body = requireBody(request.body);
    if (!isObject(body)) throw imageErrors.statusFormExpected();
    if (!('status' in body)) throw imageErrors.statusNotSpecified();
    return memberView(await members.update(ctx, request.params.id, request.params.member, body.status));
  });

  app.delete<MemberParams>('/v2/images/:id/members/:member', async (request, reply) => {
    const ctx = await api.context(request);
    await members.delete(ctx, request.params.id, request.params.member);
    return reply.code(204).send();
  });
}
