/**
 * Nova's error body (the common wsgi Fault: `{"itemNotFound": {"code": 404,
 * "message": "..."}}`, see core/http/wsgi-fault.ts) and the named errors the
 * compute service raises.
 */
import { BadRequest, Conflict, Forbidden, NotFound, QuotaExceeded } from '../core/errors.js';
import { renderWsgiFault } from '../core/http/wsgi-fault.js';

/** Nova reports quota errors as 403 "Quota exceeded for ..." (overLimit with 413 only for rate limits). */
export const renderNovaError = renderWsgiFault;

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
