/** Recognises constraint violations from either engine, so stores can turn them into 409s. */

/** True when `error` is a UNIQUE or PRIMARY KEY violation (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** True when `error` is a FOREIGN KEY violation (a referenced row is missing or still referenced). */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503';
}

/**
 * True when the engine refused a value itself: PostgreSQL's data exceptions
 * (class 22: a NUL byte in text, an integer out of range, a string longer than
 * its column, text that is no valid number or date), SQLite's type mismatch
 * and too-big, or better-sqlite3 asked to bind an object or array.
 */
export function isRefusedValue(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (/^22[0-9A-Z]{3}$/.test(code) || code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG')) return true;
  return error instanceof TypeError && /^SQLite3 can only bind /.test(error.message);
}
