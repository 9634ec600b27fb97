import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InternalError, toNimbusError } from './service-scope.js';

const withCode = (code: string) => Object.assign(new Error(`engine says ${code}`), { code });

test("a store's refusal of a request value is the client's 4xx, not a 500", () => {
  // PostgreSQL data exceptions: NUL in text, integer out of range, string too long, bad number text.
  for (const code of ['22021', '22003', '22001', '22P02']) {
    const error = toNimbusError(withCode(code));
    assert.equal(error.status, 400, code);
    assert.equal(error.cause instanceof Error, true);
  }
  assert.equal(toNimbusError(withCode('SQLITE_MISMATCH')).status, 400);
  assert.equal(toNimbusError(new TypeError('SQLite3 can only bind numbers, strings, bigints, buffers, and null')).status, 400);
  assert.equal(toNimbusError(withCode('23505')).status, 409);
  assert.equal(toNimbusError(withCode('SQLITE_CONSTRAINT_FOREIGNKEY')).status, 409);
});

test('anything else unexpected stays a 500', () => {
  assert.ok(toNimbusError(new TypeError('x is undefined')) instanceof InternalError);
  assert.ok(toNimbusError(withCode('40001')) instanceof InternalError);
});
