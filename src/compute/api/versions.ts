/** Version discovery: `/compute` lists v2.0 and v2.1, `/compute/v2.1` (and `/v2`) describes one. No token needed. */
import type { FastifyInstance } from 'fastify';
import { MAX_VERSION, MIN_VERSION } from '../microversion.js';
import type { ComputeApi } from './context.js';

function describe(api: ComputeApi, id: 'v2.0' | 'v2.1') {
  const v21 = id === 'v2.1';
  return {
    id,
    status: v21 ? 'CURRENT' : 'SUPPORTED',
    version: v21 ? MAX_VERSION : '',
    min_version: v21 ? MIN_VERSION : '',
    updated: v21 ? '2013-07-23T11:33:21Z' : '2011-01-21T11:33:21Z',
    links: [{ rel: 'self', href: `${api.root}/${v21 ? 'v2.1' : 'v2'}/` }],
  };
}

export function versionRoutes(app: FastifyInstance, api: ComputeApi): void {
  app.get('/', async () => ({ versions: [describe(api, 'v2.0'), describe(api, 'v2.1')] }));
  for (const [path, id] of [
    ['/v2.1', 'v2.1'],
    ['/v2', 'v2.0'],
  ] as const) {
    app.get(path, async () => {
      const version = describe(api, id);
      return {
        version: {
          ...version,
          links: [...version.links, { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' }],
          'media-types': [{ base: 'application/json', type: `application/vnd.openstack.compute+json;version=${id === 'v2.1' ? '2.1' : '2'}` }],
        },
      };
    });
  }
}
