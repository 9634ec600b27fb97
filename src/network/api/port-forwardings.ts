/** `/v2.0/floatingips/{id}/port_forwardings`: a floating IP's port forwardings. */
import type { FastifyInstance } from 'fastify';
import { errors } from '../errors.js';
import type { QueryInput } from '../../core/pagination/index.js';
import { createEnvelope, updateEnvelope } from '../service/body-schemas.js';
import { PF_ATTRS, UNFILTERABLE } from '../service/port-forwardings.js';
import { requestUrl, type NetworkApi } from './context.js';
import { listObjects, pick, selectedFields } from './listing.js';

type FipParams = { Params: { fip: string } };
type ItemParams = { Params: { fip: string; id: string } };

/** The port forwarding in a body its route schema accepted. */
const body = (raw: unknown): unknown => (raw as { port_forwarding: unknown }).port_forwarding;

export function portForwardingRoutes(app: FastifyInstance, api: NetworkApi): void {
  const ops = api.ops.portForwardings;
  const base = '/v2.0/floatingips/:fip/port_forwardings';
  app.post<FipParams>(base, { schema: { body: createEnvelope('port_forwarding', PF_ATTRS) } }, async (request, reply) =>
    reply.code(201).send({ port_forwarding: await ops.create(await api.authenticate(request), request.params.fip, body(request.body)) }),
  );
  app.get<FipParams>(base, async (request) => {
    const auth = await api.authenticate(request);
    const query = request.query as QueryInput;
    const refused = UNFILTERABLE.find((f) => f in (query as Record<string, unknown>));
    if (refused) throw errors.portForwardingFilterNotSupported(refused);
    const { items, links } = listObjects(await ops.list(auth, request.params.fip), query, requestUrl(api, request));
    return links.length > 0 ? { port_forwardings: items, port_forwardings_links: links } : { port_forwardings: items };
  });
  app.get<ItemParams>(`${base}/:id`, async (request) => ({
    port_forwarding: pick(await ops.get(await api.authenticate(request), request.params.fip, request.params.id), selectedFields(request.query as QueryInput)),
  }));
  app.put<ItemParams>(`${base}/:id`, { schema: { body: updateEnvelope('port_forwarding', PF_ATTRS) } }, async (request) => ({
    port_forwarding: await ops.update(await api.authenticate(request), request.params.fip, request.params.id, body(request.body)),
  }));
  app.delete<ItemParams>(`${base}/:id`, async (request, reply) => {
    await ops.delete(await api.authenticate(request), request.params.fip, request.params.id);
    return reply.code(204).send();
  });
}
