/**
 * Keystone's request-validation errors, shared by every identity operation so
 * each 400 reads exactly as Keystone words it.
 */
import { BadRequest } from '../../core/errors.js';
import type { Attributes } from './extras.js';

/** How Keystone's validation errors end (ValidationError and its kin). */
export const CLIENT_IS_IN_ERROR =
  'The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.';

/**
 * Keystone's ValidationError ("Expecting to find X in Y ..."): the 400 for a
 * missing part of a request, or a referenced thing that does not exist.
 */
export function expectingToFind(attribute: string, target: string): BadRequest {
  return new BadRequest(`Expecting to find ${attribute} in ${target}. ${CLIENT_IS_IN_ERROR}`);
}

/** An update body may repeat the entity's id but not change it (Keystone's _require_matching_id). */
export function requireMatchingId(patch: Attributes, id: string): void {
  if (patch.id !== undefined && patch.id !== null && patch.id !== id) throw new BadRequest('Cannot change ID');
}
