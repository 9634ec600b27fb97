import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstStringWithNul } from './nul.js';

test('finds a NUL in a value or a key at any depth, naming its field', () => {
  assert.equal(firstStringWithNul({ server: { name: 'ok', tags: ['a', 'b'] } }), null);
  assert.deepEqual(firstStringWithNul({ server: { metadata: { key: ['x', 'a\u0000b'] } } }), { field: 'key', value: 'a\u0000b' });
  assert.deepEqual(firstStringWithNul({ 'k\u0000': 1 }), { field: 'body', value: 'k\u0000' });
  assert.deepEqual(firstStringWithNul('\u0000', 'id'), { field: 'id', value: '\u0000' });
  let deep: unknown = 'tail\u0000';
  for (let i = 0; i < 100_000; i++) deep = [deep];
  assert.equal(firstStringWithNul(deep)?.value, 'tail\u0000');
});
