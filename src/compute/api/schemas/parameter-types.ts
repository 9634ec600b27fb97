/**
 * Nova's parameter_types (nova/api/validation/parameter_types.py) that the
 * compute route schemas share. Where Nova's validator adds a check Ajv
 * cannot (its `name` format, minimum/maximum of numeric strings), the route
 * keeps that check in code.
 */
import { osloBoolean } from '../../../core/http/parameter-types.js';
import type { BodySchema } from '../schema.js';

/** Nova's db.MAX_INT: the bound its schemas put on integers that land in a database column. */
export const MAX_INT = 0x7fffffff;

/** `name`: 1-255 characters (printable, no leading/trailing blanks: checked in code with Nova's message). */
export const name: BodySchema = { type: 'string', minLength: 1, maxLength: 255 };

/** `positive_integer`: a JSON integer or a string of digits, at least 1. */
export const positiveInteger: BodySchema = { type: ['integer', 'string'], pattern: '^[0-9]*$', minimum: 1, minLength: 1 };

/** `boolean`: Nova's, as oslo reads it. */
export const boolean: BodySchema = osloBoolean;

/** `admin_password`: any 1-255 character string (Nova checks no strength). */
export const adminPassword: BodySchema = { type: 'string', minLength: 1, maxLength: 255 };

/** Metadata keys: 1-255 letters, digits and `-_:. `. */
export const METADATA_KEY = '^[a-zA-Z0-9-_:. ]{1,255}$';

/** `metadata`: a flat map of such keys to strings of at most 255 characters. */
export const metadata: BodySchema = {
  type: 'object',
  patternProperties: { [METADATA_KEY]: { type: 'string', maxLength: 255 } },
  additionalProperties: false,
};

/** `metadata_with_null`: as metadata, a null value removing the key (aggregates). */
export const metadataWithNull: BodySchema = {
  type: 'object',
  patternProperties: { [METADATA_KEY]: { type: ['string', 'null'], maxLength: 255 } },
  additionalProperties: false,
};

/** `{key: inner}` as the whole body, nothing else beside it. */
export function envelope(key: string, inner: BodySchema): BodySchema {
  return { type: 'object', properties: { [key]: inner }, required: [key], additionalProperties: false };
}

/** An object of exactly these properties (those in `required` must be there). */
export function strictObject(properties: Record<string, BodySchema>, required: string[] = []): BodySchema {
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}
