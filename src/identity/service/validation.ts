/** Request checks several identity operations share; their errors are Keystone's (identityErrors). */
import type { Attributes } from './extras.js';
import { identityErrors } from '../errors.js';

/** An update body may repeat the entity's id but not change it (Keystone's _require_matching_id). */
export function requireMatchingId(patch: Attributes, id: string): void {
  if (patch.id !== undefined && patch.id !== null && patch.id !== id) throw identityErrors.idImmutable();
}
