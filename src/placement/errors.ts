/**
 * Placement's error body and the named errors the service raises:
 * `{"errors": [{"status", "title", "detail", "code", "request_id"}]}`, the
 * `code` being one of placement/errors.py's where Placement sets one and
 * `placement.undefined_code` otherwise. The code travels as the error's `type`.
 */
import { STATUS_CODES } from 'node:http';
import { BadRequest, Conflict, NotFound, type NimbusError } from '../core/errors.js';

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

export const placementErrors = {
  providerNotFound: (uuid: string) => new NotFound(`No resource provider with uuid ${uuid} found`),
  /** A provider named in an allocation or a request body that does not exist (400, Placement's code). */
  allocationProviderMissing: (uuid: string) =>
    new BadRequest(`Allocation for resource provider '${uuid}' that does not exist.`, { type: CODES.RESOURCE_PROVIDER_NOT_FOUND }),
  generationConflict: (what = 'resource provider') =>
    new Conflict(`${what} generation conflict`, { type: CODES.CONCURRENT_UPDATE }),
  consumerGenerationConflict: (_consumer: string, expected: number | null, actual: number | null) =>
    new Conflict(
      `consumer generation conflict - expected ${expected === null ? 'null' : expected} but got ${actual === null ? 'None' : actual}`,
      { type: CODES.CONCURRENT_UPDATE },
    ),
  duplicateProvider: (field: 'name' | 'uuid', value: string) =>
    new Conflict(`Conflicting resource provider ${field}: ${value} already exists.`, { type: CODES.DUPLICATE_NAME }),
  providerInUse: (uuid: string) =>
    new Conflict(`Unable to delete resource provider ${uuid}: Resource provider has allocations.`, { type: CODES.PROVIDER_IN_USE }),
  providerHasChildren: (uuid: string) =>
    new Conflict(
      `Unable to delete parent resource provider ${uuid}: It has child resource providers.`,
      { type: CODES.PROVIDER_CANNOT_DELETE_PARENT },
    ),
  inventoryInUse: (uuid: string, classes: string[]) =>
    new Conflict(
      `Inventory for '${classes.join(', ')}' on resource provider '${uuid}' in use.`,
      { type: CODES.INVENTORY_INUSE },
    ),
  noInventory: (uuid: string, resourceClass: string) =>
    new NotFound(`No inventory of class ${resourceClass} found for resource provider ${uuid}`),
  unknownResourceClass: (name: string) => new BadRequest(`Unknown resource class in inventory for resource provider: ${name}`),
  unknownTraits: (names: string[]) => new BadRequest(`No such trait(s): ${names.join(', ')}`),
};
