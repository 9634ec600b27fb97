/**
 * Shared JSON-schema pieces for identity request bodies, as Keystone's
 * jsonschema validators define them. Entities allow extra attributes (Keystone
 * keeps them); the wrapping document does not.
 */
export const nameSchema = { type: 'string', minLength: 1, maxLength: 255, pattern: '\\S' } as const;
/** Keystone's id_string (keystone/common/validation/parameter_types.py). */
export const idSchema = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9-]+$' } as const;
export const descriptionSchema = { type: ['string', 'null'] } as const;
export const enabledSchema = { type: 'boolean' } as const;
export const nullableIdSchema = { ...idSchema, type: ['string', 'null'] } as const;

/** `{ "<key>": { ... } }`, the entity required, nothing else at the top. */
export function wrapped(key: string, entity: object, required: string[] = []) {
  return {
    type: 'object',
    required: [key],
    additionalProperties: false,
    properties: {
      [key]: { type: 'object', additionalProperties: true, required, ...entity },
    },
  } as const;
}
