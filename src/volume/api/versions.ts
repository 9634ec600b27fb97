/** Version discovery: `/volume/` lists v3 (300 Multiple Choices, as Cinder), `/volume/v3/` describes it. Both need no token. */
import type { FastifyInstance } from 'fastify';
import { formatMicroversion } from '../../core/microversions.js';
import { MICROVERSIONS, type VolumeApi } from './context.js';

export function versionRoutes(app: FastifyInstance, api: VolumeApi): void {
  const version = () => ({
    id: 'v3.0',
    status: 'CURRENT',
    version: formatMicroversion(MICROVERSIONS.max),
    min_version: formatMicroversion(MICROVERSIONS.min),
    updated: '2023-01-01T00:00:00Z',
    links: [
      { href: `${api.root()}/v3/`, rel: 'self' },
      { href: 'https://docs.openstack.org/', type: 'text/html', rel: 'describedby' },
    ],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.volume+json;version=3' }],
  });
  app.get('/', async (_request, reply) => reply.code(300).send({ versions: [version()] }));
  app.get('/v3', async () => ({ versions: [version()] }));
}
