/**
 * Gnocchi's wire habits that hold for every route of the service: request
 * bodies must be JSON (415 for a body or a declared type that is not, as its `deserialize` answers once the
 * route is found, so a wrong method still gets its 405), a known path asked
 * with a method it does not serve is 405 (not 404), an Accept that rules
 * out JSON is 406, and response JSON
 * (typed `application/json`, no charset)
 * is spaced as Python's `json.dumps` spaces it (`{"id": "x", "a": [1, 2]}`),
 * which clients matching strings in a body (gabbi's `response_strings`) rely on.
 */
import type { FastifyInstance } from 'fastify';
import { MethodNotAllowed, UnsupportedMediaType } from '../../core/errors.js';

const WITH_BODY = new Set(['POST', 'PATCH', 'PUT']);
/** A resource type's PATCH is a JSON patch; every other body is plain JSON. */
const JSON_TYPES = new Set(['application/json', 'application/json-patch+json']);

export function installGnocchiWire(scope: FastifyInstance): void {
  const routes: Array<{ path: RegExp; methods: string[] }> = [];
  scope.addHook('onRoute', (route) => {
    const methods = [route.method].flat().filter((method) => method !== 'HEAD');
    routes.push({
      path: new RegExp(
        `^${route.url
          .replace(/\/+$/, '')
          .replace(/:[^/]+/g, '[^/]+')
          .replace(/\*/g, '.*')}/?$`,
      ),
      methods,
    });
  });
  scope.addHook('preValidation', async (request, reply) => {
    if (!acceptsJson(request.headers.accept)) {
      // Refused before Gnocchi's own error rendering, in the plain text the client asked for, as pecan does.
      return reply.code(406).type('text/plain').send('406 Not Acceptable\n\nThe resource could not be generated that was acceptable to your request.\n');
    }
    if (request.is404) {
      // A path Gnocchi serves with other methods is its 405, not a 404.
      const path = request.url.split('?')[0]!;
      const allowed = routes.filter((route) => route.path.test(path)).flatMap((route) => route.methods);
      if (allowed.length > 0)
        throw new MethodNotAllowed(`The method ${request.method} is not allowed for this resource.`, { headers: { allow: [...new Set(allowed)].join(', ') } });
      return;
    }
    if (!WITH_BODY.has(request.method)) return;
    const declared = request.headers['content-type'];
    // No body and no type: nothing to deserialize (a search given by `?filter=`); the route judges what is missing.
    const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
    if (declared === undefined && !hasBody) return;
    const mediaType = (declared ?? '').split(';')[0]!.trim().toLowerCase();
    if (!JSON_TYPES.has(mediaType)) throw new UnsupportedMediaType(`The request media type ${mediaType || 'None'} is not supported by this server.`);
  });
  scope.setReplySerializer((payload) => pythonJson(payload));
  // Gnocchi names JSON bodies `application/json`, with no charset (clients compare the header whole).
  scope.addHook('onSend', async (_request, reply, payload) => {
    if (reply.getHeader('content-type') === 'application/json; charset=utf-8') reply.header('content-type', 'application/json');
    return payload;
  });
}

/** JSON with Python's default separators (", " and ": "); otherwise what JSON.stringify writes. */
export function pythonJson(value: unknown): string {
  if (value !== null && typeof value === 'object' && 'toJSON' in value && typeof value.toJSON === 'function') return pythonJson(value.toJSON());
  if (Array.isArray(value)) return `[${value.map((item) => pythonJson(item)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).filter(([, member]) => member !== undefined && typeof member !== 'function');
    return `{${members.map(([key, member]) => `${JSON.stringify(key)}: ${pythonJson(member)}`).join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Whether an Accept header lets the answer be JSON (absent, or naming it, `application/*` or `*\/*` with a non-zero q). */
function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((entry) => {
    const [range, ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
    const q = params.find((param) => param.startsWith('q='));
    return ['application/json', 'application/*', '*/*'].includes(range ?? '') && (q === undefined || Number(q.slice(2)) > 0);
  });
}
