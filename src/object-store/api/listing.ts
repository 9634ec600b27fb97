/**
 * Listing requests and bodies: the query (prefix, delimiter, marker,
 * end_marker, limit, reverse, path) and the three formats Swift serves
 * (`format=json|xml|plain`, or the Accept header).
 */
import { BadRequest, PreconditionFailed } from '../../core/errors.js';
import { LIMITS } from '../proxy/constraints.js';
import { listingDate } from '../proxy/timestamp.js';
import type { ContainerRow, Listed, ListingQuery, ObjectRow } from '../storage/contract.js';
import { queryFlag, type SwiftRequest } from './request.js';

export type ListingFormat = 'json' | 'xml' | 'plain';

export function listingFormat(req: SwiftRequest): ListingFormat {
  const format = req.query.get('format')?.toLowerCase();
  if (format === 'json' || format === 'xml' || format === 'plain') return format;
  const accept = req.headers.accept ?? '';
  if (/application\/json/.test(accept)) return 'json';
  if (/(application|text)\/xml/.test(accept)) return 'xml';
  return 'plain';
}

export const CONTENT_TYPES: Record<ListingFormat, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  plain: 'text/plain; charset=utf-8',
};

/** The listing query; `path` is Swift's shorthand for the objects directly under a pseudo-directory. */
export function listingQuery(req: SwiftRequest, maxLimit: number): ListingQuery & { path: string | null } {
  const text = (name: string) => req.query.get(name) ?? '';
  const limitText = req.query.get('limit');
  let limit = maxLimit;
  if (limitText !== null) {
    if (!/^\d+$/.test(limitText)) throw new PreconditionFailed(`Value of limit must be a positive integer`);
    limit = Number(limitText);
    if (limit > maxLimit) throw new PreconditionFailed(`Maximum limit is ${maxLimit}`);
  }
  const delimiter = req.query.get('delimiter');
  if (delimiter !== null && delimiter.length > 1) throw new PreconditionFailed('Bad delimiter');
  const path = req.query.get('path');
  const query = {
    prefix: text('prefix'),
    delimiter: delimiter === '' ? null : delimiter,
    marker: text('marker'),
    endMarker: text('end_marker'),
    limit,
    reverse: queryFlag(req.query, 'reverse'),
    path,
  };
  if (path !== null) {
    query.prefix = path === '' || path.endsWith('/') ? path : `${path}/`;
    query.delimiter = '/';
  }
  for (const value of [query.prefix, query.marker, query.endMarker]) if (value.includes('\0')) throw new BadRequest('Invalid UTF8 or contains NULL');
  return query;
}

function xmlEscape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

export function renderObjectListing(entries: Array<Listed<ObjectRow>>, format: ListingFormat, container: string): string {
  if (format === 'plain') return entries.map((e) => ('row' in e ? e.row.name : e.subdir)).join('\n') + (entries.length ? '\n' : '');
  if (format === 'json') {
    return JSON.stringify(
      entries.map((e) =>
        'row' in e
          ? { hash: e.row.etag, last_modified: listingDate(e.row.createdAt), bytes: e.row.size, name: e.row.name, content_type: e.row.contentType }
          : { subdir: e.subdir },
      ),
    );
  }
  const items = entries.map((e) =>
    'row' in e
      ? `<object><name>${xmlEscape(e.row.name)}</name><hash>${e.row.etag}</hash><bytes>${e.row.size}</bytes>` +
        `<content_type>${xmlEscape(e.row.contentType)}</content_type><last_modified>${listingDate(e.row.createdAt)}</last_modified></object>`
      : `<subdir name="${xmlEscape(e.subdir)}"><name>${xmlEscape(e.subdir)}</name></subdir>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<container name="${xmlEscape(container)}">${items.join('')}</container>`;
}

export function renderContainerListing(entries: Array<Listed<ContainerRow>>, format: ListingFormat, account: string): string {
  if (format === 'plain') return entries.map((e) => ('row' in e ? e.row.name : e.subdir)).join('\n') + (entries.length ? '\n' : '');
  if (format === 'json') {
    return JSON.stringify(
      entries.map((e) =>
        'row' in e
          ? { name: e.row.name, count: e.row.objectCount, bytes: e.row.bytesUsed, last_modified: listingDate(e.row.putTimestamp) }
          : { subdir: e.subdir },
      ),
    );
  }
  const items = entries.map((e) =>
    'row' in e
      ? `<container><name>${xmlEscape(e.row.name)}</name><count>${e.row.objectCount}</count><bytes>${e.row.bytesUsed}</bytes>` +
        `<last_modified>${listingDate(e.row.putTimestamp)}</last_modified></container>`
      : `<subdir name="${xmlEscape(e.subdir)}"><name>${xmlEscape(e.subdir)}</name></subdir>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<account name="${xmlEscape(account)}">${items.join('')}</account>`;
}

export const ACCOUNT_LISTING_LIMIT = LIMITS.account_listing_limit;
export const CONTAINER_LISTING_LIMIT = LIMITS.container_listing_limit;
