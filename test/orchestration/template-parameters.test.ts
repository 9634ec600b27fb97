/** resolveParameters and parameterView: types, constraints, precedence, pseudo parameters, immutability. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Json, JsonObject } from '../../src/orchestration/json.js';
import { parameterView, parseEnvironment, parseTemplate, resolveParameters } from '../../src/orchestration/template/index.js';
import { assertHeatError } from './template-support.js';

const ids = { stackName: 'demo', stackId: 'stack-uuid', projectId: 'project-uuid', checkCustom: async () => null };

function resolve(
  parameters: JsonObject,
  given: Record<string, Json> = {},
  env = parseEnvironment(undefined),
  extra: Partial<typeof ids & { previous: Record<string, Json> }> = {},
) {
  return resolveParameters(parseTemplate({ heat_template_version: '2021-04-16', parameters }), env, given, { ...ids, ...extra });
}

describe('template: parameter values', () => {
  test('types: numbers, booleans, lists and JSON come out typed; strings as text', async () => {
    const values = await resolve(
      { n: { type: 'number' }, f: { type: 'number' }, b: { type: 'boolean' }, l: { type: 'comma_delimited_list' }, j: { type: 'json' }, s: { type: 'string' } },
      { n: '42', f: '1.5', b: 'yes', l: 'a,b,c', j: '{"k": [1]}', s: 7 },
    );
    assert.deepEqual(values, {
      'OS::stack_id': 'stack-uuid',
      'OS::stack_name': 'demo',
      'OS::project_id': 'project-uuid',
      n: 42,
      f: 1.5,
      b: true,
      l: ['a', 'b', 'c'],
      j: { k: [1] },
      s: '7',
    });
    assert.deepEqual((await resolve({ l: { type: 'comma_delimited_list' } }, { l: ['x', 1] })).l, ['x', '1']);
    assert.deepEqual((await resolve({ l: { type: 'comma_delimited_list', default: '' } })).l, []);
  });

  test('bad values carry Heat messages', async () => {
    await assertHeatError(
      () => resolve({ n: { type: 'number' } }, { n: 'abc' }),
      'StackValidationFailed',
      "Parameter 'n' is invalid: could not convert string to float: 'abc'",
    );
    await assertHeatError(
      () => resolve({ b: { type: 'boolean' } }, { b: 'maybe' }),
      'StackValidationFailed',
      "Parameter 'b' is invalid: Unrecognized value 'maybe', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'",
    );
    await assertHeatError(
      () => resolve({ j: { type: 'json' } }, { j: '{nope' }),
      'StackValidationFailed',
      /^Parameter 'j' is invalid: Value must be valid JSON: /,
    );
  });

  test('missing and unknown parameters', async () => {
    await assertHeatError(() => resolve({ p: { type: 'string' } }), 'UserParameterMissing', 'The Parameter (p) was not provided.');
    await assertHeatError(
      () => resolve({ p: { type: 'string', default: 'x' } }, { q: 1 }),
      'UnknownUserParameter',
      'The Parameter (q) was not defined in template.',
    );
    await assertHeatError(
      () => resolve({ p: { type: 'string', default: 'x' } }, {}, parseEnvironment({ parameters: { zz: 1 } })),
      'UnknownUserParameter',
      'The Parameter (zz) was not defined in template.',
    );
  });

  test('precedence: given value, then environment parameters, then parameter_defaults, then the template default', async () => {
    const parameters = {
      a: { type: 'string', default: 'tmpl' },
      b: { type: 'string', default: 'tmpl' },
      c: { type: 'string', default: 'tmpl' },
      d: { type: 'string', default: 'tmpl' },
    };
    const env = parseEnvironment({ parameters: { a: 'env', b: 'env' }, parameter_defaults: { a: 'pd', b: 'pd', c: 'pd', unknown_is_fine: 1 } });
    const values = await resolve(parameters, { a: 'given' }, env);
    assert.deepEqual([values.a, values.b, values.c, values.d], ['given', 'env', 'pd', 'tmpl']);
  });

  test('constraints: length, range, modulo, allowed_values, allowed_pattern, descriptions', async () => {
    const check = (def: JsonObject, value: Json) => resolve({ p: def }, { p: value });
    await assertHeatError(
      () => check({ type: 'string', constraints: [{ length: { min: 3 } }] }, 'ab'),
      'StackValidationFailed',
      "Parameter 'p' is invalid: length (2) is out of range (min: 3, max: None)",
    );
    await assertHeatError(
      () => check({ type: 'number', constraints: [{ range: { min: 1, max: 5 } }] }, 9),
      'StackValidationFailed',
      "Parameter 'p' is invalid: 9 is out of range (min: 1, max: 5)",
    );
    await assertHeatError(
      () => check({ type: 'number', constraints: [{ modulo: { step: 2, offset: 1 } }] }, 4),
      'StackValidationFailed',
      "Parameter 'p' is invalid: 4 is not a multiple of 2 with an offset of 1",
    );
    assert.equal((await check({ type: 'number', constraints: [{ modulo: { step: 2, offset: 1 } }] }, 5)).p, 5);
    await assertHeatError(
      () => check({ type: 'string', constraints: [{ allowed_values: ['a', 'b'] }] }, 'c'),
      'StackValidationFailed',
      `Parameter 'p' is invalid: "c" is not an allowed value ["a", "b"]`,
    );
    assert.equal((await check({ type: 'number', constraints: [{ allowed_values: ['1', 2] }] }, 1)).p, 1, 'allowed values compare as numbers');
    await assertHeatError(
      () => check({ type: 'string', constraints: [{ allowed_pattern: '[a-z]+' }] }, 'abc1'),
      'StackValidationFailed',
      `Parameter 'p' is invalid: "abc1" does not match pattern "[a-z]+"`,
    );
    // Python accepts a quantified lookahead (heat-templates' Active Directory template has one); so does this check.
    assert.equal((await check({ type: 'string', constraints: [{ allowed_pattern: '[a-z]+(?=[.][a-z])*[.][a-z]+' }] }, 'ad.example')).p, 'ad.example');
    await assertHeatError(() => check({ type: 'string', constraints: [{ allowed_pattern: '(' }] }, 'x'), 'InvalidSchemaError', /^Invalid allowed_pattern \(: /);
    await assertHeatError(
      () => check({ type: 'string', constraints: [{ length: { max: 1 }, description: 'One letter only' }] }, 'ab'),
      'StackValidationFailed',
      "Parameter 'p' is invalid: One letter only",
    );
    await assertHeatError(
      () => check({ type: 'comma_delimited_list', constraints: [{ allowed_values: ['a', 'b'] }] }, 'a,c'),
      'StackValidationFailed',
      `Parameter 'p' is invalid: ["a", "c"] is not an allowed value ["a", "b"]`,
    );
  });

  test('custom constraints go through checkCustom; defaults are checked against the other constraints', async () => {
    const parameters = { image: { type: 'string', constraints: [{ custom_constraint: 'glance.image' }] } };
    const calls: Array<[string, Json]> = [];
    const checkCustom = async (name: string, value: Json) => {
      calls.push([name, value]);
      return value === 'bad' ? `Error validating value 'bad': The Image (bad) could not be found.` : null;
    };
    const t = parseTemplate({ heat_template_version: '2021-04-16', parameters });
    assert.equal((await resolveParameters(t, parseEnvironment(undefined), { image: 'cirros' }, { ...ids, checkCustom })).image, 'cirros');
    await assertHeatError(
      () => resolveParameters(t, parseEnvironment(undefined), { image: 'bad' }, { ...ids, checkCustom }),
      'StackValidationFailed',
      "Parameter 'image' is invalid: Error validating value 'bad': The Image (bad) could not be found.",
    );
    assert.deepEqual(calls, [
      ['glance.image', 'cirros'],
      ['glance.image', 'bad'],
    ]);
    await assertHeatError(
      () => resolve({ p: { type: 'number', default: 10, constraints: [{ range: { max: 5 } }] } }, { p: 1 }),
      'InvalidSchemaError',
      "Parameter 'p' is invalid: Invalid default 10 (10 is out of range (min: None, max: 5))",
    );
  });

  test('immutable parameters may not change on update', async () => {
    const parameters = { size: { type: 'number', immutable: true }, name: { type: 'string' } };
    const previous = { size: 1, name: 'a' };
    assert.equal((await resolve(parameters, { size: 1, name: 'b' }, undefined, { previous })).name, 'b');
    await assertHeatError(
      () => resolve(parameters, { size: 2, name: 'b' }, undefined, { previous }),
      'ImmutableParameterModified',
      'The following parameters are immutable and may not be updated: size',
    );
  });
});

describe('template: parameterView', () => {
  test('matches what the tempest validate tests expect', () => {
    const t = parseTemplate({
      heat_template_version: '2014-10-16',
      parameters: {
        aparam: { type: 'number', default: 10, description: 'the param description' },
        cparam: { type: 'string', default: 'secret', hidden: true },
        dparam: {
          type: 'string',
          label: 'D',
          constraints: [
            { length: { min: 1, max: 8 }, description: 'short' },
            { allowed_pattern: '[a-z]*' },
            { allowed_values: ['a'] },
            { custom_constraint: 'nova.flavor' },
          ],
        },
      },
    });
    assert.deepEqual(parameterView(t.parameters.aparam!), {
      Type: 'Number',
      Description: 'the param description',
      NoEcho: 'false',
      Label: 'aparam',
      Default: 10,
    });
    assert.deepEqual(parameterView(t.parameters.aparam!, 5), {
      Type: 'Number',
      Description: 'the param description',
      NoEcho: 'false',
      Label: 'aparam',
      Default: 10,
      Value: 5,
    });
    assert.deepEqual(parameterView(t.parameters.cparam!), { Type: 'String', Description: '', NoEcho: 'true', Label: 'cparam', Default: 'secret' });
    assert.deepEqual(parameterView(t.parameters.dparam!), {
      Type: 'String',
      Description: '',
      NoEcho: 'false',
      Label: 'D',
      MinLength: 1,
      MaxLength: 8,
      AllowedPattern: '[a-z]*',
      AllowedValues: ['a'],
      CustomConstraint: 'nova.flavor',
      ConstraintDescription: 'short',
    });
  });
});
