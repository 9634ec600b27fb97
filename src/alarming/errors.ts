/**
 * Aodh's error body (WSME's fault as Aodh's pecan hooks render it):
 * `{"error_message": {"faultstring": ..., "faultcode": "Client", "debuginfo": null}}`,
 * `Server` for a 5xx; and the named errors of aodh/api/controllers/v2 with their messages.
 */
import { BadRequest, Conflict, Forbidden, NotFound, Unauthorized, type NimbusError } from '../core/errors.js';
import type { InternalError } from '../core/http/service-scope.js';

export function renderAodhError(error: NimbusError | InternalError, status: number): unknown {
  return { error_message: { faultstring: error.message, faultcode: status >= 500 ? 'Server' : 'Client', debuginfo: null } };
}

/** WSME's InvalidInput wording: `Invalid input for field/attribute <field>. Value: '<value>'. <why>`. */
export function invalidInput(field: string, value: unknown, why: string): BadRequest {
  const shown = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  return new BadRequest(`Invalid input for field/attribute ${field}. Value: '${shown}'.${why === '' ? '' : ` ${why}`}`);
}

export const aodhErrors = {
  /** Aodh names the project when the caller is limited to one. */
  alarmNotFound: (alarmId: string, project: string | null) =>
    new NotFound(project === null ? `Alarm ${alarmId} not found` : `Alarm ${alarmId} not found in project ${project}`),
  nameExists: (name: string) => new Conflict(`Alarm with name='${name}' exists`),
  /** The update's wording has no quotes, as Aodh's. */
  nameExistsOnUpdate: (name: string) => new Conflict(`Alarm with name=${name} exists`),
  overQuota: (userId: string, projectId: string) => new Forbidden(`Alarm quota exceeded for user ${userId} on project ${projectId}`),
  rbac: () => new Forbidden('RBAC Authorization Failed'),
  /** Aodh answers 401 (not 403) to a non-admin naming another owner. */
  notAuthorized: (aspect: 'project' | 'user', id: string) => new Unauthorized(`Not Authorized to access ${aspect} ${id}`),
  /** `log://` actions are for admins (they write into the service's log). */
  notAuthorizedAction: (action: string) => new Unauthorized(`You are not authorized to create action: ${action}`),
  stateInvalid: () => new BadRequest('state invalid'),
} as const;
