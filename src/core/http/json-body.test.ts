import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BadRequest } from '../errors.js';
import { MAX_JSON_DEPTH, nestingDepthExceeds, parseJsonBody } from './json-body.js';

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

test('nesting depth counts brackets and braces outside strings only', () => {
  assert.equal(nestingDepthExceeds(nested(3), 3), false);
  assert.equal(nestingDepthExceeds(nested(4), 3), true);
  assert.equal(nestingDepthExceeds('{"a":{"b":[{}]}}', 3), true);
  assert.equal(nestingDepthExceeds('{"a":{"b":[{}]}}', 4), false);
  // Brackets inside strings, and escaped quotes, do not nest.
  assert.equal(nestingDepthExceeds(`{"s": "${'['.repeat(100)}\\"[[["}`, 1), false);
});

test('parseJsonBody: empty is no body, deep or malformed is a 400, the rest parses', () => {
  assert.equal(parseJsonBody('  \n'), undefined);
  assert.deepEqual(parseJsonBody('{"server": {"name": "a"}}'), { server: { name: 'a' } });
  assert.deepEqual(parseJsonBody(nested(MAX_JSON_DEPTH)), JSON.parse(nested(MAX_JSON_DEPTH)));
  assert.throws(
    () => parseJsonBody(nested(5000)),
    (error) => error instanceof BadRequest && /nested deeper/.test(error.message),
  );
  assert.throws(
    () => parseJsonBody('{"a": '),
    (error) => error instanceof BadRequest && /not valid JSON/.test(error.message),
  );
  assert.throws(() => parseJsonBody('nope', 'Malformed JSON in request body.'), { message: 'Malformed JSON in request body.' });
});
