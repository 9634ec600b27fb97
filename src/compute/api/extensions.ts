/** GET /extensions and /extensions/{alias}: Nova's fixed legacy list (extension-list.ts), at every microversion. */
import type { FastifyInstance } from 'fastify';
import { proxyErrors } from '../errors.js';
import { authorize } from '../service/access.js';
import { V21, type ComputeApi } from './context.js';
import { NOVA_EXTENSIONS } from './extension-list.js';

const EXTENSIONS = NOVA_EXTENSIONS.map(([alias, name, description]) => ({
  alias,
  name,
  description,
  links: [],
  namespace: 'http://docs.openstack.org/compute/ext/fake_xml',
  updated: '2014-12-03T00:00:00Z',
}));

export function extensionRoutes(app: FastifyInstance, api: ComputeApi): void {
  app.get(`${V21}/extensions`, async (request) => {
    authorize(api.ops.runtime.deps, await api.authenticate(request), 'os_compute_api:extensions');
    return { extensions: EXTENSIONS };
  });
  app.get<{ Params: { alias: string } }>(`${V21}/extensions/:alias`, async (request) => {
    authorize(api.ops.runtime.deps, await api.authenticate(request), 'os_compute_api:extensions');
    const extension = EXTENSIONS.find((e) => e.alias === request.params.alias);
    if (!extension) throw proxyErrors.extensionNotFound();
    return { extension };
  });
}
