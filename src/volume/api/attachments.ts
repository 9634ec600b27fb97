/** `/v3/{project_id}/attachments` (3.27+): create, list, show, update with a connector, complete (3.44), delete. */
import type { FastifyInstance } from 'fastify';
import { BadRequest, NotFound } from '../../core/errors.js';
import { querySingle, type QueryInput } from '../../core/pagination/index.js';
import { entity, isObject, optString, parseBool, reqString } from './body.js';
import { begin, type Call, type VolumeApi } from './context.js';
import { attachmentView } from './views.js';

type IdParams = { Params: { project_id: string; id: string } };

/** Before 3.27 the resource does not exist: Cinder answers 404. */
function requireVersion(call: Call, from: string): void {
  if (!call.atLeast(from)) throw new NotFound(`The resource could not be found (it needs microversion ${from}).`);
}

export function attachmentRoutes(app: FastifyInstance, api: VolumeApi): void {
  const { attachments } = api.ops;
  const base = '/v3/:project_id/attachments';

  app.post(base, async (request, reply) => {
    const call = await begin(api, request, reply);
    requireVersion(call, '3.27');
    const body = entity(request.body, 'attachment');
    const mode = optString(body, 'mode') ?? 'rw';
    if (mode !== 'rw' && mode !== 'ro') throw new BadRequest("Invalid input received: mode must be 'rw' or 'ro'.");
    const attachment = await attachments.create(call.ctx, {
      volumeId: reqString(body, 'volume_uuid'),
      instanceUuid: optString(body, 'instance_uuid') ?? null,
      connector: isObject(body.connector) ? body.connector : null,
      mode,
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

  app.put<IdParams>(`${base}/:id`, async (request, reply) => {
    const call = await begin(api, request, reply);
    requireVersion(call, '3.27');
    const body = entity(request.body, 'attachment');
    if (!isObject(body.connector)) throw new BadRequest('Invalid input received: connector is required.');
    return { attachment: attachmentView(await attachments.update(call.ctx, request.params.id, body.connector), true) };
  });

  app.post<IdParams>(`${base}/:id/action`, async (request, reply) => {
    const call = await begin(api, request, reply);
    requireVersion(call, '3.44');
    if (!isObject(request.body) || !('os-complete' in request.body)) throw new BadRequest('There is no such action.');
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
