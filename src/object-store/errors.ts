/**
 * Swift's error bodies: the proxy answers with short HTML pages (webob's
 * defaults) for its standard statuses, and plain sentences where it has
 * something specific to say ("Metadata name too long; max 128").
 */
import type { FastifyInstance } from 'fastify';
import { NimbusError } from '../core/errors.js';
import { installErrorHandlers } from '../core/http/service-scope.js';

const STANDARD: Record<number, [string, string]> = {
  400: ['Bad Request', 'The server could not comply with the request since it is either malformed or otherwise incorrect.'],
  401: ['Unauthorized', 'This server could not verify that you are authorized to access the document you requested.'],
  403: ['Forbidden', 'Access was denied to this resource.'],
  404: ['Not Found', 'The resource could not be found.'],
  405: ['Method Not Allowed', 'The method is not allowed for this resource.'],
  406: ['Not Acceptable', 'The resource is not available in a format acceptable to your browser.'],
  409: ['Conflict', 'There was a conflict when trying to complete your request.'],
  411: ['Length Required', 'Length Required'],
  412: ['Precondition Failed', 'A precondition for this request was not satisfied.'],
  413: ['Request Entity Too Large', 'The body of your request was too large for this server.'],
  416: ['Requested Range Not Satisfiable', 'The Range requested is not available.'],
  422: ['Unprocessable Entity', 'Unable to process the contained instructions'],
  499: ['Client Disconnect', 'The client was disconnected during request.'],
  500: ['Internal Error', 'An error occurred while processing the request.'],
  501: ['Not Implemented', 'The request method is not implemented by this server.'],
  503: ['Service Unavailable', 'The server is currently unavailable. Please try again at a later time.'],
};

/** The message that makes the renderer use Swift's standard page for the status. */
export const STANDARD_BODY = '';

export function swiftErrorBody(status: number, message: string): string {
  if (message !== STANDARD_BODY) return message;
  const [title, text] = STANDARD[status] ?? ['Error', 'An error occurred.'];
  return `<html><h1>${title}</h1><p>${text}</p></html>`;
}

/** `404 Not Found`: a status as Swift's bulk and SLO summaries name it. */
export function statusLine(status: number): string {
  const reason = status === 200 ? 'OK' : status === 201 ? 'Created' : (STANDARD[status]?.[0] ?? 'Error');
  return `${status} ${reason}`;
}

export function installSwiftErrorHandlers(scope: FastifyInstance): void {
  installErrorHandlers(scope, {
    errorContentType: 'text/html; charset=UTF-8',
    renderError: (error: NimbusError, status) => swiftErrorBody(status, status === 500 ? STANDARD_BODY : error.message),
  });
}
