/** Keystone's error body: {"error": {"code", "title", "message"}}. */
import { STATUS_CODES } from 'node:http';
import { Conflict, Forbidden, NotFound, type NimbusError } from '../core/errors.js';

export function renderKeystoneError(error: NimbusError, status: number): unknown {
  return { error: { code: status, title: STATUS_CODES[status] ?? 'Error', message: error.message } };
}

/**
 * The errors the identity service raises, with Keystone's messages (clients
 * and Tempest match some of them): one place to read what a caller may be told.
 */
export const identityErrors = {
  /** oslo.policy's PolicyNotAuthorized as Keystone words it. */
  notAuthorized: (rule: string) => new Forbidden(`You are not authorized to perform the requested action: ${rule}.`),
  /** keystone.exception.NotFound's wording, `Could not find <kind>: <id or name>.` */
  notFound: (kind: string, id: string) => new NotFound(`Could not find ${kind}: ${id}.`),
  /** A name lookup that matched several (openstackclient's wording). */
  ambiguousName: (kind: string, name: string) => new Conflict(`More than one ${kind} exists with the name '${name}'.`),
} as const;
