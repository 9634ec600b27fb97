/**
 * Nova's error body: `{"<fault name>": {"code": <status>, "message": "..."}}`
 * where the fault name follows the status as nova/api/openstack/wsgi.py maps
 * it (itemNotFound, badRequest, forbidden, conflictingRequest, overLimit ...),
 * and the named errors the compute service raises.
 */
import { STATUS_CODES } from 'node:http';
import { BadRequest, Conflict, Forbidden, NotFound, QuotaExceeded, type NimbusError } from '../core/errors.js';

const FAULT_NAMES: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  406: 'notAcceptable',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  429: 'overLimit',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

export function faultName(status: number): string {
  if (FAULT_NAMES[status]) return FAULT_NAMES[status];
  if (status >= 500) return 'computeFault';
  return (STATUS_CODES[status] ?? 'Error').replaceAll(' ', '');
}

export function renderNovaError(error: NimbusError, status: number): unknown {
  // Nova reports quota errors as 403 "Quota exceeded for ..." (overLimit with 413 only for rate limits).
  return { [faultName(status)]: { code: status, message: error.message } };
}

export const novaErrors = {
  serverNotFound: (id: string) => new NotFound(`Instance ${id} could not be found.`),
  flavorNotFound: (id: string) => new NotFound(`Flavor ${id} could not be found.`),
  keypairNotFound: (name: string, userId: string) => new NotFound(`Keypair ${name} not found for user ${userId}`),
  imageNotFound: (id: string) => new NotFound(`Image ${id} could not be found.`),
  actionNotFound: (requestId: string, serverId: string) => new NotFound(`Action for request_id ${requestId} on instance ${serverId} not found`),
  networkNotFound: (id: string) => new BadRequest(`Network ${id} could not be found.`),
  invalidState: (action: string, serverId: string, attr: string, state: string) =>
    new Conflict(`Cannot '${action}' instance ${serverId} while it is in ${attr} ${state}`),
  locked: (serverId: string) => new Conflict(`Instance ${serverId} is locked`),
  policy: (action: string) => new Forbidden(`Policy doesn't allow ${action} to be performed.`),
  /** Nova's message and 403 for a quota over limit (nova/api/openstack/compute/servers.py). */
  quota: (error: QuotaExceeded) =>
    new Forbidden(`Quota exceeded for ${error.resource}: Requested ${error.requested}, but already used ${error.inUse} of ${error.limit} ${error.resource}`),
};

export const NO_VALID_HOST = 'No valid host was found. There are not enough hosts available.';
