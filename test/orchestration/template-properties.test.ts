/** validateProperties: coercion, defaults, required, nested schemas, constraints, unknown keys. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Json } from '../../src/orchestration/json.js';
import type { PropertySchema } from '../../src/orchestration/resources/types.js';
import { validateProperties } from '../../src/orchestration/template/index.js';
import { assertHeatError } from './template-support.js';

const schema: Record<string, PropertySchema> = {
  name: { type: 'string' },
  size: { type: 'integer', constraints: [{ range: { min: 1, max: 10 } }] },
  ratio: { type: 'number' },
  enabled: { type: 'boolean', default: true },
  flavor: { type: 'string', required: true, constraints: [{ custom_constraint: 'nova.flavor' }] },
  tags: { type: 'list', schema: { '*': { type: 'string', constraints: [{ length: { max: 3 } }] } } },
  net: { type: 'map', schema: { id: { type: 'string', required: true }, fixed: { type: 'boolean' } } },
  extra: { type: 'any' },
};

const options = { checkCustom: async (_name: string, value: Json) => (value === 'huge' ? `Error validating value 'huge'` : null) };
const check = (values: Json) => validateProperties(schema, values, 'resources.vm.properties', options);

describe('template: property validation', () => {
  test('values are coerced to their types and defaults filled in', async () => {
    assert.deepEqual(
      await check({ name: 42, size: '3', ratio: '0.5', enabled: 'False', flavor: 'm1', tags: ['a'], net: { id: 'n', fixed: 'true' }, extra: [1] }),
      {
        name: '42',
        size: 3,
        ratio: 0.5,
        enabled: false,
        flavor: 'm1',
        tags: ['a'],
        net: { id: 'n', fixed: true },
        extra: [1],
      },
    );
    assert.deepEqual(await check({ flavor: 'm1' }), { name: null, size: null, ratio: null, enabled: true, flavor: 'm1', tags: null, net: null, extra: null });
    assert.deepEqual(await check({ flavor: 'm1', name: true, ratio: null }), {
      name: 'True',
      size: null,
      ratio: 0,
      enabled: true,
      flavor: 'm1',
      tags: null,
      net: null,
      extra: null,
    });
  });

  test('type errors in Heat words', async () => {
    const p = 'Property error: : resources.vm.properties';
    await assertHeatError(() => check({ flavor: 'm1', size: 'abc' }), 'StackValidationFailed', `${p}.size: : Value 'abc' is not an integer`);
    await assertHeatError(() => check({ flavor: 'm1', ratio: 'x' }), 'StackValidationFailed', `${p}.ratio: : could not convert string to float: 'x'`);
    await assertHeatError(() => check({ flavor: 'm1', enabled: 'maybe' }), 'StackValidationFailed', `${p}.enabled: : "maybe" is not a valid boolean`);
    await assertHeatError(() => check({ flavor: 'm1', name: { a: 1 } }), 'StackValidationFailed', `${p}.name: : Value must be a string; got {'a': 1}`);
    await assertHeatError(() => check({ flavor: 'm1', tags: 'a,b' }), 'StackValidationFailed', `${p}.tags: : "'a,b'" is not a list`);
    await assertHeatError(() => check({ flavor: 'm1', net: ['x'] }), 'StackValidationFailed', `${p}.net: : "['x']" is not a map`);
  });

  test('required, unknown, nested and constraint errors', async () => {
    const p = 'Property error: : resources.vm.properties';
    await assertHeatError(() => check({}), 'StackValidationFailed', `${p}: : Property flavor not assigned`);
    await assertHeatError(() => check({ flavor: 'm1', colour: 'red' }), 'StackValidationFailed', `${p}: : Unknown Property colour`);
    await assertHeatError(() => check({ flavor: 'm1', net: { fixed: true } }), 'StackValidationFailed', `${p}.net: : Property id not assigned`);
    await assertHeatError(() => check({ flavor: 'm1', net: { id: 'n', nope: 1 } }), 'StackValidationFailed', `${p}.net: : Unknown Property nope`);
    await assertHeatError(
      () => check({ flavor: 'm1', tags: ['ok', 'toolong'] }),
      'StackValidationFailed',
      `${p}.tags[1]: : length (7) is out of range (min: None, max: 3)`,
    );
    await assertHeatError(() => check({ flavor: 'm1', size: null }), 'StackValidationFailed', `${p}.size: : 0 is out of range (min: 1, max: 10)`, 400);
    await assertHeatError(() => check({ flavor: 'm1', size: 11 }), 'StackValidationFailed', `${p}.size: : 11 is out of range (min: 1, max: 10)`);
    await assertHeatError(() => check({ flavor: 'huge' }), 'StackValidationFailed', `${p}.flavor: : Error validating value 'huge'`);
  });
});
