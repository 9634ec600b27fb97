/**
 * Stack listings with Heat's filters. The project, deletion and nesting
 * filters are SQL; tags, sorting and paging are done on the project's rows,
 * which keeps the four tag filters and the marker rules readable.
 */
import { NotFound } from '../../core/errors.js';
import type { HeatDb } from './db.js';
import { hydrateStacks, type Stack } from './stacks.js';

export interface StackFilter {
  /** Null: every project (global_tenant). */
  projectId: string | null;
  names?: string[];
  statuses?: string[];
  actions?: string[];
  ids?: string[];
  tags?: string[];
  tagsAny?: string[];
  notTags?: string[];
  notTagsAny?: string[];
  showNested: boolean;
  showDeleted: boolean;
  /** Stacks carrying one of these tags are left out. */
  hiddenTags: string[];
  sortKeys: string[];
  sortDir: 'asc' | 'desc';
  limit?: number;
  marker?: string;
}

/** Heat's sort keys and the stack field each sorts on. */
const SORT_FIELDS: Record<string, (s: Stack) => string> = {
  name: (s) => s.name,
  stack_name: (s) => s.name,
  status: (s) => s.status,
  stack_status: (s) => s.status,
  created_at: (s) => s.createdAt,
  creation_time: (s) => s.createdAt,
  updated_at: (s) => s.updatedAt ?? '',
  updated_time: (s) => s.updatedAt ?? '',
};

export function isStackSortKey(key: string): boolean {
  return key in SORT_FIELDS;
}

export async function filterStacks(db: HeatDb, filter: StackFilter): Promise<Stack[]> {
  let query = db.selectFrom('heat_stack').selectAll();
  if (filter.projectId !== null) query = query.where('project_id', '=', filter.projectId);
  if (!filter.showDeleted) query = query.where('deleted_at', 'is', null);
  if (!filter.showNested) query = query.where('parent_id', 'is', null);
  const stacks = (await hydrateStacks(db, await query.execute())).filter((s) => matches(s, filter));
  const keys = filter.sortKeys.length > 0 ? filter.sortKeys : ['created_at'];
  const direction = filter.sortDir === 'asc' ? 1 : -1;
  stacks.sort((a, b) => {
    for (const key of keys) {
      const field = SORT_FIELDS[key] ?? SORT_FIELDS.created_at!;
      const order = field(a).localeCompare(field(b));
      if (order !== 0) return order * direction;
    }
    return a.id.localeCompare(b.id) * direction;
  });
  return page(stacks, filter);
}

export async function countStacks(db: HeatDb, filter: StackFilter): Promise<number> {
  return (await filterStacks(db, { ...filter, limit: undefined, marker: undefined })).length;
}

function matches(stack: Stack, filter: StackFilter): boolean {
  const has = (tag: string) => stack.tags.includes(tag);
  if (filter.names && !filter.names.includes(stack.name)) return false;
  if (filter.ids && !filter.ids.includes(stack.id)) return false;
  if (filter.actions && !filter.actions.includes(stack.action)) return false;
  // `status` takes COMPLETE or CREATE_COMPLETE, as heat-api's stack_status filter.
  if (filter.statuses && !filter.statuses.some((s) => s === stack.status || s === `${stack.action}_${stack.status}`)) return false;
  if (filter.tags && !filter.tags.every(has)) return false;
  if (filter.tagsAny && !filter.tagsAny.some(has)) return false;
  if (filter.notTags && filter.notTags.length > 0 && filter.notTags.every(has)) return false;
  if (filter.notTagsAny && filter.notTagsAny.some(has)) return false;
  if (filter.hiddenTags.some(has)) return false;
  return true;
}

function page(stacks: Stack[], filter: StackFilter): Stack[] {
  let start = 0;
  if (filter.marker !== undefined) {
    const index = stacks.findIndex((s) => s.id === filter.marker);
    if (index < 0) throw new NotFound(`The Stack (${filter.marker}) could not be found.`, { type: 'EntityNotFound' });
    start = index + 1;
  }
  return stacks.slice(start, filter.limit === undefined ? undefined : start + filter.limit);
}
