/**
 * What Nova's proxy APIs share: the microversion after which each is gone
 * (404, as Nova's MAX_PROXY_API_SUPPORT_VERSION and the later cut-offs of
 * image metadata and the floating IP actions), and Neutron's errors as the
 * proxy words them.
 */
import type { FastifyRequest, RouteShorthandOptions } from 'fastify';
import { NimbusError } from '../../core/errors.js';
import { proxyErrors, requestErrors } from '../errors.js';
import { atLeast } from '../microversion.js';
import { versionOf, type ComputeApi } from './context.js';
import type { BodySchema } from './schema.js';

/** The microversion that removed the network, volume and image proxies. */
export const PROXIES_GONE = '2.36';

/** 404 from `gone` on, as Nova answers an API its microversion removed. */
export function proxyVersion(request: FastifyRequest, gone = PROXIES_GONE): void {
  if (atLeast(versionOf(request), gone)) throw requestErrors.resourceNotFound();
}

/** Neutron's errors as Nova's proxy maps them: 404 stays (or becomes `notFound()`), 409 becomes 400. */
export async function neutron<T>(fn: () => Promise<T>, notFound?: () => NimbusError): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof NimbusError && error.status === 404) throw notFound ? notFound() : proxyErrors.neutronNotFound(error.message);
    if (error instanceof NimbusError && error.status === 409) throw proxyErrors.neutronConflict(error.message);
    throw error;
  }
}

/** A peer's 404 as the proxy's own not-found answer; other errors pass. */
export async function orNotFound<T>(fn: () => Promise<T>, notFound: () => NimbusError): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof NimbusError && error.status === 404) throw notFound();
    throw error;
  }
}

/** Route options of a proxy with a body: authenticated, then gone from `gone` on, then the body checked (Nova routes no method above its range). */
export function proxyBody(api: ComputeApi, schema: BodySchema, gone = PROXIES_GONE): RouteShorthandOptions {
  return {
    schema: { body: schema },
    preValidation: async (request: FastifyRequest) => {
      await api.authenticate(request);
      proxyVersion(request, gone);
    },
  };
}
