/**
 * One way to check a Neutron request body: the JSON schema made from the
 * resource's attribute map (attributes.ts), checked by Ajv at the route
 * (Fastify, see api/crud.ts) and by operations.ts before it calls the service
 * layer, with violations worded as Neutron's API layer words them. What JSON
 * schema cannot say (CIDR math, cross-field rules, which boolean spellings
 * Neutron accepts) stays in the service layer.
 *
 * Schemas compile with core's shared Ajv, which is verbose: Neutron's
 * messages quote the offending value, so each violation carries it.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { FastifySchemaValidationError } from 'fastify';
import type { NimbusError } from '../../core/errors.js';
import { openstackAjv } from '../../core/http/lazy-validator.js';
import { errors } from '../errors.js';
import { attributesSchema, type AttrMap } from './attributes.js';

/** A violation as a verbose Ajv reports it. */
type Violation = Pick<ErrorObject, 'keyword' | 'instancePath' | 'params' | 'message' | 'data' | 'schema' | 'parentSchema'>;

/** A resource's body on create: `{"network": {...}}`, or `{"networks": [{...}, ...]}` for bulk when `collection` is given. */
export function createEnvelope(singular: string, map: AttrMap, collection?: string): Record<string, unknown> {
  const one = { required: [singular], properties: { [singular]: attributesSchema(singular, map, 'create') } };
  if (!collection) return { title: singular, type: 'object', ...one };
  return {
    title: singular,
    type: 'object',
    if: { required: [collection], properties: { [collection]: { type: 'array' } } },
    then: { properties: { [collection]: { type: 'array', items: attributesSchema(singular, map, 'create') } } },
    else: one,
  };
}

/** A resource's body on update: `{"network": {...}}`. */
export function updateEnvelope(singular: string, map: AttrMap): Record<string, unknown> {
  return { title: singular, type: 'object', required: [singular], properties: { [singular]: attributesSchema(singular, map, 'update') } };
}

/** The title (the resource's name) of the schema a violation comes from. */
function titleOf(violation: Violation): string {
  const title = (violation.parentSchema as { title?: unknown } | undefined)?.title;
  return typeof title === 'string' ? title : '';
}

/** Neutron's words for a schema violation in a body (the route's `schemaError`, and operations.ts's). */
export function neutronSchemaError(violation: Violation): NimbusError {
  const path = violation.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (path.length === 0) {
    return errors.missingResource(violation.keyword === 'required' ? String(violation.params.missingProperty) : titleOf(violation));
  }
  // Under the envelope: the resource, or one of a bulk request's resources, then its attribute.
  const [, ...inside] = path;
  const [attribute, ...below] = /^\d+$/.test(inside[0] ?? '') ? inside.slice(1) : inside;
  if (attribute === undefined) {
    if (violation.keyword === 'additionalProperties') {
      const known = Object.keys((violation.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return errors.unrecognizedAttributes(...Object.keys(violation.data as object).filter((key) => !known.includes(key)));
    }
    return errors.resourceNotObject(titleOf(violation));
  }
  if (violation.keyword === 'false schema') return errors.readOnlyAttribute(attribute);
  return errors.invalidAttribute(attribute, reason(violation, below.length > 0));
}

/** Why a value is refused, in neutron-lib validators' words; `item` for an element of a list. */
function reason(violation: Violation, item: boolean): string {
  const { data } = violation;
  const types = [(violation.parentSchema as { type?: unknown } | undefined)?.type].flat();
  const json = JSON.stringify(data) ?? String(data);
  switch (violation.keyword) {
    case 'maxLength':
      return item
        ? `'${json.slice(0, 64)}' is not a valid string`
        : `'${String(data).slice(0, 64)}...' exceeds maximum length of ${String(violation.params.limit)}`;
    case 'maxItems':
      return `a list of ${Array.isArray(data) ? data.length : 0} items exceeds the maximum of ${String(violation.params.limit)}`;
    case 'pattern':
      return `'${String(data)}' is not an integer`;
    case 'type':
      if (types.includes('boolean')) return `'${String(data)}' cannot be converted to boolean`;
      if (types.includes('integer')) return `'${String(data)}' is not an integer`;
      if (types.includes('array')) return `'${json}' is not a list`;
      if (types.includes('object')) return `'${json}' is not a dictionary`;
      return `'${item ? json.slice(0, 64) : json}' is not a valid string`;
    default:
      return violation.message ?? 'invalid value';
  }
}

/** The route's `schemaError`: network's compiler is verbose, so Fastify's violation is Ajv's, value included. */
export function routeSchemaError(violation: FastifySchemaValidationError): NimbusError {
  return neutronSchemaError(violation as Violation);
}

const compiled = new Map<string, ValidateFunction>();

/**
 * Checks a body an in-process caller built (operations.ts) with the schema the
 * route uses, so a typed request is refused as the same request over REST is.
 */
export function checkBody(singular: string, map: AttrMap, mode: 'create' | 'update', body: unknown): void {
  const key = `${singular}:${mode}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = openstackAjv.compile(mode === 'create' ? createEnvelope(singular, map) : updateEnvelope(singular, map));
    compiled.set(key, validate);
  }
  const [first] = validate({ [singular]: body }) ? [] : (validate.errors ?? []);
  if (first) throw neutronSchemaError(first);
}
