import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NimbusError } from '../core/errors.js';
import { errors, notFound, renderNeutronError } from './errors.js';

/** Neutron's ServiceUnavailable family: the one kind of named error that is not the client's fault. */
const UNAVAILABLE = ['ServiceProfileDisabled'];

test('every named network error has a 4xx status (503 for the unavailable ones), a type and renders as a NeutronError body', () => {
  const all: NimbusError[] = [
    ...Object.values(notFound).map((make) => make('some-id')),
    ...Object.values(errors).map((make) => (make as (...args: unknown[]) => NimbusError)('a', 'b', 'c')),
  ];
  assert.ok(all.length > 30);
  for (const error of all) {
    assert.ok(error instanceof NimbusError);
    const expected = UNAVAILABLE.includes(error.type ?? '') ? error.status === 503 : error.status >= 400 && error.status < 500;
    assert.ok(expected, `${error.type}: ${error.status}`);
    assert.match(error.type ?? '', /^[A-Z][A-Za-z0-9]+$/, error.message);
    const body = renderNeutronError(error, error.status) as { NeutronError: { type: string; message: string; detail: string } };
    assert.deepEqual(Object.keys(body.NeutronError), ['type', 'message', 'detail']);
    assert.equal(body.NeutronError.type, error.type);
    assert.equal(body.NeutronError.detail, '');
  }
});

test('errors without a named type render with webob-style defaults', () => {
  class Teapot extends NimbusError {
    readonly status = 404;
  }
  assert.deepEqual(renderNeutronError(new Teapot('gone'), 404), { NeutronError: { type: 'HTTPNotFound', message: 'gone', detail: '' } });
});
