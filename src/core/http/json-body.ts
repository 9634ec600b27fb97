/**
 * Request bodies as every JSON service reads them: bounded in size before a
 * byte is buffered, bounded in nesting depth before anything walks them.
 *
 * Sizes: oslo.middleware's sizelimit (max_request_body_size, 112 KiB) sits in
 * front of Keystone, Nova and Cinder; Glance, Neutron and Placement have none
 * in their pipelines but no API of theirs takes a JSON body near 1 MiB. A
 * service narrows or widens its own limit with `limitJsonBodies`; a larger
 * body is refused with 413 from its Content-Length, before it is read.
 *
 * Depth: V8's JSON.parse copes with deep nesting, but everything that walks the
 * result afterwards (schema validation, policy targets, renderers) recurses, so
 * a 5,000-level body once overflowed the stack on 64 routes. The text is
 * scanned first, in one pass that allocates nothing.
 */
import type { FastifyInstance } from 'fastify';
import { BadRequest } from '../errors.js';

/** The body limit of a JSON route unless its service says otherwise. */
export const DEFAULT_JSON_BODY_LIMIT = 1024 * 1024;

/** oslo.middleware sizelimit's default max_request_body_size. */
export const OSLO_MAX_REQUEST_BODY_SIZE = 114_688;

/**
 * Deeper than any OpenStack request body (Heat templates, the deepest, stay
 * well under 20 in practice); Python's own JSON decoder stops near 1,000.
 */
export const MAX_JSON_DEPTH = 64;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Parses a request body; empty means no body. Malformed or too deep: 400,
 * with the service's own wording for malformed JSON where it has one.
 */
export function parseJsonBody(text: string, malformedMessage = 'Malformed request body: the body is not valid JSON.'): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (nestingDepthExceeds(trimmed, MAX_JSON_DEPTH)) {
    throw new BadRequest(`Malformed request body: JSON nested deeper than ${MAX_JSON_DEPTH} levels.`);
  }
  try {
    return JSON.parse(trimmed);
  } catch {
    throw new BadRequest(malformedMessage);
  }
}

/** True when brackets outside strings nest deeper than `maxDepth`. */
export function nestingDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/**
 * Sets the body limit of every route the scope (a service's plugin) declares
 * after this call, unless a route sets its own.
 */
export function limitJsonBodies(scope: FastifyInstance, bytes: number): void {
  scope.addHook('onRoute', (route) => {
    route.bodyLimit ??= bytes;
  });
}
