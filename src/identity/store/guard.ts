/** Turns engine constraint errors into the domain errors Keystone answers with. */
import { isUniqueViolation } from '../../core/db/constraint-errors.js';
import type { NimbusError } from '../../core/errors.js';

/** Runs a write; a unique violation becomes the error `conflict` makes (identityErrors.conflict, a 409). */
export async function uniquely<T>(write: () => Promise<T>, conflict: () => NimbusError): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict();
    throw error;
  }
}
