/** Showing, listing, searching resources and their history: Gnocchi's filters, sorts, markers and policy restrictions. */
import type { CallerContext } from '../../core/context.js';
import { BadRequest } from '../../core/errors.js';
import type { Json, JsonObject } from '../../core/json.js';
import { RESOURCE_COLUMNS, type AttributeType, type FieldRef, type ResolvedFilter, type ResourceColumn } from '../store/resource-filter.js';
import * as store from '../store/resources.js';
import type { SortKey, StoredResource } from '../store/resources.js';
import type { ResourceRecord } from '../types.js';
import { creatorOf, enforce as enforceRule, projectRestriction, type IndexDeps } from './deps.js';
import { allOf, parseFilter, type Filter, type Scalar } from './filter.js';
import { resourceUuid } from './resource-ids.js';
import { resourceRecords, resourceTarget } from './resource-records.js';
import type { ResourceTypeService } from './resource-types.js';
import type { ResourceWriteService } from './resource-write.js';
import { canonicalTime } from './times.js';

const TIME_COLUMNS = new Set<string>(['started_at', 'ended_at', 'revision_start', 'revision_end']);
const DEFAULT_SORT = ['revision_start:asc', 'started_at:asc'];

export interface ListOptions {
  history: boolean;
  sort: string[];
  /** null: every match (batch delete). */
  limit: number | null;
  marker: string | null;
}

function invalidPagination(reason: string): BadRequest {
  return new BadRequest(`Invalid pagination: \`${reason}'`);
}

export interface ResourcePage {
  records: ResourceRecord[];
  lastMarker: string | undefined;
}

export function resourceReadService(deps: IndexDeps, types: ResourceTypeService, writes: ResourceWriteService) {
  /** What a field of a type's resources names; 400 for a field the type has not. */
  function fieldOf(type: string, attributes: Record<string, JsonObject>, field: string): FieldRef {
    if ((RESOURCE_COLUMNS as readonly string[]).includes(field)) return { kind: 'column', column: field as ResourceColumn };
    if (field === 'created_by_user_id') return { kind: 'creator', part: 'user' };
    if (field === 'created_by_project_id') return { kind: 'creator', part: 'project' };
    const attribute = attributes[field];
    if (!attribute) throw new BadRequest(`Resource type ${type} has no ${field} attribute`);
    return { kind: 'attribute', name: field, type: attribute.type as AttributeType };
  }

  /** A filter value as the field stores it (ids through Gnocchi's uuid mapping, times canonical). */
  function valueFor(field: FieldRef, name: string, value: Scalar, creator: string): Scalar {
    if (value === null) return null;
    const isTime = (field.kind === 'column' && TIME_COLUMNS.has(field.column)) || (field.kind === 'attribute' && field.type === 'datetime');
    if (isTime) {
      const time = canonicalTime(value);
      if (time === null) throw new BadRequest(`Invalid value: \`${String(value)}' for field \`${name}'`);
      return time;
    }
    if (field.kind === 'column' && field.column === 'id') {
      const id = resourceUuid(String(value), creator);
      if (id === null) throw new BadRequest(`Invalid value: \`${String(value)}' for field \`${name}'`);
      return id;
    }
    if (field.kind === 'attribute' && field.type === 'uuid') return resourceUuid(String(value), null, true) ?? String(value);
    if (field.kind === 'attribute' && field.type === 'number' && typeof value === 'string') {
      const number = Number(value);
      if (!Number.isFinite(number)) throw new BadRequest(`Invalid value: \`${value}' for field \`${name}'`);
      return number;
    }
    return value;
  }

  function resolve(type: string, attributes: Record<string, JsonObject>, filter: Filter, creator: string): ResolvedFilter {
    switch (filter.kind) {
      case 'and':
      case 'or':
        return { kind: filter.kind, items: filter.items.map((item) => resolve(type, attributes, item, creator)) };
      case 'not':
        return { kind: 'not', item: resolve(type, attributes, filter.item, creator) };
      case 'in': {
        const field = fieldOf(type, attributes, filter.field);
        return { kind: 'in', field, values: filter.values.map((v) => valueFor(field, filter.field, v, creator)) };
      }
      case 'compare': {
        const field = fieldOf(type, attributes, filter.field);
        const value = filter.op === 'like' ? filter.value : valueFor(field, filter.field, filter.value, creator);
        return { kind: 'compare', op: filter.op, field, value };
      }
    }
  }

  function sortKeys(type: string, attributes: Record<string, JsonObject>, sorts: string[]): SortKey[] {
    return sorts.map((text) => {
      const [key = '', direction = 'asc'] = text.split(':');
      const [dir, nulls] = direction.split('-');
      if (dir !== 'asc' && dir !== 'desc') throw invalidPagination(`Invalid sort direction: ${direction}`);
      if (nulls !== undefined && nulls !== 'nullsfirst' && nulls !== 'nullslast') throw invalidPagination(`Invalid sort direction: ${direction}`);
      let field: FieldRef;
      try {
        field = fieldOf(type, attributes, key);
      } catch {
        throw invalidPagination(`Sort key supplied is invalid: ${key}`);
      }
      const nullsOrder = nulls === undefined ? (dir === 'asc' ? 'first' : 'last') : nulls === 'nullsfirst' ? 'first' : 'last';
      return { field, dir, nulls: nullsOrder };
    });
  }

  async function markerRow(marker: string, history: boolean, creator: string): Promise<StoredResource> {
    const [id = '', revision] = history ? marker.split('@') : [marker];
    const resourceId = resourceUuid(id, creator);
    const row =
      resourceId === null
        ? null
        : revision !== undefined && /^\d+$/.test(revision)
          ? await store.revisionOf(deps.db, resourceId, Number(revision))
          : await store.currentResource(deps.db, resourceId, null);
    if (!row) throw invalidPagination(`Invalid marker: ${marker}`);
    return row;
  }

  /** Rows of a type matching a filter, restricted as `rule` restricts the caller, one page. */
  async function find(caller: CallerContext, type: string, rule: string, filter: Json | null, options: ListOptions): Promise<StoredResource[]> {
    const resourceType = await types.get(type);
    const attributes = type === 'generic' ? {} : resourceType.attributes;
    const creator = creatorOf(caller);
    const restriction = projectRestriction(deps, caller, rule);
    const restrictions: Filter[] = [];
    if (restriction?.byCreator) restrictions.push({ kind: 'compare', op: '=', field: 'created_by_project_id', value: restriction.project });
    if (restriction?.byOwner) restrictions.push({ kind: 'compare', op: '=', field: 'project_id', value: restriction.project });
    const policyFilter: Filter | null = restrictions.length > 0 ? { kind: 'or', items: restrictions } : null;
    const combined = allOf(policyFilter, filter === null ? null : parseFilter(filter));
    return store.listResources(deps.db, deps.dialect, {
      type: type === 'generic' ? null : type,
      filter: combined === null ? null : resolve(type, attributes, combined, creator),
      history: options.history,
      sort: sortKeys(type, attributes, options.sort.length > 0 ? options.sort : DEFAULT_SORT),
      limit: options.limit === null ? null : Math.min(options.limit, deps.config.max_limit),
      marker: options.marker === null ? null : await markerRow(options.marker, options.history, creator),
    });
  }

  async function pageOf(rows: StoredResource[], history: boolean): Promise<ResourcePage> {
    const last = rows[rows.length - 1];
    return { records: await resourceRecords(deps.db, rows), lastMarker: last && (history ? `${last.id}@${last.revision}` : last.id) };
  }

  return {
    find,

    async show(caller: CallerContext, type: string, id: string): Promise<ResourceRecord> {
      const row = await writes.current(caller, type, id);
      enforceRule(deps, caller, 'get resource', resourceTarget(row));
      return (await resourceRecords(deps.db, [row]))[0] as ResourceRecord;
    },

    async list(caller: CallerContext, type: string, filter: Json | null, options: ListOptions, rule = 'list resource'): Promise<ResourceRecord[]> {
      return resourceRecords(deps.db, await find(caller, type, rule, filter, options));
    },

    /** One page and the marker of its last row (`id`, or `id@revision` in a history). */
    async page(caller: CallerContext, type: string, filter: Json | null, options: ListOptions, rule: string): Promise<ResourcePage> {
      return pageOf(await find(caller, type, rule, filter, options), options.history);
    },

    async history(caller: CallerContext, type: string, id: string, options: Omit<ListOptions, 'history'>): Promise<ResourcePage> {
      const row = await writes.current(caller, type, id);
      enforceRule(deps, caller, 'get resource', resourceTarget(row));
      return pageOf(await find(caller, type, 'get resource', { '=': { id: row.id } }, { ...options, history: true }), true);
    },

    /** `DELETE /v1/resource/{type}` with a filter: how many resources went. */
    async removeMatching(caller: CallerContext, type: string, filter: Json | null): Promise<number> {
      if (filter === null || parseFilter(filter) === null) throw new BadRequest('caution: the query can not be empty, or it will delete entire database');
      const rows = await find(caller, type, 'delete resources', filter, { history: false, sort: [], limit: null, marker: null });
      await writes.removeRows(rows);
      return rows.length;
    },

    async remove(caller: CallerContext, type: string, id: string): Promise<void> {
      const row = await writes.current(caller, type, id);
      enforceRule(deps, caller, 'delete resource', resourceTarget(row));
      await writes.removeRows([row]);
    },
  };
}

export type ResourceReadService = ReturnType<typeof resourceReadService>;
