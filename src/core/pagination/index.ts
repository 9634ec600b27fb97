/**
 * OpenStack list conventions shared by every service: parse `limit`,
 * `marker`, sort keys and filters in api/, page with a keyset in store/,
 * render next/previous links in api/.
 */
export { queryValues, querySingle, type QueryInput } from './query.js';
export { parseListParams, type ListParams, type ListSpec, type SortDir, type SortKey } from './params.js';
export { paginate, type KeysetOptions, type Page } from './keyset.js';
export { applyFilters, parseFilters, type Filter, type FilterField, type FilterKind, type FilterOp, type FilterSpec, type FilterValue } from './filters.js';
export { glanceLinks, neutronLinks, nextLinks, withQuery, type Link } from './links.js';
