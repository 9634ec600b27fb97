/**
 * Placement's error body and the named errors the service raises:
 * `{"errors": [{"status", "title", "detail", "code", "request_id"}]}`, the
 * `code` being one of placement/errors.py's where Placement sets one and
 * `placement.undefined_code` otherwise. The code travels as the error's `type`.
 */
import { STATUS_CODES } from 'node:http';
import type { FastifySchemaValidationError } from 'fastify';
import { BadRequest, Conflict, Forbidden, NotFound, type NimbusError } from '../core/errors.js';
import { jsonschemaMessage } from '../core/http/jsonschema-wording.js';

export const CODES = {
  DEFAULT: 'placement.undefined_code',
  INVENTORY_INUSE: 'placement.inventory.inuse',
  CONCURRENT_UPDATE: 'placement.concurrent_update',
  DUPLICATE_NAME: 'placement.duplicate_name',
  PROVIDER_IN_USE: 'placement.resource_provider.inuse',
  PROVIDER_CANNOT_DELETE_PARENT: 'placement.resource_provider.cannot_delete_parent',
  RESOURCE_PROVIDER_NOT_FOUND: 'placement.resource_provider.not_found',
  ILLEGAL_DUPLICATE_QUERYPARAM: 'placement.query.duplicate_key',
  QUERYPARAM_BAD_VALUE: 'placement.query.bad_value',
  QUERYPARAM_MISSING_VALUE: 'placement.query.missing_value',
} as const;

/** webob's status titles, which Placement puts in `title`. */
export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

export function renderPlacementError(error: NimbusError, status: number, requestId = ''): unknown {
  return {
    errors: [
      {
        status,
        title: statusTitle(status),
        detail: error.message,
        code: error.type?.startsWith('placement.') ? error.type : CODES.DEFAULT,
        request_id: requestId,
      },
    ],
  };
}

/** A body schema's violation as Placement's `extract_json` words it. */
export function placementSchemaError(violation: FastifySchemaValidationError): BadRequest {
  return new BadRequest(`JSON does not validate: ${jsonschemaMessage(violation)}`);
}

export const placementErrors = {
  policy: (action: string) => new Forbidden(`Policy does not allow placement:${action} to be performed.`),
  /** A request without a body where one is needed. */
  malformedJson: () => new BadRequest('Malformed JSON: Expecting value: line 1 column 1 (char 0)'),
  /** A rule JSON schema cannot say (reserved below total before 1.26, uuids equal once normalized). */
  invalidJson: (reason: string) => new BadRequest(`JSON does not validate: ${reason}`),
  malformedConsumer: (raw: string) => new BadRequest(`Malformed consumer_uuid: ${raw}`),
  noAllocations: (consumer: string) => new NotFound(`No allocations for consumer '${consumer}'`),
  allocationConstraints: (message: string) => new BadRequest(message),
  allocationConflict: (message: string) => new Conflict(message),
  resourceClassExists: (name: string) => new Conflict(`Conflicting resource class already exists: ${name}`, { type: CODES.DUPLICATE_NAME }),
  resourceClassRenameExists: (name: string) => new Conflict(`Resource class already exists: ${name}`, { type: CODES.DUPLICATE_NAME }),
  noResourceClass: (name: string) => new NotFound(`No such resource class ${name}.`),
  noTrait: (name: string) => new NotFound(`No such trait(s): ${name}.`),
  noTraitShown: (name: string) => new NotFound(`No such trait(s): ${name}`),
  standardClassUpdate: (name: string) => new BadRequest(`Cannot update standard resource class ${name}`),
  standardClassDelete: (name: string) => new BadRequest(`Cannot delete standard resource class ${name}: Cannot delete standard resource class.`),
  resourceClassInUse: (name: string) => new Conflict(`Unable to delete resource class ${name}. Class is in use in inventory.`),
  invalidCustomName: (name: string) => new BadRequest(`'${name}' does not match '^CUSTOM_[A-Z0-9_]+$'`),
  invalidTrait: () =>
    new BadRequest(
      'The trait is invalid. A valid trait must be no longer than 255 characters, start with the prefix "CUSTOM_" and use following characters: "A"-"Z", "0"-"9" and "_"',
    ),
  standardTraitDelete: (name: string) => new BadRequest(`Cannot delete standard trait ${name}.`),
  traitInUse: (name: string) => new Conflict(`The trait ${name} is in use by a resource provider.`),
  inventoryExists: (resourceClass: string, uuid: string) =>
    new Conflict(`Update conflict: Inventory for ${resourceClass} on resource provider ${uuid} already exists.`),
  parentMissing: (uuid: string) => new BadRequest(`parent provider UUID ${uuid} does not exist.`),
  reparentRefused: () => new BadRequest('Object action update failed because: re-parenting a provider is not currently allowed.'),
  unparentRefused: () => new BadRequest('Object action update failed because: un-parenting a provider is not currently allowed.'),
  treeLoop: () => new BadRequest('Object action update failed because: creating loop in the provider tree is not allowed.'),
  updateMissingInventory: (uuid: string, resourceClass: string) =>
    new BadRequest(
      `No inventory record with resource class for resource provider ${uuid}: No inventory of class ${resourceClass} found for resource provider ${uuid}`,
    ),
  invalidInventory: (uuid: string, resourceClass: string, reason: string) =>
    new BadRequest(
      `Unable to update inventory for resource provider ${uuid}: Invalid inventory for '${resourceClass}' on resource provider '${uuid}'. ${reason}`,
    ),
  consumerOwnerMissing: () => new BadRequest('project_id and user_id are required for a new consumer.'),
  /** Query strings (no schema covers them). */
  invalidQuery: (reason: string) => new BadRequest(`Invalid query string parameters: ${reason}`),
  badQueryValue: (message: string) => new BadRequest(message, { type: CODES.QUERYPARAM_BAD_VALUE }),
  missingQueryValue: (message: string) => new BadRequest(message, { type: CODES.QUERYPARAM_MISSING_VALUE }),
  duplicateQueryParam: (name: string) => new BadRequest(`Query parameter '${name}' may be given only once.`, { type: CODES.ILLEGAL_DUPLICATE_QUERYPARAM }),
  badRequest: (message: string) => new BadRequest(message),
  /** A route that exists only from a later microversion. */
  noSuchRoute: () => new NotFound('The resource could not be found.'),
  providerNotFound: (uuid: string) => new NotFound(`No resource provider with uuid ${uuid} found`),
  /** A provider named in an allocation or a request body that does not exist (400, Placement's code). */
  allocationProviderMissing: (uuid: string) =>
    new BadRequest(`Allocation for resource provider '${uuid}' that does not exist.`, { type: CODES.RESOURCE_PROVIDER_NOT_FOUND }),
  generationConflict: (what = 'resource provider') => new Conflict(`${what} generation conflict`, { type: CODES.CONCURRENT_UPDATE }),
  consumerGenerationConflict: (_consumer: string, expected: number | null, actual: number | null) =>
    new Conflict(`consumer generation conflict - expected ${expected === null ? 'null' : expected} but got ${actual === null ? 'None' : actual}`, {
      type: CODES.CONCURRENT_UPDATE,
    }),
  duplicateProvider: (field: 'name' | 'uuid', value: string) =>
    new Conflict(`Conflicting resource provider ${field}: ${value} already exists.`, { type: CODES.DUPLICATE_NAME }),
  providerInUse: (uuid: string) =>
    new Conflict(`Unable to delete resource provider ${uuid}: Resource provider has allocations.`, { type: CODES.PROVIDER_IN_USE }),
  providerHasChildren: (uuid: string) =>
    new Conflict(`Unable to delete parent resource provider ${uuid}: It has child resource providers.`, { type: CODES.PROVIDER_CANNOT_DELETE_PARENT }),
  inventoryInUse: (uuid: string, classes: string[]) =>
    new Conflict(`Inventory for '${classes.join(', ')}' on resource provider '${uuid}' in use.`, { type: CODES.INVENTORY_INUSE }),
  noInventory: (uuid: string, resourceClass: string) => new NotFound(`No inventory of class ${resourceClass} found for resource provider ${uuid}`),
  unknownResourceClass: (name: string) => new BadRequest(`Unknown resource class in inventory for resource provider: ${name}`),
  unknownTraits: (names: string[]) => new BadRequest(`No such trait(s): ${names.join(', ')}`),
};
