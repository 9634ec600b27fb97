/**
 * Glance's error bodies. Glance raises webob HTTP exceptions, which render
 * by content negotiation: `application/json` when the client prefers it
 * (Tempest, openstacksdk) as `{"message", "code": "404 Not Found", "title"}`,
 * otherwise plain text (`404 Not Found\n\n<message>\n\n`). A 401 comes from
 * keystonemiddleware in front of Glance: Keystone's `{"error": {...}}` (the
 * server adds `WWW-Authenticate` to every 401). Unknown paths are 404, known
 * paths with another method 405 with `Allow` (Glance's RejectMethodController).
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  BadRequest,
  Conflict,
  Forbidden,
  Gone,
  MethodNotAllowed,
  NimbusError,
  NotFound,
  PayloadTooLarge,
  RangeNotSatisfiable,
  ServiceUnavailable,
  UnsupportedMediaType,
} from '../core/errors.js';
import { logFailure, toNimbusError } from '../core/http/service-scope.js';
import type { ImageStatus } from './store/index.js';

export interface GlanceScopeOptions {
  /** The methods a path (under the service prefix) answers, for a 405; null when the path is unknown. */
  allowedMethods(path: string): string | null;
  /** Answers a path outside the API versions (Glance's version negotiation); false to fall through to 404. */
  unknownVersion(request: FastifyRequest, reply: FastifyReply, path: string): boolean;
  /** The service's URL prefix (`/image`). */
  prefix: string;
}

type Rendered = { contentType: string; body: string };

/** The body Glance sends for `error`, negotiated on the request's Accept header like webob does. */
export function renderGlanceError(error: NimbusError, status: number, accept: string | undefined): Rendered {
  const title = STATUS_CODES[status] ?? 'Error';
  if (status === 401) {
    return { contentType: 'application/json', body: JSON.stringify({ error: { code: 401, title, message: error.message } }) };
  }
  if (preferredErrorType(accept) === 'application/json') {
    return { contentType: 'application/json', body: JSON.stringify({ message: error.message, code: `${status} ${title}`, title }) };
  }
  return { contentType: 'text/plain; charset=UTF-8', body: `${status} ${title}\n\n${error.message}\n\n   ` };
}

export function installGlanceErrorHandlers(scope: FastifyInstance, options: GlanceScopeOptions): void {
  const send = (request: FastifyRequest, reply: FastifyReply, error: NimbusError) => {
    for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
    const accept = request.headers.accept;
    const rendered = renderGlanceError(error, error.status, Array.isArray(accept) ? accept.join(',') : accept);
    return reply.code(error.status).type(rendered.contentType).send(rendered.body);
  };

  scope.setErrorHandler((raw: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const error = toNimbusError(raw);
    logFailure(request, raw, error);
    return send(request, reply, error);
  });

  scope.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    const path = url.startsWith(options.prefix) ? url.slice(options.prefix.length) || '/' : url;
    if (options.unknownVersion(request, reply, path)) return reply;
    const allowed = options.allowedMethods(path);
    if (allowed !== null) {
      return send(request, reply, imageErrors.methodNotAllowed(allowed));
    }
    return send(request, reply, imageErrors.resourceNotFound());
  });
}

const OFFERS = ['text/plain', 'text/html', 'application/json'] as const;

/**
 * webob's choice among text/plain, text/html and application/json: the
 * highest quality the Accept header gives each (its most specific matching
 * range decides), ties going to that order. No header: text/plain.
 */
export function preferredErrorType(accept: string | undefined): (typeof OFFERS)[number] {
  if (accept === undefined || accept.trim() === '') return 'text/plain';
  const ranges = accept.split(',').map((part) => {
    const [type = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return { type: type.trim(), q: q === undefined ? 1 : Number(q.slice(2)) || 0 };
  });
  let best: (typeof OFFERS)[number] = 'text/plain';
  let bestQ = -1;
  for (const offer of OFFERS) {
    const [major] = offer.split('/');
    const match = ranges.find((r) => r.type === offer) ?? ranges.find((r) => r.type === `${major}/*`) ?? ranges.find((r) => r.type === '*/*');
    const q = match?.q ?? 0;
    if (q > bestQ) {
      best = offer;
      bestQ = q;
    }
  }
  return bestQ > 0 ? best : 'text/plain';
}

/**
 * The errors the image service raises, with Glance's messages (clients and
 * Tempest match some of them): one place to read what a caller may be told.
 * Grouped by status; each name says what went wrong.
 */
export const imageErrors = {
  // 400
  bodyExpected: () => new BadRequest('Body expected in request.'),
  imageObjectExpected: () => new BadRequest('Expected an image object.'),
  schemaMismatch: (detail: string) => new BadRequest(`Provided object does not match schema 'image': ${detail}`),
  visibilityInvalid: () => new BadRequest('Visibility must be one of "community", "public", "private", or "shared"'),
  negativeValue: (name: string, value: unknown) => new BadRequest(`Invalid value '${String(value)}' for parameter '${name}': Cannot be a negative value.`),
  valueNotAllowed: (name: string, value: unknown, allowed: readonly string[]) =>
    new BadRequest(`Invalid value '${String(value)}' for parameter '${name}': expected one of ${allowed.join(', ')}.`),
  propertyNameTooLong: () => new BadRequest('Custom property should not be greater than 255 characters.'),
  propertiesRequired: (missing: readonly string[]) =>
    new BadRequest(
      missing.length === 1 ? `Property ${missing[0]} must be set prior to saving data.` : `Properties ${missing.join(', ')} must be set prior to saving data.`,
    ),
  transitionRefused: (from: ImageStatus, to: ImageStatus) => new BadRequest(transitionMessage(from, to)),
  unknownStore: (id: string) => new BadRequest(`Store for identifier ${id} not found`),
  sizeMismatch: (message: string) => new BadRequest(message),
  imageSizeMissing: () => new BadRequest('Invalid or missing image size in request headers.'),
  multipleRanges: () => new BadRequest('Requests with multiple ranges are not supported in Glance. You may make multiple single-range requests instead.'),
  // members
  memberFormExpected: () => new BadRequest('Expected a member in the form: {"member": "image_id"}'),
  memberNotSpecified: () => new BadRequest('Member to be added not specified'),
  memberEmpty: () => new BadRequest("Member can't be empty"),
  statusFormExpected: () => new BadRequest('Expected a status in the form: {"status": "status"}'),
  statusNotSpecified: () => new BadRequest('Status not specified'),
  memberStatusInvalid: () => new BadRequest('Incorrect request: Status must be "pending", "accepted" or "rejected".'),
  // import and tasks
  importFieldRequired: (field: string) => new BadRequest(`Import request requires a '${field}' field.`),
  unknownImportMethod: (name: string) => new BadRequest(`Unknown import method name '${name}'.`),
  uriFiltered: (uri: string) => new BadRequest(`URI for web-download does not pass filtering: ${uri}`),
  booleanOnly: (field: string) => new BadRequest(`'${field}' must be boolean value only`),
  storesNotList: () => new BadRequest("'stores' must be a list of store identifiers"),
  allStoresWithStores: () => new BadRequest("All_stores parameter can't be used with x-image-meta-store header or stores parameter"),
  tasksUnsupported: () => new BadRequest('Task creation is not supported at this site: use the image import API (POST /v2/images/{image_id}/import).'),
  // JSON patch
  patchNotArray: () => new BadRequest('Request body must be a JSON array of operation objects.'),
  patchOperationNotObject: () => new BadRequest('Operations must be JSON objects.'),
  patchPathInvalid: (path: readonly string[]) => new BadRequest(`Invalid JSON pointer for this resource: '/${path.join('/')}'`),
  patchValueMissing: (op: string) => new BadRequest(`Operation "${op}" requires a member named "value".`),
  patchOpMissing: (ops: readonly string[]) =>
    new BadRequest(`Unable to find \`op\` in JSON Schema change. It must be one of the following: ${ops.join(', ')}.`),
  patchOpInvalid: (op: unknown, ops: readonly string[]) =>
    new BadRequest(`Invalid operation: \`${String(op)}\`. It must be one of the following: ${ops.join(', ')}.`),
  patchPathMissing: () => new BadRequest("Unable to find 'path' in JSON Schema change"),
  patchOpAmbiguous: () => new BadRequest('Operation objects must contain only one member named "add", "remove", or "replace".'),
  patchOpAbsent: () => new BadRequest('Operation objects must contain exactly one member named "add", "remove", or "replace".'),
  pointerNoLeadingSlash: (pointer: string) => new BadRequest(`Pointer \`${pointer}\` does not start with "/".`),
  pointerAdjacentSlashes: (pointer: string) => new BadRequest(`Pointer \`${pointer}\` contains adjacent "/".`),
  pointerTrailingSlash: (pointer: string) => new BadRequest(`Pointer \`${pointer}\` end with "/".`),
  pointerNoToken: (pointer: string) => new BadRequest(`Pointer \`${pointer}\` does not contains valid token.`),
  pointerBadEscape: (pointer: string) => new BadRequest(`Pointer \`${pointer}\` contains "~" not part of a recognized escape sequence.`),
  // listing
  changesSinceGone: () => new BadRequest('The "changes-since" filter is no longer available on v2.'),
  memberStatusFilterInvalid: (status: string) => new BadRequest(`Invalid status: ${status}`),
  visibilityFilterInvalid: (visibility: string) => new BadRequest(`Invalid visibility value: ${visibility}`),
  booleanFilterInvalid: (name: string, value: string) => new BadRequest(`Invalid value '${value}' for '${name}' filter. Valid values are 'true' or 'false'.`),
  rangeFilterNotNumeric: () => new BadRequest('Unable to filter on a range with a non-numeric value.'),

  // 403
  /** oslo.policy's PolicyNotAuthorized as Glance words it. */
  notAuthorized: (action: string) => new Forbidden(`You are not authorized to complete ${action} action.`),
  /** The policy refused an image for another project (Glance's policy layer, without a final period). */
  ownerRefusedByPolicy: (owner: string | null) => new Forbidden(`You are not permitted to create images owned by '${String(owner)}'`),
  /** A non-admin naming another project as owner (Glance's domain layer). */
  ownerRefused: (owner: string | null) => new Forbidden(`You are not permitted to create images owned by '${String(owner)}'.`),
  notOwner: () => new Forbidden('You do not own this image'),
  ownerChangeNeedsAdmin: () => new Forbidden("Owner can't be updated by non admin."),
  readOnly: (name: string) => new Forbidden(`Attribute '${name}' is read-only.`),
  reserved: (name: string) => new Forbidden(`Attribute '${name}' is reserved.`),
  notRemovable: (name: string) => new Forbidden(`Property ${name} may not be removed.`),
  queuedOnly: (name: string) => new Forbidden(`Attribute ${name} can be only replaced for a queued image.`),
  locationsInvisible: (verb: string) => new Forbidden(`It's not allowed to ${verb} locations if locations are invisible.`),
  protectedImage: (id: string) => new Forbidden(`Image ${id} is protected and cannot be deleted.`),
  wrongStatusFor: (action: string, status: ImageStatus) => new Forbidden(`Not allowed to ${action} image in status '${status}'`),
  deactivatedDownload: () => new Forbidden('The requested image has been deactivated. Image data download is forbidden.'),
  membersRefused: (verb: 'create' | 'update' | 'delete', imageId: string) => new Forbidden(`Not allowed to ${verb} members for image ${imageId}.`),
  membersListRefused: (imageId: string, reason: string) => new Forbidden(`Not allowed to list members for image ${imageId}: ${reason}`),

  // 404
  resourceNotFound: () => new NotFound('The resource could not be found.'),
  imageNotFound: (id: string) => new NotFound(`No image found with ID ${id}`),
  imageNotFoundToDelete: (id: string) => new NotFound(`Failed to find image ${id} to delete`),
  imageOfMembersNotFound: (id: string) => new NotFound(`Image ${id} not found.`),
  /** Heat's `EntityNotFound` for an image looked up by name. */
  noImageNamed: (name: string) => new NotFound(`The Image (${name}) could not be found.`),
  taskNotFound: (id: string) => new NotFound(`Failed to find task ${id}`),
  onlySharedHaveMembers: () => new NotFound('Only shared images have members.'),
  memberNotFound: (memberId: string, imageId: string) => new NotFound(`${memberId} not found in the member list of the image ${imageId}.`),
  membersHidden: (imageId: string) => new NotFound(`You are not authorized to lookup the members of the image ${imageId}.`),
  glanceDirectUnavailable: () => new NotFound("'glance-direct' method is not available at this site."),

  // 405
  methodNotAllowed: (allow: string) => new MethodNotAllowed('The method specified is not allowed for this resource.', { headers: { allow } }),

  // 409
  transitionConflict: (from: ImageStatus, to: ImageStatus) => new Conflict(transitionMessage(from, to)),
  propertyMissing: (name: string) => new Conflict(`Property ${name} does not exist.`),
  propertyPresent: (name: string) => new Conflict(`Property ${name} already present.`),
  duplicateImage: (id: string) => new Conflict(`An image with identifier ${id} already exists`),
  duplicateMember: (memberId: string, imageId: string) => new Conflict(`Member ${memberId} is duplicated for image ${imageId}`),
  /** Heat's `PhysicalResourceNameAmbiguity`: several images carry the name. */
  ambiguousName: (name: string) => new Conflict(`Multiple physical resources were found with name (${name}).`),
  activeImportTarget: () => new Conflict('Image with status active cannot be target for import'),
  notStaged: () => new Conflict("Image needs to be staged before 'glance-direct' method can be used"),
  notQueuedForImport: (method: string) => new Conflict(`Image needs to be in 'queued' state to use '${method}' method`),
  formatNeededForImport: (attribute: 'container_format' | 'disk_format') => new Conflict(`'${attribute}' needs to be set before import`),
  importInProgress: (id: string) => new Conflict(`New operation on image '${id}' is not permitted as prior operation is still in progress`),
  unknownScheme: (id: string) => new Conflict(`Unknown scheme '${id}' found in URI`),

  // 410
  deletedDuringUpload: (id: string) =>
    new Gone(`Image ${id} could not be found after upload. The image may have been deleted during the upload, cleaning up the chunks uploaded.`),
  deletedDuringStaging: (id: string) => new Gone(`Image ${id} could not be found after staging. The image may have been deleted during the upload.`),

  // 413
  bodyTooLarge: () => new PayloadTooLarge('Request body too large.'),
  /** oslo.limit's wording for a unified limit exceeded. */
  overLimit: (projectId: string, resource: string, limit: number, inUse: number, requested: number) =>
    new PayloadTooLarge(
      `Project ${projectId} is over a limit for [Resource ${resource} is over limit of ${limit} due to current usage ${inUse} and delta ${requested}]`,
    ),
  countLimit: (subject: string, attempted: number, maximum: number) =>
    new PayloadTooLarge(`The limit has been exceeded on the number of allowed ${subject}. Attempted: ${attempted}, Maximum: ${maximum}`),
  memberLimit: (imageId: string, detail: string) => new PayloadTooLarge(`Image member limit exceeded for image ${imageId}: ${detail}:`),
  overStorageQuota: (remaining: number | null) =>
    new PayloadTooLarge(`Image exceeds the storage quota: The size of the data will exceed the limit. ${String(remaining)} bytes remaining.`),
  imageTooLarge: () => new PayloadTooLarge('The incoming image is too large: The provided image is too large.'),
  storageFull: (detail: string) => new PayloadTooLarge(`Image storage media is full: ${detail}`),

  // 415, 416
  contentTypeInvalid: (type: string | undefined) => new UnsupportedMediaType(`Invalid content type ${type ?? 'None'}`),
  patchContentType: (allowed: string) =>
    new UnsupportedMediaType(`Image PATCH expects Content-Type one of: ${allowed}`, { headers: { 'accept-patch': allowed } }),
  rangeNotSatisfiable: (message: string, size: number) => new RangeNotSatisfiable(message, { headers: { 'content-range': `bytes */${size}` } }),

  // 503
  storeWriteDenied: (detail: string) => new ServiceUnavailable(`Insufficient permissions on image storage media: ${detail}`),
  storeUnavailable: (detail: string) => new ServiceUnavailable(detail),
  identityNotReady: () => new ServiceUnavailable('The identity service is not ready.'),
} as const;

/** Glance's wording for a move its state machine refuses. */
function transitionMessage(from: ImageStatus, to: ImageStatus): string {
  return `Image status transition from ${from} to ${to} is not allowed`;
}
