/**
 * heat-api's error body (heat/api/middleware/fault.py) and the errors the
 * api room raises with Heat's wording (heat/api/openstack/v1/*.py,
 * heat/common/param_utils.py).
 *
 * The body: `{"explanation", "code", "error": {"message", "traceback": null,
 * "type"}, "title"}`, where title and explanation are webob's for the status
 * and `type` is Heat's exception class name, or the webob class name
 * (`HTTPBadRequest`, ...) for an error the API raised as a plain HTTP error.
 */
import { BadRequest, Forbidden, NotFound, type NimbusError } from '../../core/errors.js';

interface StatusText {
  title: string;
  explanation: string;
  /** The webob exception class, Heat's `type` for an HTTP error without its own. */
  webob: string;
}

const STATUS_TEXTS: Record<number, StatusText> = {
  400: {
    title: 'Bad Request',
    explanation: 'The server could not comply with the request since it is either malformed or otherwise incorrect.',
    webob: 'HTTPBadRequest',
  },
  401: {
    title: 'Unauthorized',
    explanation: 'This server could not verify that you are authorized to access the document you requested.',
    webob: 'HTTPUnauthorized',
  },
  403: { title: 'Forbidden', explanation: 'Access was denied to this resource.', webob: 'HTTPForbidden' },
  404: { title: 'Not Found', explanation: 'The resource could not be found.', webob: 'HTTPNotFound' },
  405: { title: 'Method Not Allowed', explanation: 'The method specified is not allowed for this resource.', webob: 'HTTPMethodNotAllowed' },
  406: { title: 'Not Acceptable', explanation: 'The resource could not be generated that was acceptable to your browser.', webob: 'HTTPNotAcceptable' },
  409: { title: 'Conflict', explanation: 'There was a conflict when trying to complete your request.', webob: 'HTTPConflict' },
  413: { title: 'Request Entity Too Large', explanation: 'The body of your request was too large for this server.', webob: 'HTTPRequestEntityTooLarge' },
  415: { title: 'Unsupported Media Type', explanation: 'The request media type is not supported by this server.', webob: 'HTTPUnsupportedMediaType' },
  501: { title: 'Not Implemented', explanation: 'The request method is not implemented for this server.', webob: 'HTTPNotImplemented' },
  503: {
    title: 'Service Unavailable',
    explanation: 'The server is currently unavailable. Please try again at a later time.',
    webob: 'HTTPServiceUnavailable',
  },
};

const INTERNAL: StatusText = {
  title: 'Internal Server Error',
  explanation: 'The server has either erred or is incapable of performing the requested operation.',
  webob: 'HTTPInternalServerError',
};

/** heat-api's fault body for an error whose status is already decided. */
export function renderHeatFault(error: NimbusError, status: number): unknown {
  const text = STATUS_TEXTS[status] ?? INTERNAL;
  return {
    explanation: text.explanation,
    code: status,
    error: { message: error.message, traceback: null, type: error.type ?? text.webob },
    title: text.title,
  };
}

/** The errors heat-api's controllers raise themselves. */
export const apiErrors = {
  noStackName: () => new BadRequest('No stack name specified'),
  noTemplate: () => new BadRequest('No template specified'),
  /** `Template` or `Environment` text that is neither JSON nor YAML of the right shape. */
  notValidFormat: (what: 'Template' | 'Environment', reason: string) => new BadRequest(`${what} not in valid format: ${reason}`),
  templateUrl: (reason: string) => new BadRequest(`Could not retrieve template: ${reason}`),
  invalidAdoptData: (reason: string) => new BadRequest(`Invalid adopt data: ${reason}`),
  convergeOnCreate: () => new BadRequest('converge flag only supported in stack update (or update preview) request.'),
  /** param_utils.extract_bool. */
  invalidBool: (name: string, value: string) => new BadRequest(`Unrecognized value "${value}" for "${name}", acceptable values are: true, false.`),
  /** param_utils.extract_int. */
  invalidInt: (name: string) => new BadRequest(`Only integer is acceptable by '${name}'.`),
  negativeInt: (name: string, value: string) => new BadRequest(`Value '${value}' is invalid for '${name}' which only accepts non-negative integer.`),
  longTag: (tag: string) => new BadRequest(`Invalid tag, "${tag}" is longer than 80 characters`),
  invalidFilters: (keys: string[]) => new BadRequest(`Invalid filter parameters ${pythonList(keys)}`),
  markUnhealthyKeys: (keys: string[]) => new BadRequest(`Invalid keys in resource mark unhealthy {${keys.map((key) => `'${key}'`).join(', ')}}`),
  markUnhealthyMissing: () => new BadRequest('Missing mandatory (mark_unhealthy) key from mark unhealthy request'),
  templateType: (value: string) => new BadRequest(`Template type is not supported: Invalid template type "${value}", valid types are: cfn, hot.`),
  multipleActions: () => new BadRequest('Multiple actions specified'),
  noAction: () => new BadRequest('No action specified'),
  unknownAction: (name: string) => new BadRequest(`Invalid action ${name} specified`),
  /** The URL's project is not the caller's (util.registered_policy_enforce). */
  otherProject: () => new Forbidden('Access was denied to this resource.'),
  notFound: () => new NotFound('The resource could not be found.'),
};

/** How Python prints a list of strings (`['a', 'b']`), as Heat's messages show them. */
export function pythonList(items: string[]): string {
  return `[${items.map((item) => `'${item}'`).join(', ')}]`;
}
