/**
 * Request-schema validation compiled on first use instead of at start.
 * Compiling every route's JSON schema up front cost more than half of the
 * server's start-up; most routes of a test or dev cloud are never called.
 *
 * The options are the ones OpenStack needs (see app.ts): no silent removal of
 * unknown keys and no type coercion, so a wrong type is a 400 as in the real services.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * The one Ajv every service's schemas compile with, for route checks and for
 * operations that check a typed request against the route's schema (network's).
 * `verbose`: errors carry the offending value, which services quote in their
 * messages (jsonschema-wording.ts).
 */
export const openstackAjv = new Ajv({
  removeAdditional: false,
  coerceTypes: false,
  useDefaults: false,
  allErrors: false,
  allowUnionTypes: true,
  verbose: true,
});
// `format: 'uuid'` as python-jsonschema checks it with uuid.UUID(): 32 hex digits, dashes optional.
openstackAjv.addFormat('uuid', /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/);

type LazyValidator = ((data: unknown) => boolean) & { errors?: ValidateFunction['errors'] };

export const lazyValidatorCompiler: FastifySchemaCompiler<unknown> = ({ schema }) => {
  let compiled: ValidateFunction | undefined;
  const validate: LazyValidator = (data) => {
    compiled ??= openstackAjv.compile(schema as object);
    const valid = compiled(data);
    validate.errors = compiled.errors ? composite(compiled.errors) : compiled.errors;
    return valid;
  };
  return validate;
};

type Violations = NonNullable<ValidateFunction['errors']>;

/**
 * A failed anyOf/oneOf as one violation, where its branches' errors stood:
 * Ajv lists each branch's error before the composite's, python-jsonschema's
 * validators (whose wording services copy) report the composite.
 */
function composite(errors: Violations): Violations {
  const composites = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  if (composites.length === 0) return errors;
  /** The outermost composite whose branch `error` failed in, if any. */
  const owner = (error: Violations[number]) =>
    composites.filter((c) => c !== error && error.schemaPath.startsWith(`${c.schemaPath}/`)).sort((a, b) => a.schemaPath.length - b.schemaPath.length)[0];
  const result: Violations = [];
  for (const error of errors) {
    const shown = owner(error) ?? error;
    if (!result.includes(shown)) result.push(shown);
  }
  return result;
}
