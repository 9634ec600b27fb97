/** /os-keypairs: import or generate (type from 2.2), list (2.35 marker/limit), show, delete; user_id for admins from 2.10. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Microversion } from '../../core/microversions.js';
import { requestErrors } from '../errors.js';
import { atLeast } from '../microversion.js';
import type { Keypair } from '../store/index.js';
import { versionOf, V21, type ComputeApi } from './context.js';
import { withVersionedBody } from './schema.js';
import { createKeypair } from './schemas/keypairs.js';
import * as v from './validate.js';

function userOf(request: FastifyRequest, version: Microversion): string | undefined {
  return atLeast(version, '2.10') ? v.queryValue(request.query, 'user_id') : undefined;
}

function view(keypair: Keypair, version: Microversion, detail: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { name: keypair.name, public_key: keypair.public_key, fingerprint: keypair.fingerprint };
  if (atLeast(version, '2.2')) out.type = keypair.type;
  if (detail)
    Object.assign(out, {
      user_id: keypair.user_id,
      deleted: false,
      created_at: keypair.created_at.replace(/Z$/, ''),
      updated_at: null,
      deleted_at: null,
      id: keypair.id,
    });
  return out;
}

interface KeypairBody {
  keypair: { name: string; public_key?: string; type?: 'ssh' | 'x509'; user_id?: string };
}

export function keypairRoutes(app: FastifyInstance, api: ComputeApi): void {
  const { ops } = api;
  app.post<{ Body: KeypairBody }>(`${V21}/os-keypairs`, withVersionedBody(api, createKeypair), async (request, reply) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    const body = request.body.keypair;
    const created = await ops.keypairs.create(auth, {
      name: body.name,
      type: body.type ?? 'ssh',
      ...(body.public_key !== undefined ? { publicKey: body.public_key } : {}),
      ...(body.user_id !== undefined ? { userId: body.user_id } : {}),
    });
    const out: Record<string, unknown> = { name: created.name, public_key: created.public_key, fingerprint: created.fingerprint, user_id: created.user_id };
    if (atLeast(version, '2.2')) out.type = created.type;
    if (created.privateKey !== undefined) out.private_key = created.privateKey;
    return reply.code(atLeast(version, '2.2') ? 201 : 200).send({ keypair: out });
  });

  app.get(`${V21}/os-keypairs`, async (request) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    let keypairs = await ops.keypairs.list(auth, userOf(request, version));
    let links: Array<{ rel: string; href: string }> | undefined;
    if (atLeast(version, '2.35')) {
      const marker = v.queryValue(request.query, 'marker');
      if (marker !== undefined) {
        const at = keypairs.findIndex((k) => k.name === marker);
        if (at < 0) throw requestErrors.markerNotFound(marker);
        keypairs = keypairs.slice(at + 1);
      }
      const limit = v.queryInt(request.query, 'limit');
      if (limit !== undefined) {
        keypairs = keypairs.slice(0, limit);
        if (keypairs.length === limit && limit > 0) {
          const params = new URLSearchParams(request.query as Record<string, string>);
          params.set('marker', keypairs[keypairs.length - 1]!.name);
          links = [{ rel: 'next', href: `${api.root}${V21}/os-keypairs?${params.toString()}` }];
        }
      }
    }
    return { keypairs: keypairs.map((k) => ({ keypair: view(k, version, false) })), ...(links ? { keypairs_links: links } : {}) };
  });

  app.get<{ Params: { name: string } }>(`${V21}/os-keypairs/:name`, async (request) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    return { keypair: view(await ops.keypairs.get(auth, request.params.name, userOf(request, version)), version, true) };
  });

  app.delete<{ Params: { name: string } }>(`${V21}/os-keypairs/:name`, async (request, reply) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    await ops.keypairs.delete(auth, request.params.name, userOf(request, version));
    return reply.code(atLeast(version, '2.2') ? 204 : 202).send();
  });
}
