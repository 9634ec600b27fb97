/**
 * Reading a request's query string the way OpenStack's WSGI services do:
 * a parameter may repeat (`sort_key=a&sort_key=b`, `status=A&status=B`) and
 * the repeats keep their order, which matters because `sort_key` pairs up
 * with `sort_dir` by position.
 */
import { BadRequest } from '../errors.js';

/**
 * A query as Fastify parses it (a repeated key becomes an array) or as
 * `URLSearchParams`, so api code can pass `request.query` unchanged.
 */
export type QueryInput = URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Every value of `name`, in request order; none when absent. */
export function queryValues(query: QueryInput, name: string): string[] {
  if (query instanceof URLSearchParams) return query.getAll(name);
  const value = query[name];
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

/**
 * The value of a parameter that means nothing when repeated (`limit`,
 * `marker`): rejected rather than guessing which of the values was meant.
 */
export function querySingle(query: QueryInput, name: string): string | undefined {
  const values = queryValues(query, name);
  if (values.length > 1) throw new BadRequest(`The ${name} parameter was given ${values.length} times; give it once.`);
  return values[0];
}
