/** The yaql subset: what it evaluates and what it refuses. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Json } from '../../src/orchestration/json.js';
import { parseTemplate, resolveSnippet } from '../../src/orchestration/template/index.js';
import { assertHeatError, fixedScope } from './template-support.js';

const t = parseTemplate({ heat_template_version: '2021-04-16' });
const yaql = (expression: string, data: Json = {}) => resolveSnippet(t, { yaql: { expression, data } }, fixedScope());

describe('template: yaql', () => {
  test('paths, arithmetic, comparisons and logic', async () => {
    assert.equal(await yaql('$.data.a.b[1]', { a: { b: [1, 2] } }), 2);
    assert.equal(await yaql("$.data['k']", { k: 'v' }), 'v');
    assert.equal(await yaql('1 + 2 * 3 - 4 / 2'), 5);
    assert.equal(await yaql('7 mod 3'), 1);
    assert.equal(await yaql("'a' + 'b'"), 'ab');
    assert.equal(await yaql('$.data.n > 2 and not $.data.n = 5', { n: 3 }), true);
    assert.equal(await yaql("'x' in $.data.l", { l: ['x'] }), true);
    assert.deepEqual(await yaql('{a => 1} + {b => 2}'), { a: 1, b: 2 });
  });

  test('collection functions, as methods and as functions', async () => {
    const data = {
      l: [3, 1, 2, 3],
      servers: [
        { name: 'a', up: true },
        { name: 'b', up: false },
      ],
    };
    assert.equal(await yaql('$.data.l.sum()', data), 9);
    assert.equal(await yaql('len($.data.l)', data), 4);
    assert.equal(await yaql('max($.data.l)', data), 3);
    assert.deepEqual(await yaql('$.data.l.distinct()', data), [3, 1, 2]);
    assert.deepEqual(await yaql('$.data.l.select($ * 10)', data), [30, 10, 20, 30]);
    assert.deepEqual(await yaql('$.data.servers.where($.up).select($.name)', data), ['a']);
    assert.deepEqual(await yaql('$.data.l.orderBy($)', data), [1, 2, 3, 3]);
    assert.equal(await yaql("$.data.servers.select($.name).join(',')", data), 'a,b');
    assert.deepEqual(await yaql("'a-b'.split('-')"), ['a', 'b']);
    assert.deepEqual(await yaql('$.data.m.keys()', { m: { x: 1 } }), ['x']);
    assert.equal(await yaql("'Hi'.toUpper()"), 'HI');
  });

  test('bad expressions and failures are 400s; nothing is executed', async () => {
    await assertHeatError(() => yaql('$.data.('), 'StackValidationFailed', /^Bad expression Parse error: /);
    await assertHeatError(() => yaql('process.exit(1)'), 'StackValidationFailed', 'Unknown function "#exit"');
    await assertHeatError(() => yaql('1 / 0'), 'StackValidationFailed', 'division by zero');
    await assertHeatError(() => yaql('range(500)'), 'StackValidationFailed', 'Collection length exceeds 200 elements');
    await assertHeatError(
      () => resolveSnippet(t, { yaql: { expression: 1 } }, fixedScope()),
      'StackValidationFailed',
      'The "expression" argument to yaql must contain a string.',
    );
    await assertHeatError(() => resolveSnippet(t, { yaql: { data: {} } }, fixedScope()), 'StackValidationFailed', /^'"yaql" syntax should be yaql:\\n/);
  });
});
