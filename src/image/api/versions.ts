/**
 * Version discovery. `GET /image` answers 300 with the versions (Glance's
 * `Multiple Choices`), `GET /image/versions` 200 with the same document;
 * a path under no known version gets the 300 too, as Glance's version
 * negotiation does. The list is what a Glance with several stores enabled
 * (2.8-2.13) and no image cache (2.14, 2.16) offers, 2.15 being current.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ImageApi } from './context.js';

const CURRENT = '2.15';
const SUPPORTED = ['2.13', '2.12', '2.11', '2.10', '2.9', '2.8', '2.7', '2.6', '2.5', '2.4', '2.3', '2.2', '2.1', '2.0'];

export function versionsDocument(root: string): unknown {
  const href = `${root}/v2/`;
  const version = (id: string, status: string) => ({ id: `v${id}`, status, links: [{ rel: 'self', href }] });
  return { versions: [version(CURRENT, 'CURRENT'), ...SUPPORTED.map((id) => version(id, 'SUPPORTED'))] };
}

export function sendVersions(reply: FastifyReply, api: ImageApi, status: 200 | 300): FastifyReply {
  return reply.code(status).type('application/json').send(versionsDocument(api.root()));
}

export function versionRoutes(app: FastifyInstance, api: ImageApi): void {
  app.get('/', async (_request, reply) => sendVersions(reply, api, 300));
  app.get('/versions', async (_request, reply) => sendVersions(reply, api, 200));
}
