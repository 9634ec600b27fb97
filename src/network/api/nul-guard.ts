/**
 * No NUL character reaches a store (see core/http/nul.ts). A path parameter
 * with one names nothing (404); a body with one anywhere, in a key or a value
 * at any depth, is Neutron's 400 InvalidInput.
 */
import type { FastifyInstance } from 'fastify';
import { invalidInput, notFound } from '../errors.js';
import { firstStringWithNul } from '../../core/http/nul.js';

export function installNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (firstStringWithNul(request.params)) throw notFound.resource();
    if (firstStringWithNul(request.body)) throw invalidInput('a NUL character is not allowed in any value');
  });
}
