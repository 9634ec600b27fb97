/**
 * `GET /v2/images` parameters, as Glance's deserializer reads them: paging
 * and both sort syntaxes, `member_status`, `visibility`, repeatable `tag`,
 * column filters with operators, `<column>_min`/`_max` ranges, `os_hidden`
 * (false unless asked), and any other parameter as an exact match on the
 * extra property of that name.
 */
import { parseFilters, parseListParams, queryValues, type Filter, type QueryInput } from '../../core/pagination/index.js';
import type { ImageListRequest, ImageOptions } from '../service/index.js';
import { IMAGE_FILTERS, IMAGE_SORT_KEYS, type MemberStatus, type Visibility } from '../store/index.js';
import { imageErrors } from '../errors.js';

const RANGE_COLUMNS = ['size', 'virtual_size', 'min_ram', 'min_disk'] as const;
const PAGING = ['limit', 'marker', 'sort', 'sort_key', 'sort_dir', 'member_status', 'visibility', 'tag'];
const NOT_PROPERTIES = new Set([...PAGING, ...Object.keys(IMAGE_FILTERS), ...RANGE_COLUMNS.flatMap((c) => [`${c}_min`, `${c}_max`])]);

export function parseImageListQuery(query: QueryInput, options: ImageOptions): ImageListRequest {
  if (queryValues(query, 'changes-since').length > 0) throw imageErrors.changesSinceGone();
  const params = parseListParams(query, {
    sortKeys: IMAGE_SORT_KEYS,
    defaultSort: [{ key: 'created_at', dir: 'desc' }],
    maxLimit: options.apiLimitMax,
    defaultLimit: options.limitParamDefault,
  });
  // Glance completes the order with created_at and id, in the first direction asked.
  const dir = params.sort[0]?.dir ?? 'desc';
  for (const key of ['created_at', 'id'] as const) {
    if (!params.sort.some((s) => s.key === key)) params.sort.push({ key, dir });
  }

  const memberStatus = last(query, 'member_status') ?? 'accepted';
  if (!['pending', 'accepted', 'rejected', 'all'].includes(memberStatus)) throw imageErrors.memberStatusFilterInvalid(memberStatus);
  const visibility = last(query, 'visibility') ?? null;
  if (visibility !== null && !['community', 'public', 'private', 'shared', 'all'].includes(visibility)) {
    throw imageErrors.visibilityFilterInvalid(visibility);
  }
  for (const name of ['os_hidden', 'protected']) {
    const value = last(query, name);
    if (value !== undefined && !['true', 'false'].includes(value.toLowerCase())) {
      throw imageErrors.booleanFilterInvalid(name, value);
    }
  }

  const filters: Filter[] = parseFilters(query, IMAGE_FILTERS);
  if (last(query, 'os_hidden') === undefined) filters.push({ field: 'os_hidden', op: 'eq', values: [false] });
  for (const column of RANGE_COLUMNS) {
    for (const [suffix, op] of [
      ['_min', 'gte'],
      ['_max', 'lte'],
    ] as const) {
      const value = last(query, column + suffix);
      if (value === undefined) continue;
      if (!/^\s*-?\d+\s*$/.test(value)) throw imageErrors.rangeFilterNotNumeric();
      filters.push({ field: column, op, values: [Number(value)] });
    }
  }

  const properties: Record<string, string> = {};
  const names = query instanceof URLSearchParams ? [...query.keys()] : Object.keys(query);
  for (const name of names) {
    if (NOT_PROPERTIES.has(name)) continue;
    const value = last(query, name);
    if (value !== undefined) properties[name] = value;
  }

  return {
    memberStatus: memberStatus as MemberStatus | 'all',
    visibility: visibility as Visibility | 'all' | null,
    filters,
    tags: queryValues(query, 'tag').map((t) => t.trim()),
    properties,
    params,
  };
}

function last(query: QueryInput, name: string): string | undefined {
  const values = queryValues(query, name);
  return values[values.length - 1];
}
