/**
 * Keystone keeps attributes it does not know in an `extra` blob and returns
 * them with the entity; these helpers split a request body into known columns
 * and extras, and merge extras back on update.
 */
export type Attributes = Record<string, unknown>;

/** The attributes of `body` that are not in `known`, as the JSON `extra` column. */
export function extraOf(body: Attributes, known: readonly string[]): string {
  const extra: Attributes = {};
  for (const [key, value] of Object.entries(body)) if (!known.includes(key)) extra[key] = value;
  return JSON.stringify(extra);
}

/** `current` extras updated with the unknown attributes of `patch` (null removes, as Keystone does). */
export function mergeExtra(current: string, patch: Attributes, known: readonly string[]): string {
  const extra = JSON.parse(current) as Attributes;
  for (const [key, value] of Object.entries(patch)) {
    if (known.includes(key)) continue;
    if (value === null) delete extra[key];
    else extra[key] = value;
  }
  return JSON.stringify(extra);
}
