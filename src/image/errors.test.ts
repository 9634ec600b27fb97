import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BadRequest, NotFound, Unauthorized } from '../core/errors.js';
import { preferredErrorType, renderGlanceError } from './errors.js';

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
