/**
 * The errors of the metadata definitions API, with Glance's messages (its
 * `Metadef*` exceptions): kept apart from images' errors.ts, which is long enough.
 */
import { BadRequest, Conflict, Forbidden, NotFound } from '../core/errors.js';

export type MetadefChildKind = 'object' | 'property' | 'tag';

export const metadefErrors = {
  // 400
  schemaMismatch: (schema: string, detail: string) => new BadRequest(`Provided object does not match schema '${schema}': ${detail}`),
  sortDirInvalid: (dir: string) => new BadRequest(`Invalid sort direction: ${dir}`),
  sortKeyInvalid: (key: string) => new BadRequest(`Invalid sort key: ${key}`),
  visibilityFilterInvalid: (value: string) => new BadRequest(`Invalid visibility value: ${value}`),
  limitNotInteger: () => new BadRequest('limit param must be an integer'),
  limitNegative: () => new BadRequest('limit param must be positive'),

  // 403
  readOnly: (name: string) => new Forbidden(`Attribute '${name}' is read-only.`),
  protectedNamespace: (namespace: string) => new Forbidden(`Metadata definition namespace ${namespace} is protected and cannot be deleted.`),
  protectedChild: (kind: MetadefChildKind, name: string) => new Forbidden(`Metadata definition ${kind} ${name} is protected and cannot be deleted.`),
  protectedAssociation: (resourceType: string) =>
    new Forbidden(`Metadata definition resource-type-association ${resourceType} is protected and cannot be deleted.`),

  // 404
  namespaceNotFound: (namespace: string) => new NotFound(`Metadata definition namespace=${namespace} was not found.`),
  childNotFound: (kind: MetadefChildKind, name: string, namespace: string) =>
    new NotFound(`The metadata definition ${kind} with name=${name} was not found in namespace=${namespace}.`),
  associationNotFound: (resourceType: string, namespace: string) =>
    new NotFound(`The metadata definition resource-type association of resource-type=${resourceType} to namespace=${namespace}, was not found.`),

  // 409
  duplicateNamespace: (namespace: string) => new Conflict(`The metadata definition namespace=${namespace} already exists.`),
  duplicateChild: (kind: MetadefChildKind, name: string, namespace: string) =>
    kind === 'tag'
      ? new Conflict(`A metadata tag with name=${name} already exists in namespace=${namespace}. (Please note that metadata tag names are case insensitive).`)
      : new Conflict(`A metadata definition ${kind} with name=${name} already exists in namespace=${namespace}.`),
  duplicateAssociation: (resourceType: string, namespace: string) =>
    new Conflict(`The metadata definition resource-type association of resource-type=${resourceType} to namespace=${namespace} already exists.`),
};
