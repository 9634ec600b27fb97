/** Gnocchi's query arguments: booleans as oslo's strict bool_from_string, pagination as get_pagination_options. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { argumentError, errors } from '../errors.js';

export type Query = Record<string, string | string[] | undefined>;

export function queryOf(request: FastifyRequest): Query {
  return (request.query ?? {}) as Query;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

export function boolParam(query: Query, name: string): boolean {
  const value = first(query[name]);
  if (value === undefined) return false;
  const text = value.trim().toLowerCase();
  if (['1', 't', 'true', 'on', 'y', 'yes'].includes(text)) return true;
  if (['0', 'f', 'false', 'off', 'n', 'no'].includes(text)) return false;
  throw errors.badRequest(
    `Unable to parse \`${name}': Unrecognized value '${value}', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'`,
  );
}

export interface Pagination {
  limit: number;
  marker: string | null;
  sort: string[];
}

export function paginationParams(query: Query, maxLimit: number): Pagination {
  let limit = maxLimit;
  const rawLimit = first(query.limit);
  if (rawLimit !== undefined) {
    if (!/^\s*[+-]?\d+\s*$/.test(rawLimit)) throw argumentError(`invalid literal for int() with base 10: '${rawLimit}' for dictionary value @ data['limit']`);
    limit = Number(rawLimit);
    if (limit < 1) throw argumentError("value must be at least 1 for dictionary value @ data['limit']");
    limit = Math.min(limit, maxLimit);
  }
  const sort = query.sort === undefined ? [] : Array.isArray(query.sort) ? query.sort : [query.sort];
  return { limit, marker: first(query.marker) ?? null, sort };
}

/** RFC 5988 `Link: <...>; rel="next"` when the page is full, as Gnocchi sets it. */
export function setNextLink(request: FastifyRequest, reply: FastifyReply, base: string, page: Pagination, count: number, marker: string | undefined): void {
  if (marker === undefined || count < page.limit) return;
  const query = queryOf(request);
  const options: [string, string][] = [];
  for (const [key, value] of Object.entries(query)) {
    if (key === 'marker' || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) options.push([key, item]);
  }
  if (query.limit === undefined) options.push(['limit', String(page.limit)]);
  options.push(['marker', marker]);
  options.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const path = request.url.split('?')[0] as string;
  reply.header('link', `<${base}${path}?${new URLSearchParams(options).toString()}>; rel="next"`);
}
