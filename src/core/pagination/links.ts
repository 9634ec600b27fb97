/**
 * Links to further pages, in the three shapes OpenStack clients follow.
 * Each keeps the request's other parameters (filters, sort, limit) and
 * replaces or adds only the marker, so following a link walks the same
 * listing. The URL given is the one the client should see: absolute for
 * Nova and Neutron (their hrefs are absolute), the path for Glance's.
 *
 * - Nova, Cinder: `servers_links: [{ rel: 'next', href }]` — `nextLinks`.
 * - Glance: `first` and `next` as paths, `/v2/images?marker=…` — `glanceLinks`.
 * - Neutron: `ports_links: [{ rel: 'next' }, { rel: 'previous' }]`, the
 *   previous page asked with `page_reverse=True` — `neutronLinks`.
 */
import type { Page } from './keyset.js';

export interface Link {
  rel: 'next' | 'previous';
  href: string;
}

const ABSOLUTE = /^[a-z][a-z\d+.-]*:/i;

/**
 * `url` with `changes` made to its query (a null removes the parameter),
 * every other parameter kept in place. A path stays a path.
 */
export function withQuery(url: string, changes: Readonly<Record<string, string | null>>): string {
  const parsed = new URL(url, 'http://relative.invalid');
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) parsed.searchParams.delete(name);
    else parsed.searchParams.set(name, value);
  }
  return ABSOLUTE.test(url) ? parsed.href : `${parsed.pathname}${parsed.search}`;
}

/** Nova's and Cinder's `<collection>_links`: empty on the last page, where they leave the key out. */
export function nextLinks(url: string, nextMarker: string | null): Link[] {
  return nextMarker === null ? [] : [{ rel: 'next', href: withQuery(url, { marker: nextMarker }) }];
}

/** Glance's `first` (always: the listing without a marker) and `next` (only when a page follows). */
export function glanceLinks(url: string, nextMarker: string | null): { first: string; next?: string } {
  const first = withQuery(url, { marker: null });
  return nextMarker === null ? { first } : { first, next: withQuery(url, { marker: nextMarker }) };
}

/** Neutron's `<collection>_links`: `next` walks forward, `previous` back with `page_reverse=True`. */
export function neutronLinks(url: string, page: Pick<Page<unknown>, 'nextMarker' | 'previousMarker'>): Link[] {
  const links: Link[] = [];
  if (page.nextMarker !== null) {
    links.push({ rel: 'next', href: withQuery(url, { marker: page.nextMarker, page_reverse: null }) });
  }
  if (page.previousMarker !== null) {
    links.push({ rel: 'previous', href: withQuery(url, { marker: page.previousMarker, page_reverse: 'True' }) });
  }
  return links;
}
