/**
 * `/v2.0/network-ip-availabilities` (admin). Rendered by hand because the
 * totals are bigints: JSON carries them as exact integers, as Neutron's
 * Python does, where JSON.stringify would refuse them and a double would
 * round an IPv6 /64's 2^64 - 2 addresses.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { queryValues, type QueryInput } from '../../core/pagination/index.js';
import type { NetworkApi } from './context.js';
import { requestUrl } from './context.js';
import { listObjects, pick, selectedFields } from './listing.js';

/** JSON text with bigints written as plain integers. */
export function exactJson(value: unknown): string {
  // A fresh random marker per call, so no string in the data can look like one.
  const marker = randomUUID();
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${marker}${v.toString()}` : v));
  return text.replace(new RegExp(`"${marker}(\\d+)"`, 'g'), '$1');
}

function sendExact(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(exactJson(body));
}

export function ipAvailabilityRoutes(app: FastifyInstance, api: NetworkApi): void {
  app.get('/v2.0/network-ip-availabilities', async (request, reply) => {
    const auth = await api.authenticate(request);
    const query = new URL(request.url, 'http://localhost').searchParams;
    const all = await api.ops.ipAvailability.list(auth, queryValues(query, 'ip_version').map(Number));
    // ip_version applies to subnets, not to the network rows the generic filters see.
    query.delete('ip_version');
    const { items } = listObjects(all, query, requestUrl(api, request));
    return sendExact(reply, { network_ip_availabilities: items });
  });
  app.get<{ Params: { id: string } }>('/v2.0/network-ip-availabilities/:id', async (request, reply) => {
    const auth = await api.authenticate(request);
    const availability = await api.ops.ipAvailability.get(auth, request.params.id);
    return sendExact(reply, { network_ip_availability: pick(availability, selectedFields(request.query as QueryInput)) });
  });
}
