/**
 * GET /metrics: the text exposition format (0.0.4), which every Prometheus
 * scraper accepts. A client that accepts none of it gets 406; a method other
 * than GET or HEAD 405 with `Allow`; a scraper the access rule refuses 403.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { prometheusContentType } from 'prom-client';
import { scrapeRefusal } from './access.js';
import type { ExporterConfig } from './config.js';
import type { Scraper } from './scrape.js';

const TEXT = 'text/plain; charset=utf-8';

export function metricsRoutes(scope: FastifyInstance, scraper: Scraper, config: ExporterConfig): void {
  scope.get('/', async (request, reply) => {
    const refusal = scrapeRefusal(request, config);
    if (refusal !== null) return reply.code(403).type(TEXT).send(`${refusal}\n`);
    if (!acceptsText(request.headers.accept)) return reply.code(406).type(TEXT).send(`Metrics are served as ${prometheusContentType} only.\n`);
    return reply.type(prometheusContentType).send(await scraper.scrape());
  });
  scope.route({
    method: ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/',
    handler: async (_request: FastifyRequest, reply: FastifyReply) =>
      reply.code(405).header('allow', 'GET, HEAD').type(TEXT).send('Only GET and HEAD read the metrics.\n'),
  });
}

/** Whether the Accept header admits text/plain (absent: anything goes). */
function acceptsText(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) return false;
    return type === 'text/plain' || type === 'text/*' || type === '*/*';
  });
}
