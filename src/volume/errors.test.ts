import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifySchemaValidationError } from 'fastify';
import { NimbusError } from '../core/errors.js';
import { cinderSchemaError, errors, notFound, renderCinderError } from './errors.js';

test('every named volume error is a 4xx NimbusError and renders as a Cinder fault body', () => {
  const all: NimbusError[] = [
    ...Object.values(notFound).map((make) => (make as (...args: unknown[]) => NimbusError)('some-id', 'key')),
    ...Object.values(errors).map((make) => (make as (...args: unknown[]) => NimbusError)('volumes', 1, 'b', 2)),
  ];
  assert.ok(all.length > 35);
  for (const error of all) {
    assert.ok(error instanceof NimbusError);
    assert.ok(error.status >= 400 && error.status < 500, `${error.message}: ${error.status}`);
    assert.ok(error.message.length > 0);
    const body = renderCinderError(error, error.status) as Record<string, { code: number; message: string }>;
    const [fault] = Object.values(body);
    assert.deepEqual(fault, { code: error.status, message: error.message });
  }
});

test("schema violations read as Cinder's validator: field, value and jsonschema's message; the message alone at the top", () => {
  const violation = (v: Partial<FastifySchemaValidationError> & { data?: unknown }) =>
    ({ instancePath: '', schemaPath: '', params: {}, message: '', ...v }) as FastifySchemaValidationError;
  assert.equal(
    cinderSchemaError(violation({ keyword: 'required', params: { missingProperty: 'volume' }, data: {} })).message,
    "'volume' is a required property",
  );
  assert.equal(
    cinderSchemaError(violation({ keyword: 'maxLength', instancePath: '/volume/name', params: { limit: 255 }, data: 'x'.repeat(3) })).message,
    "Invalid input for field/attribute name. Value: xxx. 'xxx' is too long",
  );
  assert.equal(
    cinderSchemaError(violation({ keyword: 'type', instancePath: '/volume/multiattach', params: { type: 'boolean,string' }, data: null })).message,
    "Invalid input for field/attribute multiattach. Value: None. None is not of type 'boolean', 'string'",
  );
  assert.equal(cinderSchemaError(violation({ keyword: 'required', params: { missingProperty: 'x' } })).status, 400);
});
