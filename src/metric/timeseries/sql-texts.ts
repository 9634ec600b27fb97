/**
 * SQL written once and reused: the aggregation pass runs the same few
 * statements for every batch of metrics, so it writes their text once per
 * shape (and row count) and sends it with its parameters, instead of building
 * and compiling a Kysely query per metric (issue 15's profile: query building
 * took a third of the pass). The driver's statement cache (core/db) then
 * prepares each text once on SQLite.
 */
import { CompiledQuery, type QueryResult } from 'kysely';
import type { Dialect } from '../../core/db/database.js';

/**
 * Row counts a statement is written for. A list of n rows runs as the fewest
 * statements of these sizes (n = 300: 128 + 128 + 32 + 8 + 4 x 1), so a
 * handful of texts serve every count and both engines stay far under their
 * bound-parameter limits.
 */
const SLICE_SIZES = [128, 32, 8, 1];

/** `rows` cut into slices of the sizes above, in order. */
export function* slices<T>(rows: readonly T[]): Generator<T[]> {
  let at = 0;
  for (const size of SLICE_SIZES) {
    for (; rows.length - at >= size; at += size) yield rows.slice(at, at + size);
  }
}

/** Hands out the dialect's placeholders in parameter order: `?` on SQLite, `$1, $2, ...` on PostgreSQL. */
export type Placeholder = () => string;

export class SqlTexts {
  readonly #dialect: Dialect;
  readonly #texts = new Map<string, string>();

  constructor(dialect: Dialect) {
    this.#dialect = dialect;
  }

  /** The text of statement `name` for `rows` rows, built on first use. */
  text(name: string, rows: number, build: (next: Placeholder, rows: number) => string): string {
    const key = `${name}/${rows}`;
    let text = this.#texts.get(key);
    if (text === undefined) {
      let count = 0;
      const next = this.#dialect === 'postgres' ? () => `$${++count}` : () => '?';
      text = build(next, rows);
      this.#texts.set(key, text);
    }
    return text;
  }
}

/** `?, ?, ?`: `rows` placeholders (an IN list). */
export function list(next: Placeholder, rows: number): string {
  return Array.from({ length: rows }, next).join(', ');
}

/** `(?, ?), (?, ?)`: `rows` groups of `width` placeholders. */
export function groups(next: Placeholder, rows: number, width: number, join = ', ', shape = (items: string[]) => `(${items.join(', ')})`): string {
  return Array.from({ length: rows }, () => shape(Array.from({ length: width }, next))).join(join);
}

/** What runs a written statement: a Kysely transaction or database. */
export interface QueryRunner {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
}

export async function run<R>(db: QueryRunner, text: string, parameters: readonly unknown[]): Promise<R[]> {
  const result = await db.executeQuery<R>(CompiledQuery.raw(text, [...parameters]) as CompiledQuery<R>);
  return result.rows;
}
