/**
 * Reads `X-Auth-Token` and turns it into the request's CallerContext (with the
 * request's id), or throws Unauthorized, which the service's own error handler renders.
 */
import type { FastifyRequest } from 'fastify';
import type { CallerContext } from '../context.js';
import { ServiceUnavailable, Unauthorized } from '../errors.js';
import type { Authenticator } from '../service-module.js';

export const AUTH_REQUIRED_MESSAGE = 'The request you have made requires authentication.';

/** The token a request presents (X-Auth-Token, or Swift's X-Storage-Token), if any. */
export function requestToken(request: FastifyRequest): string | undefined {
  const header = request.headers['x-auth-token'] ?? request.headers['x-storage-token'];
  return Array.isArray(header) ? header[0] : header;
}

export async function authenticateRequest(request: FastifyRequest, authenticator: Authenticator): Promise<CallerContext> {
  const token = requestToken(request);
  if (!token) throw new Unauthorized(AUTH_REQUIRED_MESSAGE);
  // A copy: the authenticator may hand the same cached context to concurrent requests.
  return { ...(await authenticator.authenticate(token)), requestId: request.id };
}

/**
 * A service API's `authenticate(request)`: reads the server's authenticator at
 * request time, as identity may be initialised after the service was built.
 * One validation per request: a route that authenticates before its body
 * schema is checked (so 401 comes before 400, as behind the real services'
 * auth middleware) and its handler asking again share the answer.
 */
export function requestAuthenticator(deps: { authenticator: Authenticator | null }): (request: FastifyRequest) => Promise<CallerContext> {
  const callers = new WeakMap<FastifyRequest, Promise<CallerContext>>();
  return (request) => {
    let caller = callers.get(request);
    if (!caller) {
      caller = deps.authenticator
        ? authenticateRequest(request, deps.authenticator)
        : Promise.reject(new ServiceUnavailable('Identity is not available to validate the token.'));
      callers.set(request, caller);
    }
    return caller;
  };
}
