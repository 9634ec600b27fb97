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

/** How one kind of listing row looks in json and xml. */
interface RowFormat<Row> {
  /** The xml root element (`container` or `account`) and its row element. */
  root: string;
  element: string;
  json(row: Row): Record<string, unknown>;
  /** The row's fields in xml order. */
  xml(row: Row): Array<[string, string | number]>;
}

const OBJECT_ROWS: RowFormat<ObjectRow> = {
  root: 'container',
  element: 'object',
  json: (r) => ({ hash: r.etag, last_modified: listingDate(r.createdAt), bytes: r.size, name: r.name, content_type: r.contentType }),
  xml: (r) => [
    ['name', r.name],
    ['hash', r.etag],
    ['bytes', r.size],
    ['content_type', r.contentType],
    ['last_modified', listingDate(r.createdAt)],
  ],
};

const CONTAINER_ROWS: RowFormat<ContainerRow> = {
  root: 'account',
  element: 'container',
  json: (r) => ({ name: r.name, count: r.objectCount, bytes: r.bytesUsed, last_modified: listingDate(r.putTimestamp) }),
  xml: (r) => [
    ['name', r.name],
    ['count', r.objectCount],
    ['bytes', r.bytesUsed],
    ['last_modified', listingDate(r.putTimestamp)],
  ],
};

function renderListing<Row extends { name: string }>(entries: Array<Listed<Row>>, format: ListingFormat, rows: RowFormat<Row>, name: string): string {
  if (format === 'plain') return entries.map((e) => ('row' in e ? e.row.name : e.subdir)).join('\n') + (entries.length ? '\n' : '');
  if (format === 'json') return JSON.stringify(entries.map((e) => ('row' in e ? rows.json(e.row) : { subdir: e.subdir })));
  const items = entries.map((e) =>
    'row' in e
      ? `<${rows.element}>${rows
          .xml(e.row)
          .map(([k, v]) => `<${k}>${xmlEscape(String(v))}</${k}>`)
          .join('')}</${rows.element}>`
      : `<subdir name="${xmlEscape(e.subdir)}"><name>${xmlEscape(e.subdir)}</name></subdir>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${rows.root} name="${xmlEscape(name)}">${items.join('')}</${rows.root}>`;
}

export function renderObjectListing(entries: Array<Listed<ObjectRow>>, format: ListingFormat, container: string): string {
  return renderListing(entries, format, OBJECT_ROWS, container);
}

export function renderContainerListing(entries: Array<Listed<ContainerRow>>, format: ListingFormat, account: string): string {
  return renderListing(entries, format, CONTAINER_ROWS, account);
}

export const ACCOUNT_LISTING_LIMIT = LIMITS.account_listing_limit;
export const CONTAINER_LISTING_LIMIT = LIMITS.container_listing_limit;
