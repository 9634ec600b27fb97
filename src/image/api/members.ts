/** /v2/images/{id}/members: sharing an image with other projects. */
import type { FastifyInstance } from 'fastify';
import { BadRequest } from '../../core/errors.js';
import { isObject, requireBody } from './body.js';
import type { IdParams, ImageApi } from './context.js';
import { memberView } from './views.js';

type MemberParams = { Params: { id: string; member: string } };

export function memberRoutes(app: FastifyInstance, api: ImageApi): void {
  const { members } = api.ops;

  app.post<IdParams>('/v2/images/:id/members', async (request) => {
    const ctx = await api.context(request);
    const body = requireBody(request.body);
    if (!isObject(body)) throw new BadRequest('Expected a member in the form: {"member": "image_id"}');
    if (!('member' in body)) throw new BadRequest('Member to be added not specified');
    if (!body.member) throw new BadRequest("Member can't be empty");
    if (typeof body.member !== 'string') throw new BadRequest('Expected a member in the form: {"member": "image_id"}');
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
    if (!isObject(body)) throw new BadRequest('Expected a status in the form: {"status": "status"}');
    if (!('status' in body)) throw new BadRequest('Status not specified');
    return memberView(await members.update(ctx, request.params.id, request.params.member, body.status));
  });

  app.delete<MemberParams>('/v2/images/:id/members/:member', async (request, reply) => {
    const ctx = await api.context(request);
    await members.delete(ctx, request.params.id, request.params.member);
    return reply.code(204).send();
  });
}
