/**
 * Swift's proxy answers with Title-Case header names (`X-Object-Meta-Color`,
 * `X-Container-Object-Count`, `Etag`), and clients depend on it: openstacksdk
 * picks an object's metadata out of the response by the `X-Object-Meta-`
 * prefix, case-sensitively. Fastify keeps header names lower-case, so as an
 * answer leaves, its headers move to Node's response, which writes names as
 * given. Content-Length stays with Fastify, which computes it for the payload
 * (and must keep a HEAD answer's own).
 */
import type { FastifyReply } from 'fastify';

export function titleCaseHeaders(reply: FastifyReply): void {
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (name === 'content-length' || value === undefined) continue;
    reply.removeHeader(name);
    reply.raw.setHeader(titleCase(name), value);
  }
}

/** `x-object-meta-color` → `X-Object-Meta-Color`, as Swift's swob names them. */
export function titleCase(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
    .join('-');
}
