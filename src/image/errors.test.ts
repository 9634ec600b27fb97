import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BadRequest, NimbusError, NotFound, Unauthorized } from '../core/errors.js';
import { imageErrors, preferredErrorType, renderGlanceError } from './errors.js';

test('webob negotiation: JSON only when the client prefers it', () => {
  assert.equal(preferredErrorType(undefined), 'text/plain');
  assert.equal(preferredErrorType(''), 'text/plain');
  assert.equal(preferredErrorType('*/*'), 'text/plain');
  assert.equal(preferredErrorType('application/json'), 'application/json');
  assert.equal(preferredErrorType('application/json, */*;q=0.5'), 'application/json');
  assert.equal(preferredErrorType('application/json, */*'), 'text/plain', 'ties go to text/plain, as webob offers it first');
  assert.equal(preferredErrorType('text/html,application/xhtml+xml'), 'text/html');
  assert.equal(preferredErrorType('image/png'), 'text/plain');
});

test('bodies: webob JSON, plain text, and Keystone JSON for 401', () => {
  assert.deepEqual(JSON.parse(renderGlanceError(new NotFound('gone'), 404, 'application/json').body), {
    message: 'gone',
    code: '404 Not Found',
    title: 'Not Found',
  });
  const plain = renderGlanceError(new BadRequest('bad input'), 400, undefined);
  assert.match(plain.contentType, /^text\/plain/);
  assert.equal(plain.body, '400 Bad Request\n\nbad input\n\n   ');
  const unauthorized = renderGlanceError(new Unauthorized('who?'), 401, '*/*');
  assert.deepEqual(JSON.parse(unauthorized.body), { error: { code: 401, title: 'Unauthorized', message: 'who?' } });
});

test('every named image error is a NimbusError with an HTTP error status that renders as a webob body', () => {
  // One-element lists stand for every argument: they read as their element in a message and as a list where one is wanted.
  const all = Object.entries(imageErrors).map(([name, make]) => [name, (make as (...args: unknown[]) => NimbusError)(['a'], ['b'], ['c'])] as const);
  assert.ok(all.length > 60);
  for (const [name, error] of all) {
    assert.ok(error instanceof NimbusError, name);
    assert.ok(error.status >= 400 && error.status < 600, `${name}: ${error.status}`);
    assert.ok(error.message.length > 0, name);
    const body = JSON.parse(renderGlanceError(error, error.status, 'application/json').body) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), error.status === 401 ? ['error'] : ['message', 'code', 'title'], name);
  }
});

test("catalogue wording that clients match stays Glance's", () => {
  assert.equal(imageErrors.imageNotFound('x').message, 'No image found with ID x');
  assert.equal(imageErrors.notAuthorized('get_image').message, 'You are not authorized to complete get_image action.');
  assert.equal(imageErrors.transitionConflict('active', 'saving').message, 'Image status transition from active to saving is not allowed');
  assert.equal(imageErrors.propertiesRequired(['disk_format']).message, 'Property disk_format must be set prior to saving data.');
  assert.equal(
    imageErrors.propertiesRequired(['disk_format', 'container_format']).message,
    'Properties disk_format, container_format must be set prior to saving data.',
  );
  assert.deepEqual(imageErrors.methodNotAllowed('GET, HEAD').headers, { allow: 'GET, HEAD' });
  assert.deepEqual(imageErrors.rangeNotSatisfiable('bad', 10).headers, { 'content-range': 'bytes */10' });
});
