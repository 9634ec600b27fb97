/**
 * The Instances list's place, filter and order, all in the URL (bookmarkable; the back button undoes a change):
 * Nova's `name`, `sort_key`/`sort_dir`, `limit` and `marker`. Nova pages forward only, so the markers of the
 * pages before this one ride along in `trail`, and "Previous page" pops the last of them.
 */
import { useSearchParams } from 'react-router';

export const SORT_KEYS = [
  ['created_at', 'Created'],
  ['display_name', 'Name'],
  ['vm_state', 'Status'],
  ['updated_at', 'Updated'],
] as const;
export const PAGE_SIZES = [20, 50, 100] as const;
const DEFAULT_SORT_KEY = 'created_at';

export interface ServerListQuery {
  name: string;
  sortKey: string;
  sortDir: 'asc' | 'desc';
  limit: number;
  marker: string | null;
  trail: string[];
}

function read(params: URLSearchParams): ServerListQuery {
  const limit = Number(params.get('limit'));
  return {
    name: params.get('name') ?? '',
    sortKey: params.get('sort_key') ?? DEFAULT_SORT_KEY,
    sortDir: params.get('sort_dir') === 'asc' ? 'asc' : 'desc',
    limit: Number.isInteger(limit) && limit > 0 ? limit : PAGE_SIZES[0],
    marker: params.get('marker'),
    trail: (params.get('trail') ?? '').split(',').filter(Boolean),
  };
}

/** Only what differs from Nova's own defaults (newest first, a page of 20) goes in the URL, so plain links stay plain. */
function write(query: ServerListQuery): Record<string, string> {
  const params: Record<string, string> = {};
  if (query.name) params.name = query.name;
  if (query.sortKey !== DEFAULT_SORT_KEY) params.sort_key = query.sortKey;
  if (query.sortDir !== 'desc') params.sort_dir = query.sortDir;
  if (query.limit !== PAGE_SIZES[0]) params.limit = String(query.limit);
  if (query.marker) params.marker = query.marker;
  if (query.trail.length > 0) params.trail = query.trail.join(',');
  return params;
}

/** Nova's path for the page, and the moves: a new filter or order starts at the first page. */
export function useServerListQuery() {
  const [params, setParams] = useSearchParams();
  const query = read(params);
  const api = new URLSearchParams({ limit: String(query.limit), sort_key: query.sortKey, sort_dir: query.sortDir });
  // Nova matches `name` as a regular expression on the server: the page fetches only what it shows.
  if (query.name) api.set('name', query.name);
  if (query.marker) api.set('marker', query.marker);
  return {
    query,
    path: `/servers/detail?${api.toString()}`,
    reorder: (change: Pick<ServerListQuery, 'name' | 'sortKey' | 'sortDir' | 'limit'>) => setParams(write({ ...query, ...change, marker: null, trail: [] })),
    next: (marker: string) => setParams(write({ ...query, marker, trail: query.marker ? [...query.trail, query.marker] : query.trail })),
    previous: () => setParams(write({ ...query, marker: query.trail.at(-1) ?? null, trail: query.trail.slice(0, -1) })),
  };
}
