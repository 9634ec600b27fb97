import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifySchemaValidationError } from 'fastify';
import { NimbusError } from '../core/errors.js';
import { CODES, placementErrors, placementSchemaError, renderPlacementError } from './errors.js';

test("every named placement error is a 4xx NimbusError rendered in Placement's body, its code kept", () => {
  // Factories taking lists get lists; the others strings (and a number where one is expected).
  const listArgs: Record<string, unknown[]> = { unknownTraits: [['CUSTOM_T']], inventoryInUse: ['some-uuid', ['VCPU']] };
  const all = Object.entries(placementErrors).map(([name, make]) => (make as (...args: unknown[]) => NimbusError)(...(listArgs[name] ?? ['a', 'b', 1])));
  assert.ok(all.length > 40);
  const codes = new Set<string>(Object.values(CODES));
  for (const error of all) {
    assert.ok(error instanceof NimbusError);
    assert.ok(error.status >= 400 && error.status < 500, `${error.message}: ${error.status}`);
    const body = renderPlacementError(error, error.status, 'req-1') as { errors: Array<Record<string, unknown>> };
    const [entry] = body.errors;
    assert.equal(entry?.status, error.status);
    assert.equal(entry?.detail, error.message);
    assert.ok(codes.has(entry?.code as string), `${String(entry?.code)} is one of Placement's codes`);
    assert.equal(entry?.code, error.type ?? CODES.DEFAULT);
  }
  assert.equal(placementErrors.generationConflict().type, CODES.CONCURRENT_UPDATE);
  assert.equal(placementErrors.duplicateQueryParam('name').type, CODES.ILLEGAL_DUPLICATE_QUERYPARAM);
});

test('schema violations read "JSON does not validate: " and jsonschema\'s message', () => {
  const violation = {
    keyword: 'type',
    instancePath: '/name',
    schemaPath: '',
    params: { type: 'string' },
    message: '',
    data: 5,
  } as FastifySchemaValidationError;
  const error = placementSchemaError(violation);
  assert.equal(error.status, 400);
  assert.equal(error.message, "JSON does not validate: 5 is not of type 'string'");
});
