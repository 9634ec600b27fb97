/** /os-keypairs: import or generate (type from 2.2), list (2.35 marker/limit), show, delete; user_id for admins from 2.10. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequest } from '../../core/errors.js';
import type { Microversion } from '../../core/microversions.js';
import { atLeast } from '../microversion.js';
import type { Keypair } from '../store/index.js';
import { versionOf, V21, type ComputeApi } from './context.js';
import * as v from './validate.js';

const NAME = /^[a-zA-Z0-9 _-]+$/;

function userOf(request: FastifyRequest, version: Microversion): string | undefined {
  return atLeast(version, '2.10') ? v.queryValue(request.query, 'user_id') : undefined;
}

function view(keypair: Keypair, version: Microversion, detail: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { name: keypair.name, public_key: keypair.public_key, fingerprint: keypair.fingerprint };
  if (atLeast(version, '2.2')) out.type = keypair.type;
  if (detail) Object.assign(out, { user_id: keypair.user_id, deleted: false, created_at: keypair.created_at.replace(/Z$/, ''), updated_at: null, deleted_at: null, id: keypair.id });
  return out;
}

/** Nova keeps a public key in a TEXT column (nova/db/api/models.py): 65535 bytes at most. */
const MAX_PUBLIC_KEY = 65535;

export function keypairRoutes(app: FastifyInstance, api: ComputeApi): void {
  const { ops } = api;
  app.post(`${V21}/os-keypairs`, async (request, reply) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    const body = v.envelope(request.body, 'keypair');
    const allowed = ['name', 'public_key'];
    if (atLeast(version, '2.2')) allowed.push('type');
    if (atLeast(version, '2.10')) allowed.push('user_id');
    v.onlyKeys(body, allowed, 'keypair');
    const name = v.string(body.name, 'name', { min: 1, max: 255 });
    if (!atLeast(version, '2.92') && !NAME.test(name)) {
      throw new BadRequest('Keypair data is invalid: Keypair name contains unsafe characters');
    }
    const type = body.type === undefined ? 'ssh' : v.string(body.type, 'type');
    if (type !== 'ssh' && type !== 'x509') throw v.invalid('type', type, "is not one of ['ssh', 'x509']");
    const created = await ops.keypairs.create(auth, {
      name,
      type,
      ...(body.public_key !== undefined ? { publicKey: v.string(body.public_key, 'public_key', { min: 1, max: MAX_PUBLIC_KEY }) } : {}),
      ...(body.user_id !== undefined ? { userId: v.string(body.user_id, 'user_id', { min: 1 }) } : {}),
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
        if (at < 0) throw new BadRequest(`marker [${marker}] not found`);
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
