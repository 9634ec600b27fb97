import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NimbusError, NotFound } from '../core/errors.js';
import { identityErrors, renderKeystoneError } from './errors.js';

test('every named identity error is a NimbusError with a 4xx status that renders as a Keystone body', () => {
  // One-element lists stand for every argument: they read as their element in a message.
  const all = Object.entries(identityErrors).map(([name, make]) => [name, (make as (...args: unknown[]) => NimbusError)(['a'], ['b'], ['c'], ['d'])] as const);
  assert.ok(all.length > 60);
  for (const [name, error] of all) {
    assert.ok(error instanceof NimbusError, name);
    assert.ok(error.status >= 400 && error.status < 500, `${name}: ${error.status}`);
    assert.ok(error.message.length > 0, name);
    assert.deepEqual(
      renderKeystoneError(error, error.status),
      { error: { code: error.status, title: renderTitle(error.status), message: error.message } },
      name,
    );
  }
});

test("catalogue wording that clients match stays Keystone's", () => {
  assert.equal(identityErrors.notFound('project', 'p1').message, 'Could not find project: p1.');
  assert.equal(identityErrors.notAuthorized('identity:get_user').message, 'You are not authorized to perform the requested action: identity:get_user.');
  assert.equal(identityErrors.authRequired().message, 'The request you have made requires authentication.');
  assert.equal(identityErrors.authRequired().status, 401);
  assert.equal(
    identityErrors.conflict('store', 'role', 'Duplicate entry found with name r').message,
    'Conflict occurred attempting to store role - Duplicate entry found with name r.',
  );
  assert.match(identityErrors.expectingToFind('password', 'identity').message, /^Expecting to find password in identity\. The server could not comply/);
  assert.equal(identityErrors.referenceNotFound('domain', 'd').status, 400, 'a missing referenced domain is a 400 in Keystone');
  assert.ok(identityErrors.tokenRefused(true, 'gone') instanceof NotFound);
  assert.equal(identityErrors.tokenRefused(false, 'gone').status, 401);
  const cause = new Error('bad padding');
  assert.equal(identityErrors.invalidToken(cause).cause, cause);
});

function renderTitle(status: number): string {
  return ({ 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict' } as Record<number, string>)[status] ?? '';
}
