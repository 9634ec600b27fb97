/**
 * The filter tree (service/filter.ts), its fields resolved by the service,
 * as a WHERE clause on `gnocchi_resource` for SQLite and PostgreSQL. Type
 * attributes live in the JSON column: read with json_extract (SQLite) or
 * `->>` cast to the attribute's type (PostgreSQL).
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Dialect } from '../../core/db/database.js';
import type { Comparison, Scalar } from '../service/filter.js';

export const RESOURCE_COLUMNS = [
  'id',
  'type',
  'original_resource_id',
  'project_id',
  'user_id',
  'creator',
  'started_at',
  'ended_at',
  'revision_start',
  'revision_end',
  'revision',
] as const;
export type ResourceColumn = (typeof RESOURCE_COLUMNS)[number];

export type AttributeType = 'string' | 'uuid' | 'number' | 'bool' | 'datetime';

/** What a filter or sort field names. */
export type FieldRef =
  | { kind: 'column'; column: ResourceColumn }
  | { kind: 'attribute'; name: string; type: AttributeType }
  /** created_by_user_id / created_by_project_id: the halves of `creator`. */
  | { kind: 'creator'; part: 'user' | 'project' };

export type ResolvedFilter =
  | { kind: 'and' | 'or'; items: ResolvedFilter[] }
  | { kind: 'not'; item: ResolvedFilter }
  | { kind: 'compare'; op: Comparison; field: FieldRef; value: Scalar }
  | { kind: 'in'; field: FieldRef; values: Scalar[] };

/** The SQL value of a field. */
export function fieldExpression(dialect: Dialect, field: FieldRef): RawBuilder<unknown> {
  switch (field.kind) {
    case 'column':
      return sql`${sql.ref(`gnocchi_resource.${field.column}`)}`;
    case 'creator':
      // `<user>:<project>`: the part before or after the first colon.
      return field.part === 'user'
        ? dialect === 'postgres'
          ? sql`split_part(gnocchi_resource.creator, ':', 1)`
          : sql`substr(gnocchi_resource.creator, 1, instr(gnocchi_resource.creator, ':') - 1)`
        : dialect === 'postgres'
          ? sql`substr(gnocchi_resource.creator, strpos(gnocchi_resource.creator, ':') + 1)`
          : sql`substr(gnocchi_resource.creator, instr(gnocchi_resource.creator, ':') + 1)`;
    case 'attribute': {
      if (dialect === 'sqlite') return sql`json_extract(gnocchi_resource.attributes, ${`$."${field.name}"`})`;
      const text = sql`(gnocchi_resource.attributes::jsonb ->> ${field.name})`;
      if (field.type === 'number') return sql`${text}::double precision`;
      if (field.type === 'bool') return sql`${text}::boolean`;
      return text;
    }
  }
}

const SQL_OPERATORS: Record<Comparison, string> = { '=': '=', '!=': '<>', '<': '<', '>': '>', '<=': '<=', '>=': '>=', like: 'LIKE' };

export function compileFilter(dialect: Dialect, filter: ResolvedFilter): Expression<SqlBool> {
  switch (filter.kind) {
    case 'and':
    case 'or': {
      if (filter.items.length === 0) return sql<SqlBool>`${sql.lit(filter.kind === 'and' ? 1 : 0)} = 1`;
      const parts = filter.items.map((item) => sql`(${compileFilter(dialect, item)})`);
      return sql<SqlBool>`${sql.join(parts, sql.raw(filter.kind === 'and' ? ' AND ' : ' OR '))}`;
    }
    case 'not':
      return sql<SqlBool>`NOT (${compileFilter(dialect, filter.item)})`;
    case 'in':
      return sql<SqlBool>`${fieldExpression(dialect, filter.field)} IN (${sql.join(filter.values.map(bindValue))})`;
    case 'compare': {
      const left = fieldExpression(dialect, filter.field);
      if (filter.value === null && (filter.op === '=' || filter.op === '!=')) return sql<SqlBool>`${left} IS ${sql.raw(filter.op === '=' ? '' : 'NOT ')}NULL`;
      return sql<SqlBool>`${left} ${sql.raw(SQL_OPERATORS[filter.op])} ${bindValue(filter.value)}`;
    }
  }
}

/** Booleans go in as SQL literals: SQLite's JSON reads them as 1/0, PostgreSQL's cast as true/false. */
function bindValue(value: Scalar): RawBuilder<unknown> {
  if (typeof value === 'boolean') return sql`${sql.lit(value)}`;
  return sql`${value}`;
}
