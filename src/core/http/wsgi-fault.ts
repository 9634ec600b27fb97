/**
 * The error body Nova and Cinder share, from the `Fault` class both took from
 * OpenStack's common wsgi module: `{"<fault name>": {"code": N, "message": "..."}}`,
 * the name chosen by status, `computeFault` for any status without one (Cinder
 * kept that name too).
 */
import type { NimbusError } from '../errors.js';

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

export function renderWsgiFault(error: NimbusError, status: number): unknown {
  return { [FAULT_NAMES[status] ?? 'computeFault']: { code: status, message: error.message } };
}
