/** Turns engine constraint errors into the domain errors Keystone answers with. */
import { Conflict } from '../../core/errors.js';
import { isUniqueViolation } from '../../core/db/constraint-errors.js';

/** Runs a write; a unique violation becomes a 409 with `conflictMessage`. */
export async function uniquely<T>(write: () => Promise<T>, conflictMessage: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict(conflictMessage);
    throw error;
  }
}
