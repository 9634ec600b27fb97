/**
 * The dashboard's server side: serves the single-page app that `vite build`
 * wrote to dist/web under /dashboard, and sends a browser that opens the
 * port's root there. The app itself talks only to the public APIs with the
 * user's token, so nothing here knows any service.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const DASHBOARD_PREFIX = '/dashboard';

/**
 * Where the built app is: next to the bundle (dist/nimbus.mjs → dist/web) or,
 * for the unbundled modules the tests run, two folders up from this one.
 */
export function findBuiltDashboard(): string | null {
  const candidates = [new URL('./web/', import.meta.url), new URL('../../web/', import.meta.url)].map((url) => fileURLToPath(url));
  return candidates.find((dir) => existsSync(`${dir}index.html`)) ?? null;
}

function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

export async function mountDashboard(app: FastifyInstance, webRoot: string | null = findBuiltDashboard()): Promise<void> {
  // API clients asking the root keep the answer they had (there is no API at `/`); a browser goes to the console.
  app.get('/', async (request, reply) => (wantsHtml(request) ? reply.redirect(`${DASHBOARD_PREFIX}/`, 302) : reply.callNotFound()));
  if (webRoot === null) {
    // A source checkout whose web build has not run: say so rather than serve nothing.
    app.get(`${DASHBOARD_PREFIX}/*`, async (_request, reply) =>
      reply.code(503).type('text/plain').send('The dashboard is not built: run `npm run build` (it runs `vite build` over web/).'),
    );
    return;
  }
  await app.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root: webRoot,
      prefix: `${DASHBOARD_PREFIX}/`,
      wildcard: false,
      // Vite names every asset by its content hash: a browser may keep them for good; index.html is always revalidated.
      setHeaders(res, path) {
        res.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    // The app's own routes (/dashboard/instances, ...) are all index.html; the browser's router takes it from there.
    scope.get(`${DASHBOARD_PREFIX}/*`, async (request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      if (path.startsWith(`${DASHBOARD_PREFIX}/assets/`)) return reply.callNotFound();
      return reply.sendFile('index.html');
    });
  });
}
