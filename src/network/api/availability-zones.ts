/**
 * `/v2.0/availability_zones`: Nimbus networks and routers live in one zone,
 * `nova`, as DevStack's do (Neutron lists a zone per agent type).
 */
import type { FastifyInstance } from 'fastify';
import type { QueryInput } from '../../core/pagination/index.js';
import type { NetworkApi } from './context.js';
import { requestUrl } from './context.js';
import { listObjects } from './listing.js';

export function availabilityZoneRoutes(app: FastifyInstance, api: NetworkApi): void {
  app.get('/v2.0/availability_zones', async (request) => {
    await api.authenticate(request);
    const zones = ['network', 'router'].map((resource) => ({ id: `nova-${resource}`, name: 'nova', resource, state: 'available' }));
    const { items } = listObjects(zones, request.query as QueryInput, requestUrl(api, request));
    return { availability_zones: items.map(({ id: _id, ...zone }) => zone) };
  });
}
