/** The metadata sub-resource Cinder gives volumes and snapshots: `{base}/{id}/metadata[/{key}]`. */
import type { FastifyInstance } from 'fastify';
import type { NotFound } from '../../core/errors.js';
import { errors } from '../errors.js';
import type { VolumeContext } from '../service/index.js';
import { begin, type VolumeApi } from './context.js';
import { metadataBody, metaItemBody } from './schemas.js';

type IdParams = { Params: { project_id: string; id: string } };
type KeyParams = { Params: { project_id: string; id: string; key: string } };
type MetadataBody = IdParams & { Body: { metadata: Record<string, string> } };
type MetaItemBody = KeyParams & { Body: { meta: Record<string, string> } };

export interface MetadataOps {
  metadata(ctx: VolumeContext, id: string): Promise<Record<string, string>>;
  /** `replace`: the given keys become the whole metadata. */
  setMetadata(ctx: VolumeContext, id: string, values: Record<string, string>, replace: boolean): Promise<Record<string, string>>;
  deleteMetadata(ctx: VolumeContext, id: string, key: string): Promise<void>;
  missingKey(id: string, key: string): NotFound;
}

export function metadataRoutes(app: FastifyInstance, api: VolumeApi, base: string, ops: MetadataOps): void {
  app.get<IdParams>(`${base}/:id/metadata`, async (request, reply) => {
    const call = await begin(api, request, reply);
    return { metadata: await ops.metadata(call.ctx, request.params.id) };
  });
  for (const [method, replace] of [
    ['POST', false],
    ['PUT', true],
  ] as const) {
    app.route<MetadataBody>({
      method,
      url: `${base}/:id/metadata`,
      schema: { body: metadataBody },
      handler: async (request, reply) => {
        const call = await begin(api, request, reply);
        return { metadata: await ops.setMetadata(call.ctx, request.params.id, request.body.metadata, replace) };
      },
    });
  }
  app.get<KeyParams>(`${base}/:id/metadata/:key`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const value = (await ops.metadata(call.ctx, request.params.id))[request.params.key];
    if (value === undefined) throw ops.missingKey(request.params.id, request.params.key);
    return { meta: { [request.params.key]: value } };
  });
  app.put<MetaItemBody>(`${base}/:id/metadata/:key`, { schema: { body: metaItemBody } }, async (request, reply) => {
    const call = await begin(api, request, reply);
    const meta = request.body.meta;
    const keys = Object.keys(meta);
    if (keys.length !== 1) throw errors.metadataTooManyItems();
    if (keys[0] !== request.params.key) throw errors.bodyUriMismatch();
    await ops.setMetadata(call.ctx, request.params.id, meta, false);
    return { meta };
  });
  app.delete<KeyParams>(`${base}/:id/metadata/:key`, async (request, reply) => {
    const call = await begin(api, request, reply);
    await ops.deleteMetadata(call.ctx, request.params.id, request.params.key);
    return reply.code(200).send();
  });
}
