/**
 * No NUL character reaches a store: PostgreSQL refuses it in text and JSON
 * (a 500 where SQLite would store it), and no Neutron name, id or address
 * holds one. A path parameter with one names nothing (404); a body with one
 * anywhere, in a key or a value at any depth, is Neutron's 400 InvalidInput.
 */
import type { FastifyInstance } from 'fastify';
import { BadRequest, NotFound } from '../../core/errors.js';

const NUL = '\u0000';

/** True when any string in `value` (keys included) holds a NUL; iterative, so depth costs no stack. */
export function holdsNul(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (next.includes(NUL)) return true;
    } else if (Array.isArray(next)) {
      pending.push(...next);
    } else if (next !== null && typeof next === 'object') {
      for (const [key, inner] of Object.entries(next)) {
        if (key.includes(NUL)) return true;
        pending.push(inner);
      }
    }
  }
  return false;
}

export function installNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (holdsNul(request.params)) throw new NotFound('The resource could not be found.');
    if (holdsNul(request.body)) throw new BadRequest('Invalid input for operation: a NUL character is not allowed in any value.', { type: 'InvalidInput' });
  });
}
