/** `GET /v2.0/service-providers` (service-type extension): filters, sorting, paging and `fields=` as every Neutron list. */
import type { FastifyInstance } from 'fastify';
import type { QueryInput } from '../../core/pagination/index.js';
import { requestUrl, type NetworkApi } from './context.js';
import { listObjects } from './listing.js';

export function serviceProviderRoutes(app: FastifyInstance, api: NetworkApi): void {
  app.get('/v2.0/service-providers', async (request) => {
    const auth = await api.authenticate(request);
    const { items, links } = listObjects(api.ops.serviceProviders.list(auth), request.query as QueryInput, requestUrl(api, request));
    return links.length > 0 ? { service_providers: items, service_providers_links: links } : { service_providers: items };
  });
}
