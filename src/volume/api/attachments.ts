/** `/v3/{project_id}/attachments` (3.27+): create, list, show, update with a connector, complete (3.44), delete. */
import type { FastifyInstance } from 'fastify';
import { querySingle, type QueryInput } from '../../core/pagination/index.js';
import { notFound } from '../errors.js';
import { parseBool } from './body.js';
import { begin, type Call, type VolumeApi } from './context.js';
import { attachmentComplete, attachmentCreate, attachmentUpdate } from './schemas.js';
import { attachmentView } from './views.js';

type IdParams = { Params: { project_id: string; id: string } };
type Connector = Record<string, unknown>;
type CreateBody = { Body: { attachment: { volume_uuid: string; instance_uuid?: string | null; connector?: Connector | null; mode?: 'rw' | 'ro' } } };
type UpdateBody = IdParams & { Body: { attachment: { connector: Connector } } };

/** Before 3.27 the resource does not exist: Cinder answers 404. */
function requireVersion(call: Call, from: string): void {
  if (!call.atLeast(from)) throw notFound.needsVersion(from);
}

export function attachmentRoutes(app: FastifyInstance, api: VolumeApi): void {
  const { attachments } = api.ops;
  const base = '/v3/:project_id/attachments';

  app.post<CreateBody>(base, { schema: { body: attachmentCreate } }, async (request, reply) => {
    const call = await begin(api, request, reply);
    requireVersion(call, '3.27');
    const body = request.body.attachment;
    const attachment = await attachments.create(call.ctx, {
      volumeId: body.volume_uuid,
      instanceUuid: body.instance_uuid ?? null,
      connector: body.connector ?? null,
      mode: body.mode ?? 'rw',
    });
    return { attachment: attachmentView(attachment, true) };
  });

  for (const detail of [false, true]) {
    app.get(detail ? `${base}/detail` : base, async (request, reply) => {
      const call = await begin(api, request, reply);
      requireVersion(call, '3.27');
      const allTenants = querySingle(request.query as QueryInput, 'all_tenants');
      const list = await attachments.list(call.ctx, allTenants !== undefined && parseBool(allTenants || 'true', 'all_tenants'));
      return { attachments: list.map((a) => attachmentView(a, detail)) };
    });
  }

  app.get<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await begin(api, request, reply);
    requireVersion(call, '3.27');
    return { attachment: attachmentView(await attachments.get(call.ctx, request.params.id), true) };
  });

  app.put<UpdateBody>(`${base}/:id`, { schema: { body: attachmentUpdate } }, async (request, reply) => {
    const call = await begin(api, request, reply);
    requireVersion(call, '3.27');
    return { attachment: attachmentView(await attachments.update(call.ctx, request.params.id, request.body.attachment.connector), true) };
  });

  app.post<IdParams>(`${base}/:id/action`, { schema: { body: attachmentComplete } }, async (request, reply) => {
    const call = await begin(api, request, reply);
    requireVersion(call, '3.44');
    await attachments.complete(call.ctx, request.params.id);
    return reply.code(204).send();
  });

  app.delete<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await begin(api, request, reply);
    requireVersion(call, '3.27');
    await attachments.delete(call.ctx, request.params.id);
    return { attachments: [] };
  });
}
