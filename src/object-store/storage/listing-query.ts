/**
 * Swift's listing walk, shared by account and container databases: rows by
 * name after `marker` and before `end_marker` (the other way round when
 * `reverse`), under `prefix`; with a delimiter, names that go on past it
 * after the prefix roll up into one `subdir` entry each.
 */
import type { Listed, ListingQuery } from './contract.js';

/** One page of rows in listing order, strictly between the bounds (either may be ''). */
export type RowFetcher<Row> = (bounds: { after: string; before: string; prefix: string; reverse: boolean; limit: number }) => Row[];

export function walkListing<Row extends { name: string }>(query: ListingQuery, fetch: RowFetcher<Row>): Array<Listed<Row>> {
  const results: Array<Listed<Row>> = [];
  // In reverse the marker is the upper bound and end_marker the lower one.
  let after = query.reverse ? query.endMarker : query.marker;
  let before = query.reverse ? query.marker : query.endMarker;
  while (results.length < query.limit) {
    const rows = fetch({ after, before, prefix: query.prefix, reverse: query.reverse, limit: query.limit - results.length });
    if (rows.length === 0) break;
    let rolledUp = false;
    for (const row of rows) {
      const cut = query.delimiter === null ? -1 : row.name.indexOf(query.delimiter, query.prefix.length);
      if (cut < 0) {
        results.push({ row });
        if (query.reverse) before = row.name;
        else after = row.name;
        if (results.length >= query.limit) break;
        continue;
      }
      const subdir = row.name.slice(0, cut + (query.delimiter as string).length);
      results.push({ subdir });
      // Skip every name under this subdir: the next page starts past it.
      if (query.reverse) before = subdir;
      else after = subdir.slice(0, -1) + String.fromCharCode(subdir.charCodeAt(subdir.length - 1) + 1);
      rolledUp = true;
      break;
    }
    if (!rolledUp && rows.length < query.limit) break;
  }
  return results;
}

/** SQL conditions and parameters for a RowFetcher over a `name` column. */
export function boundsSql(bounds: { after: string; before: string; prefix: string; reverse: boolean }): { where: string; params: string[]; order: string } {
  const clauses: string[] = [];
  const params: string[] = [];
  if (bounds.after !== '') {
    clauses.push('name > ?');
    params.push(bounds.after);
  }
  if (bounds.before !== '') {
    clauses.push('name < ?');
    params.push(bounds.before);
  }
  if (bounds.prefix !== '') {
    clauses.push('substr(name, 1, length(?)) = ?');
    params.push(bounds.prefix, bounds.prefix);
  }
  return { where: clauses.length ? clauses.join(' AND ') : '1', params, order: bounds.reverse ? 'DESC' : 'ASC' };
}
