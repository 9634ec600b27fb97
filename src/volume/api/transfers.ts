/** `/v3/{project_id}/os-volume-transfer` and (3.55+) `/volume-transfers`: create, list, show, accept, delete. */
import type { FastifyInstance } from 'fastify';
import type { Transfer } from '../store/index.js';
import { begin, type VolumeApi } from './context.js';
import { transferAccept, transferCreate } from './schemas.js';
import { cinderTime } from './views.js';

type IdParams = { Params: { project_id: string; id: string } };
type CreateBody = { Body: { transfer: { volume_id: string; name?: string | null } } };
type AcceptBody = IdParams & { Body: { accept: { auth_key: string } } };

export function transferRoutes(app: FastifyInstance, api: VolumeApi): void {
  const { transfers } = api.ops;
  const view = (projectId: string, t: Transfer, detail: boolean) => ({
    id: t.id,
    name: t.name,
    volume_id: t.volume_id,
    ...(detail ? { created_at: cinderTime(t.created_at) } : {}),
    links: [
      { href: `${api.root()}/v3/${projectId}/os-volume-transfer/${t.id}`, rel: 'self' },
      { href: `${api.root()}/${projectId}/os-volume-transfer/${t.id}`, rel: 'bookmark' },
    ],
  });

  for (const collection of ['os-volume-transfer', 'volume-transfers']) {
    const base = `/v3/:project_id/${collection}`;
    app.post<CreateBody>(base, { schema: { body: transferCreate } }, async (request, reply) => {
      const call = await begin(api, request, reply);
      const body = request.body.transfer;
      const transfer = await transfers.create(call.ctx, body.volume_id, body.name ?? null);
      return reply.code(202).send({ transfer: { ...view(call.projectId, transfer, true), auth_key: transfer.auth_key } });
    });
    for (const detail of [false, true]) {
      app.get(detail ? `${base}/detail` : base, async (request, reply) => {
        const call = await begin(api, request, reply);
        return { transfers: (await transfers.list(call.ctx)).map((t) => view(call.projectId, t, detail)) };
      });
    }
    app.get<IdParams>(`${base}/:id`, async (request, reply) => {
      const call = await begin(api, request, reply);
      return { transfer: view(call.projectId, await transfers.get(call.ctx, request.params.id), true) };
    });
    app.post<AcceptBody>(`${base}/:id/accept`, { schema: { body: transferAccept } }, async (request, reply) => {
      const call = await begin(api, request, reply);
      const transfer = await transfers.accept(call.ctx, request.params.id, request.body.accept.auth_key);
      return reply.code(202).send({ transfer: view(call.projectId, transfer, false) });
    });
    app.delete<IdParams>(`${base}/:id`, async (request, reply) => {
      const call = await begin(api, request, reply);
      await transfers.delete(call.ctx, request.params.id);
      return reply.code(202).send();
    });
  }
}
