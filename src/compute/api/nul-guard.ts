/**
 * No NUL character reaches the store: PostgreSQL's text and jsonb cannot
 * hold one (SQLite would keep it), so an id, a query value or any string of
 * a body carrying U+0000 is refused here, once the caller is authenticated
 * (Nova validates after its auth middleware, so 401 still comes first). A
 * path id with NUL names nothing (404); a query or body value is 400.
 */
import type { FastifyRequest } from 'fastify';
import type { AuthContext } from '../../core/context.js';
import { BadRequest, NotFound } from '../../core/errors.js';

const NUL = '\u0000';
/** How much of a refused value the message repeats. */
const SHOWN = 255;

/** The first string (a key or a value) of `root` with NUL, and the field it belongs to; iterative, so depth costs no stack. */
function firstWithNul(root: unknown): { field: string; value: string } | null {
  const pending: Array<[string, unknown]> = [['body', root]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [field, value] = next;
    if (typeof value === 'string') {
      if (value.includes(NUL)) return { field, value };
    } else if (Array.isArray(value)) {
      for (const item of value) pending.push([field, item]);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes(NUL)) return { field, value: key };
        pending.push([key, item]);
      }
    }
  }
  return null;
}

function refuseNul(request: FastifyRequest): void {
  for (const value of Object.values((request.params ?? {}) as Record<string, unknown>)) {
    if (typeof value === 'string' && value.includes(NUL)) throw new NotFound('The resource could not be found.');
  }
  const inQuery = firstWithNul(request.query);
  if (inQuery) throw new BadRequest(`Invalid input for query parameters ${inQuery.field}. Value: ${JSON.stringify(inQuery.value.slice(0, SHOWN))}. NUL characters are not allowed.`);
  const inBody = firstWithNul(request.body);
  if (inBody) throw new BadRequest(`Invalid input for field/attribute ${inBody.field}. Value: ${JSON.stringify(inBody.value.slice(0, SHOWN))}. NUL characters are not allowed.`);
}

/** `authenticate`, then the NUL check of the request: every compute route authenticates first, so every route is guarded. */
export function guardedAuthenticator(authenticate: (request: FastifyRequest) => Promise<AuthContext>): (request: FastifyRequest) => Promise<AuthContext> {
  return async (request) => {
    const auth = await authenticate(request);
    refuseNul(request);
    return auth;
  };
}
