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

/** The Ajv options OpenStack needs: unknown keys kept (so they can be refused), no coercion, no defaults. */
export const OPENSTACK_AJV_OPTIONS = { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false, allowUnionTypes: true } as const;

type LazyValidator = ((data: unknown) => boolean) & { errors?: ValidateFunction['errors'] };

/**
 * A schema compiler that compiles each schema with `ajv` on its first use. A
 * service whose errors quote the offending value (Neutron's) passes an Ajv
 * made with `verbose: true`, so each violation carries its data.
 */
export function lazyValidatorCompilerFor(ajv: Ajv): FastifySchemaCompiler<unknown> {
  return ({ schema }) => {
    let compiled: ValidateFunction | undefined;
    const validate: LazyValidator = (data) => {
      compiled ??= ajv.compile(schema as object);
      const valid = compiled(data);
      validate.errors = compiled.errors;
      return valid;
    };
    return validate;
  };
}

export const lazyValidatorCompiler: FastifySchemaCompiler<unknown> = lazyValidatorCompilerFor(new Ajv(OPENSTACK_AJV_OPTIONS));
