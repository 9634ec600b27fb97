/**
 * What a namespace holds: objects, properties and tags, each named uniquely
 * in its namespace (tags without regard to case). The JSON-schema parts are
 * JSON text; the service gives and gets them parsed.
 */
import { isUniqueViolation } from '../../core/db/constraint-errors.js';
import { parseJson } from '../../core/db/values.js';
import type { JsonObject } from '../../core/json.js';
import { metadefErrors, type MetadefChildKind } from '../metadef-errors.js';
import type { ImageDb } from './db.js';
import type { MetadefNamespace } from './metadef-tables.js';

/** One object, property or tag: `body` is what the kind keeps beyond its name (empty for a tag). */
export interface MetadefChild {
  name: string;
  body: JsonObject;
  created_at: string;
  updated_at: string;
}

const TABLES = { object: 'metadef_object', property: 'metadef_property', tag: 'metadef_tag' } as const;

/** The column a name is unique by, and its value for a name. */
function key(kind: MetadefChildKind, name: string): { column: 'name' | 'name_key'; value: string } {
  return kind === 'tag' ? { column: 'name_key', value: name.toLowerCase() } : { column: 'name', value: name };
}

type Row = Record<string, unknown> & { name: string; created_at: string; updated_at: string };

function toChild(kind: MetadefChildKind, row: Row): MetadefChild {
  const { name, created_at, updated_at } = row;
  if (kind === 'property') return { name, created_at, updated_at, body: parseJson<JsonObject>(row.schema as string, {}) };
  if (kind === 'tag') return { name, created_at, updated_at, body: {} };
  const body: JsonObject = {};
  if (row.description !== null) body.description = row.description as string;
  if (row.required !== null) body.required = parseJson(row.required as string, []);
  if (row.properties !== null) body.properties = parseJson<JsonObject>(row.properties as string, {});
  return { name, created_at, updated_at, body };
}

function toColumns(kind: MetadefChildKind, child: MetadefChild): Record<string, unknown> {
  const common = { name: child.name, created_at: child.created_at, updated_at: child.updated_at };
  if (kind === 'property') return { ...common, schema: JSON.stringify(child.body) };
  if (kind === 'tag') return { ...common, name_key: child.name.toLowerCase() };
  const { description, required, properties } = child.body;
  return {
    ...common,
    description: typeof description === 'string' ? description : null,
    required: required === undefined ? null : JSON.stringify(required),
    properties: properties === undefined ? null : JSON.stringify(properties),
  };
}

/**
 * The three tables share their shape where these queries look (namespace_id,
 * name, timestamps), so one table type stands for the kind's table.
 */
function table(kind: MetadefChildKind): 'metadef_object' {
  return TABLES[kind] as 'metadef_object';
}

export async function listChildren(db: ImageDb, kind: MetadefChildKind, namespaceId: string): Promise<MetadefChild[]> {
  const rows = await db.selectFrom(table(kind)).selectAll().where('namespace_id', '=', namespaceId).orderBy('created_at').orderBy('name').execute();
  return rows.map((row) => toChild(kind, row as Row));
}

export async function getChild(db: ImageDb, kind: MetadefChildKind, namespaceId: string, name: string): Promise<MetadefChild | undefined> {
  const { column, value } = key(kind, name);
  const row = await db
    .selectFrom(table(kind))
    .selectAll()
    .where('namespace_id', '=', namespaceId)
    .where(column as 'name', '=', value)
    .executeTakeFirst();
  return row && toChild(kind, row as Row);
}

export async function insertChildren(db: ImageDb, kind: MetadefChildKind, namespace: MetadefNamespace, children: MetadefChild[]): Promise<void> {
  for (const child of children) {
    try {
      await db
        .insertInto(table(kind))
        .values({ namespace_id: namespace.id, ...toColumns(kind, child) } as never)
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw metadefErrors.duplicateChild(kind, child.name, namespace.namespace);
      throw error;
    }
  }
}

/** Replaces the child named `oldName` (its creation time stays). */
export async function replaceChild(db: ImageDb, kind: MetadefChildKind, namespace: MetadefNamespace, oldName: string, child: MetadefChild): Promise<void> {
  const { column, value } = key(kind, oldName);
  const { created_at: _created, ...columns } = toColumns(kind, child);
  try {
    await db
      .updateTable(table(kind))
      .set(columns as never)
      .where('namespace_id', '=', namespace.id)
      .where(column as 'name', '=', value)
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw metadefErrors.duplicateChild(kind, child.name, namespace.namespace);
    throw error;
  }
}

/** Deletes one child by name, or every child of the kind when `name` is absent. */
export async function deleteChildren(db: ImageDb, kind: MetadefChildKind, namespaceId: string, name?: string): Promise<void> {
  let query = db.deleteFrom(table(kind)).where('namespace_id', '=', namespaceId);
  if (name !== undefined) {
    const { column, value } = key(kind, name);
    query = query.where(column as 'name', '=', value);
  }
  await query.execute();
}
