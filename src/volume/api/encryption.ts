/** `/v3/{project_id}/types/{type_id}/encryption`: a volume type's encryption specs (admin only). */
import type { FastifyInstance } from 'fastify';
import { notFound } from '../errors.js';
import type { EncryptionSpecs } from '../service/encryption.js';
import type { TypeEncryption } from '../store/index.js';
import { begin, type VolumeApi } from './context.js';
import { encryptionCreate, encryptionUpdate } from './schemas.js';
import { cinderTime } from './views.js';

type TypeParams = { Params: { project_id: string; type_id: string } };
type KeyParams = { Params: { project_id: string; type_id: string; key: string } };
/** The body as sent: Cinder lets unknown keys through and answers with what it was given. */
type SpecsBody = { Body: { encryption: Omit<EncryptionSpecs, 'key_size'> & { key_size?: number | string | null } & Record<string, unknown> } };

/** Every column of the row, soft-delete ones included, as Cinder's index returns its database row. */
function encryptionView(row: TypeEncryption | null) {
  if (row === null) return {};
  return {
    volume_type_id: row.volume_type_id,
    encryption_id: row.encryption_id,
    provider: row.provider,
    cipher: row.cipher,
    key_size: row.key_size,
    control_location: row.control_location,
    created_at: cinderTime(row.created_at),
    updated_at: cinderTime(row.updated_at),
    deleted: false,
    deleted_at: null,
  };
}

/** The body with `key_size` made a number, as Cinder converts it before storing and echoing. */
function normalized(body: SpecsBody['Body']['encryption']) {
  const keySize = body.key_size;
  return { ...body, ...(keySize === undefined ? {} : { key_size: keySize === null ? null : Number(keySize) }) } as EncryptionSpecs & Record<string, unknown>;
}

export function encryptionRoutes(app: FastifyInstance, api: VolumeApi): void {
  const { encryption } = api.ops;
  const base = '/v3/:project_id/types/:type_id/encryption';

  app.get<TypeParams>(base, async (request, reply) => {
    const call = await begin(api, request, reply);
    return encryptionView(await encryption.get(call.ctx, request.params.type_id));
  });

  app.post<TypeParams & SpecsBody>(base, { schema: { body: encryptionCreate } }, async (request, reply) => {
    const call = await begin(api, request, reply);
    const specs = normalized(request.body.encryption);
    const row = await encryption.create(call.ctx, request.params.type_id, specs);
    return { encryption: { ...specs, volume_type_id: row.volume_type_id, encryption_id: row.encryption_id } };
  });

  app.get<KeyParams>(`${base}/:key`, async (request, reply) => {
    const call = await begin(api, request, reply);
    const view: Record<string, unknown> = encryptionView(await encryption.get(call.ctx, request.params.type_id));
    if (!(request.params.key in view)) throw notFound.typeEncryption(request.params.type_id);
    return { [request.params.key]: view[request.params.key] };
  });

  app.put<KeyParams & SpecsBody>(`${base}/:key`, { schema: { body: encryptionUpdate } }, async (request, reply) => {
    const call = await begin(api, request, reply);
    const specs = normalized(request.body.encryption);
    const { provider, cipher, key_size, control_location } = specs;
    await encryption.update(call.ctx, request.params.type_id, { provider, cipher, key_size, control_location });
    return { encryption: specs };
  });

  app.delete<KeyParams>(`${base}/:key`, async (request, reply) => {
    const call = await begin(api, request, reply);
    await encryption.delete(call.ctx, request.params.type_id);
    return reply.code(202).send();
  });
}
