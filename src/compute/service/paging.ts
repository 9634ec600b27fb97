/** Marker/limit over a list already in order (lists Nova builds in memory): the items after the marker, at most `limit`. */
import { requestErrors } from '../errors.js';

export function pageAfter<T>(
  items: T[],
  page: { marker?: string; limit?: number },
  idOf: (item: T) => string,
  notFound = requestErrors.markerCouldNotBeFound,
): T[] {
  let from = 0;
  if (page.marker !== undefined) {
    const at = items.findIndex((item) => idOf(item) === page.marker);
    if (at < 0) throw notFound(page.marker);
    from = at + 1;
  }
  return items.slice(from, page.limit !== undefined ? from + page.limit : undefined);
}
