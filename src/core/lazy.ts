/**
 * A value made on first use and kept. For work a process may never need,
 * such as compiling a JSON schema: compiling the seed's, the mapping's and
 * Glance's schemas at start-up cost a large share of it.
 */
export function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
