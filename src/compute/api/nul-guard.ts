/**
 * No NUL character reaches the store (see core/http/nul.ts): an id, a query
 * value or any string of a body carrying U+0000 is refused here, once the
 * caller is authenticated (Nova validates after its auth middleware, so 401
 * still comes first). A
 * path id with NUL names nothing (404); a query or body value is 400.
 */
import type { FastifyRequest } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import { requestErrors } from '../errors.js';
import { firstStringWithNul } from '../../core/http/nul.js';

/** How much of a refused value the message repeats. */
const SHOWN = 255;

function refuseNul(request: FastifyRequest): void {
  if (firstStringWithNul(request.params)) throw requestErrors.resourceNotFound();
  const inQuery = firstStringWithNul(request.query);
  if (inQuery) throw requestErrors.nulInQuery(inQuery.field, JSON.stringify(inQuery.value.slice(0, SHOWN)));
  const inBody = firstStringWithNul(request.body);
  if (inBody) throw requestErrors.nulInBody(inBody.field, JSON.stringify(inBody.value.slice(0, SHOWN)));
}

/** `authenticate`, then the NUL check of the request: every compute route authenticates first, so every route is guarded. */
export function guardedAuthenticator(authenticate: (request: FastifyRequest) => Promise<CallerContext>): (request: FastifyRequest) => Promise<CallerContext> {
  return async (request) => {
    const auth = await authenticate(request);
    refuseNul(request);
    return auth;
  };
}
