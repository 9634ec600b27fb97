import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NimbusError, QuotaExceeded } from '../core/errors.js';
import * as catalogue from './errors.js';

const FAULTS: Record<number, string> = {
  400: 'badRequest',
  403: 'forbidden',
  404: 'itemNotFound',
  409: 'conflictingRequest',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

/** Every factory of every group in errors.ts, called with placeholder arguments. */
function everyError(): Array<[string, NimbusError]> {
  const made: Array<[string, NimbusError]> = [];
  for (const [group, factories] of Object.entries(catalogue)) {
    if (typeof factories !== 'object' || factories === null) continue;
    for (const [name, make] of Object.entries(factories as Record<string, (...args: unknown[]) => NimbusError>)) {
      const args = name === 'quota' ? [new QuotaExceeded('cores', 20, 18, 4)] : name === 'additionalProperties' ? [['x'], 'b'] : ['a', 'b', 'c', 'd'];
      made.push([`${group}.${name}`, make(...args)]);
    }
  }
  return made;
}

test('every named compute error is a NimbusError with Nova status and renders as a Nova fault', () => {
  const all = everyError();
  assert.ok(all.length >= 160, `${all.length} named errors`);
  for (const [name, error] of all) {
    assert.ok(error instanceof NimbusError, name);
    assert.ok(error.status in FAULTS, `${name}: ${error.status}`);
    assert.ok(error.message.length > 0 && !error.message.includes('undefined'), `${name}: ${error.message}`);
    const body = catalogue.renderNovaError(error, error.status) as Record<string, { code: number; message: string }>;
    assert.deepEqual(body, { [FAULTS[error.status] as string]: { code: error.status, message: error.message } }, name);
  }
});

test("messages are Nova's, with their arguments in place", () => {
  assert.equal(
    catalogue.novaErrors.quota(new QuotaExceeded('cores', 20, 18, 4)).message,
    'Quota exceeded for cores: Requested 4, but already used 18 of 20 cores',
  );
  assert.equal(
    catalogue.aggregateErrors.cannotCreate('agg', 'The AZ name cannot be the same as the internal AZ').message,
    'Cannot create aggregate agg. Reason: The AZ name cannot be the same as the internal AZ.',
  );
  assert.equal(catalogue.migrationErrors.notFoundForInstance('7', 'srv', 400).status, 400);
  assert.equal(catalogue.migrationErrors.notFoundForInstance('7', 'srv', 404).status, 404);
  assert.equal(catalogue.requestErrors.markerNotFound('m').message, 'marker [m] not found');
  assert.equal(catalogue.securityGroupErrors.notFoundForProject('web', 'p1', 400).status, 400);
  assert.equal(catalogue.securityGroupErrors.notFoundForProject('web', 'p1', 404).message, 'Security group web not found for project p1.');
  assert.equal(catalogue.novaErrors.policy('os_compute_api:os-lock-server:unlock:unlock_override').status, 403);
  assert.equal(catalogue.requestErrors.schemaViolation("'server' is a required property").message, "'server' is a required property");
  assert.equal(
    catalogue.requestErrors.invalidQueryParameter('limit', 'x', "'x' does not match '^[0-9]*$'").message,
    "Invalid input for query parameters limit. Value: x. 'x' does not match '^[0-9]*$'",
  );
});
