import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifySchemaValidationError } from 'fastify';
import { jsonschemaMessage, pythonRepr, pythonStr, violationField } from './jsonschema-wording.js';
import { lazyValidatorCompiler } from './lazy-validator.js';

/** The first violation of `data` against `schema`, through the validator every route uses. */
function firstViolation(schema: object, data: unknown): FastifySchemaValidationError {
  const validate = lazyValidatorCompiler({ schema, method: 'POST', url: '/', httpPart: 'body' }) as ((d: unknown) => boolean) & {
    errors?: FastifySchemaValidationError[];
  };
  assert.equal(validate(data), false);
  return validate.errors![0]!;
}

test("python's repr and str of JSON values", () => {
  assert.equal(pythonRepr({ a: [1, true, null], "it's": 'x' }), "{'a': [1, True, None], 'it\\'s': 'x'}");
  assert.equal(pythonStr('bare'), 'bare');
  assert.equal(pythonStr(null), 'None');
});

test("Ajv's violations worded as python-jsonschema's, with the field jsonschema's path ends in", () => {
  const schema = {
    type: 'object',
    required: ['volume'],
    additionalProperties: false,
    properties: {
      volume: {
        type: 'object',
        properties: { name: { type: ['string', 'null'], maxLength: 3 }, size: { type: 'integer', minimum: 1 }, id: { type: 'string', format: 'uuid' } },
        anyOf: [{ required: ['name'] }, { required: ['size'] }],
      },
    },
  };
  assert.equal(jsonschemaMessage(firstViolation(schema, {})), "'volume' is a required property");
  assert.equal(
    jsonschemaMessage(firstViolation(schema, { volume: { name: 'x' }, other: 1 })),
    "Additional properties are not allowed ('other' was unexpected)",
  );
  const long = firstViolation(schema, { volume: { name: 'abcd' } });
  assert.equal(violationField(long), 'name');
  assert.equal(jsonschemaMessage(long), "'abcd' is too long");
  assert.equal(jsonschemaMessage(firstViolation(schema, { volume: { name: 5 } })), "5 is not of type 'string', 'null'");
  assert.equal(jsonschemaMessage(firstViolation(schema, { volume: { size: 0 } })), '0 is less than the minimum of 1');
  assert.equal(jsonschemaMessage(firstViolation(schema, { volume: { size: 1, id: 'nope' } })), "'nope' is not a 'uuid'");
  // The failed anyOf is reported whole, not the first branch's "'name' is a required property".
  const none = firstViolation(schema, { volume: {} });
  assert.equal(violationField(none), 'volume');
  assert.equal(jsonschemaMessage(none), '{} is not valid under any of the given schemas');
});
