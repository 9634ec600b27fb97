/**
 * NUL characters in a request: PostgreSQL refuses U+0000 in text and jsonb
 * (SQLite would store it), and no OpenStack name, id or address holds one, so
 * services refuse it before it reaches a store, each in its own words.
 */
const NUL = '\u0000';

/**
 * The first string (a key or a value) of `root` that holds a NUL, and the
 * field it belongs to (`rootField` for a bare string); iterative, so a deep
 * value costs no stack.
 */
export function firstStringWithNul(root: unknown, rootField = 'body'): { field: string; value: string } | null {
  const pending: Array<[string, unknown]> = [[rootField, root]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [field, value] = next;
    if (typeof value === 'string') {
      if (value.includes(NUL)) return { field, value };
    } else if (Array.isArray(value)) {
      for (const item of value) pending.push([field, item]);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes(NUL)) return { field, value: key };
        pending.push([key, item]);
      }
    }
  }
  return null;
}
