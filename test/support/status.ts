/** What a call to an in-process operation answers, as an HTTP status: 200 when it resolves, the NimbusError's status when it fails. */
import { NimbusError } from '../../src/core/errors.js';

export async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (error) {
    if (error instanceof NimbusError) return error.status;
    throw error;
  }
}
