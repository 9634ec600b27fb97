/** evaluateConditions, activeResources and resourceDependencies. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject } from '../../src/orchestration/json.js';
import { activeResources, evaluateConditions, outputEnabled, parseTemplate, resourceDependencies } from '../../src/orchestration/template/index.js';
import { assertHeatError } from './template-support.js';

function template(conditions: JsonObject, resources: JsonObject = {}, version = '2021-04-16') {
  return parseTemplate({
    heat_template_version: version,
    parameters: { env: { type: 'string' }, zones: { type: 'comma_delimited_list' } },
    conditions,
    resources,
  });
}

describe('template: conditions', () => {
  test('equals, not, and, or, contains and references to other conditions', () => {
    const t = template({
      prod: { equals: [{ get_param: 'env' }, 'prod'] },
      dev: { not: 'prod' },
      both: { and: ['prod', { equals: [1, 1] }] },
      either: { or: ['dev', false] },
      zoned: { contains: ['az1', { get_param: 'zones' }] },
      yes: true,
    });
    assert.deepEqual(evaluateConditions(t, { env: 'prod', zones: ['az1', 'az2'] }), {
      prod: true,
      dev: false,
      both: true,
      either: false,
      zoned: true,
      yes: true,
    });
  });

  test('circular, invalid and misplaced definitions', async () => {
    await assertHeatError(
      () => evaluateConditions(template({ a: { not: 'b' }, b: { not: 'a' } }), {}),
      'StackValidationFailed',
      'Condition validation error: : Circular definition for condition "a"',
    );
    await assertHeatError(
      () => evaluateConditions(template({ a: 'text' }), {}),
      'StackValidationFailed',
      'Condition validation error: : The definition of condition "a" is invalid: text',
    );
    await assertHeatError(
      () => evaluateConditions(template({ a: { not: 'missing' } }), {}),
      'StackValidationFailed',
      'conditions.a.not: : Invalid condition "missing"',
    );
    await assertHeatError(
      () => evaluateConditions(template({ a: { equals: [{ get_resource: 'r' }, 'x'] } }), {}),
      'StackValidationFailed',
      'conditions.a.equals[0].get_resource: : The function "get_resource" is invalid in this context',
    );
    await assertHeatError(
      () => evaluateConditions(template({ a: { and: ['x'] } }), {}),
      'StackValidationFailed',
      'conditions.a.and: : The minimum number of condition arguments to "and" is 2.',
    );
    // contains only exists from 2017-09-01: in 2016-10-14 it is a plain map, which is no condition.
    await assertHeatError(
      () => evaluateConditions(template({ a: { contains: ['x', ['x']] } }, {}, '2016-10-14'), {}),
      'StackValidationFailed',
      `Condition validation error: : The definition of condition "a" is invalid: {'contains': ['x', ['x']]}`,
    );
  });

  test('a false condition leaves its resource out, and out of every dependency', () => {
    const t = template(
      { prod: { equals: [{ get_param: 'env' }, 'prod'] } },
      {
        db: { type: 'T', condition: 'prod' },
        lb: { type: 'T', condition: { not: 'prod' } },
        app: {
          type: 'T',
          depends_on: ['db'],
          properties: { a: { get_attr: ['db', 'ip'] }, b: { if: ['prod', { get_resource: 'db' }, { get_resource: 'lb' }] } },
        },
      },
    );
    const dev = evaluateConditions(t, { env: 'dev' });
    assert.deepEqual(
      activeResources(t, dev).map((r) => r.name),
      ['lb', 'app'],
    );
    assert.deepEqual(resourceDependencies(t, t.resources.app!, dev), ['lb']);
    const prod = evaluateConditions(t, { env: 'prod' });
    assert.deepEqual(
      activeResources(t, prod).map((r) => r.name),
      ['db', 'app'],
    );
    assert.deepEqual(resourceDependencies(t, t.resources.app!, prod), ['db']);
  });

  test('outputs with a false condition are shown without a value', () => {
    const t = parseTemplate({ heat_template_version: '2016-10-14', conditions: { no: false }, outputs: { o: { value: 1, condition: 'no' }, p: { value: 2 } } });
    const conditions = evaluateConditions(t, {});
    assert.equal(outputEnabled(t, 'o', conditions), false);
    assert.equal(outputEnabled(t, 'p', conditions), true);
  });

  test('in HOT 2013-05-23 a Ref to a resource is a dependency, a Ref to a parameter is not', () => {
    const t = parseTemplate({
      heat_template_version: '2013-05-23',
      parameters: { p: { type: 'string', default: 'x' } },
      resources: { a: { type: 'T' }, b: { type: 'T', properties: { x: { Ref: 'a' }, y: { Ref: 'p' }, z: { 'Fn::Join': [',', [{ Ref: 'a' }]] } } } },
    });
    assert.deepEqual(resourceDependencies(t, t.resources.b!, {}), ['a']);
  });
});
