/**
 * Column value conventions shared by every store, so both dialects store the
 * same thing: booleans as BOOLEAN (PostgreSQL) or 0/1 (SQLite), timestamps as
 * ISO-8601 text, structured values as JSON text.
 */
import type { ColumnType } from 'kysely';

/** A boolean column: SQLite gives 0/1 back, PostgreSQL true/false. */
export type BoolColumn = ColumnType<boolean | number, boolean, boolean>;

export function toBool(value: boolean | number | null | undefined): boolean {
  return value === true || value === 1;
}

/** A JSON column stored as text. */
export type JsonColumn = ColumnType<string, string, string>;

export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === '') return fallback;
  return JSON.parse(text) as T;
}

/** Counts come back as string (pg bigint) or number (SQLite). */
export function toCount(value: string | number | bigint | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}
