/** validateTemplate: references, types, cycles, limits, function arguments with their paths. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../src/orchestration/json.js';
import { parseTemplate, validateTemplate } from '../../src/orchestration/template/index.js';
import { assertHeatError } from './template-support.js';

const knownTypes = { has: (type: string) => type.startsWith('OS::') };

function validate(body: JsonObject, version = '2021-04-16'): void {
  validateTemplate(parseTemplate({ heat_template_version: version, ...body }), knownTypes);
}

describe('template: static validation', () => {
  test('a sound template passes', () => {
    assert.doesNotThrow(() =>
      validate({
        parameters: { n: { type: 'number', default: 2 } },
        conditions: { two: { equals: [{ get_param: 'n' }, 2] } },
        resources: {
          a: { type: 'OS::Heat::None' },
          b: { type: 'OS::Heat::None', depends_on: ['a'], condition: 'two', properties: { x: { get_attr: ['a', 'y'] }, z: { if: ['two', 1, 2] } } },
        },
        outputs: { o: { value: { get_attr: ['b', 'x'] } } },
      }),
    );
  });

  test('references to unknown resources name where they are', async () => {
    await assertHeatError(
      () => validate({ resources: { r: { type: 'OS::X', properties: { a: { list_join: [',', [{ get_resource: 'ghost' }]] } } } } }),
      'InvalidTemplateReference',
      'The specified reference "ghost" (in r.Properties.a.list_join[1][0]) is incorrect.',
    );
    await assertHeatError(
      () => validate({ resources: { r: { type: 'OS::X', metadata: { m: { get_attr: ['ghost', 'x'] } } } } }),
      'InvalidTemplateReference',
      'The specified reference "ghost" (in r.Metadata.m) is incorrect.',
    );
    await assertHeatError(
      () => validate({ resources: { r: { type: 'OS::X', depends_on: 'ghost' } } }),
      'InvalidTemplateReference',
      'The specified reference "ghost" (in r) is incorrect.',
    );
    await assertHeatError(
      () => validate({ outputs: { o: { value: { get_attr: ['ghost', 'x'] } } } }),
      'StackValidationFailed',
      'outputs.o.value.get_attr: : The specified reference "ghost" (in unknown) is incorrect.',
    );
  });

  test('unknown resource types come from the type lookup', async () => {
    await assertHeatError(
      () => validate({ resources: { r: { type: 'My::Thing' } } }),
      'StackValidationFailed',
      'The Resource Type (My::Thing) could not be found.',
    );
  });

  test('function arguments are checked with the path Heat reports', async () => {
    await assertHeatError(
      () => validate({ resources: { server: { type: 'OS::X', properties: { name: { str_replace: { template: 'x', params: [] } } } } } }),
      'StackValidationFailed',
      'resources.server.properties.name.str_replace: : "str_replace" parameters must be a mapping',
    );
    await assertHeatError(
      () => validate({ resources: { r: { type: 'OS::X', properties: { l: [1, { get_attr: 'x' }] } } } }),
      'StackValidationFailed',
      'resources.r.properties.l[1].get_attr: : Argument to "get_attr" must be a list',
    );
    await assertHeatError(
      () => validate({ outputs: { o: { value: { yaql: { expression: '$.data.(' } } } } }),
      'StackValidationFailed',
      /^outputs\.o\.value\.yaql: : Bad expression /,
    );
    await assertHeatError(
      () => validate({ resources: { r: { type: 'OS::X', properties: { a: { if: ['nope', 1, 2] } } } } }),
      'StackValidationFailed',
      'resources.r.properties.a.if: : Invalid condition "nope"',
    );
    await assertHeatError(
      () => validate({ resources: { r: { type: 'OS::X', condition: 'nope' } } }),
      'StackValidationFailed',
      'resources.r.condition: : Invalid condition "nope"',
    );
    await assertHeatError(
      () => validate({ resources: { r: { type: 'OS::X', properties: { a: { Ref: 'x' } } } } }, '2015-10-15'),
      'StackValidationFailed',
      'resources.r.properties.a.Ref: : The template version is invalid: The function Ref is not supported in this version of HOT.',
    );
  });

  test('get_attr names an attribute the type offers (show always), when the type lookup knows them', async () => {
    const types = { has: () => true, attributes: (type: string) => (type === 'OS::Known' ? ['first_address'] : undefined) };
    const check = (attribute: string, type = 'OS::Known') =>
      validateTemplate(
        parseTemplate({
          heat_template_version: '2021-04-16',
          resources: { s: { type }, r: { type: 'OS::X', properties: { a: { get_attr: ['s', attribute] } } } },
        }),
        types,
      );
    assert.doesNotThrow(() => check('first_address'));
    assert.doesNotThrow(() => check('show'));
    assert.doesNotThrow(() => check('anything', 'nested.yaml'));
    await assertHeatError(() => check('nope'), 'StackValidationFailed', 'resources.r.properties.a.get_attr: : The Referenced Attribute (s nope) is incorrect.');
  });

  test('circular dependencies, duplicate names and the resource limit', async () => {
    await assertHeatError(
      () =>
        validate({
          resources: {
            a: { type: 'OS::X', properties: { p: { get_resource: 'c' } } },
            b: { type: 'OS::X', depends_on: 'a' },
            c: { type: 'OS::X', properties: { p: { get_attr: ['b', 'x'] } } },
            free: { type: 'OS::X' },
          },
        }),
      'CircularDependencyException',
      'Circular Dependency Found: {a: {c}, b: {a}, c: {b}}',
    );
    await assertHeatError(
      () => validate({ parameters: { a: { type: 'string', default: 'x' } }, resources: { a: { type: 'OS::X' } } }),
      'StackValidationFailed',
      "Duplicate names {'a'}",
    );
    const many = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`r${i}`, { type: 'OS::X' }]));
    await assertHeatError(() => validate({ resources: many }), 'RequestLimitExceeded', 'Request limit exceeded: Maximum resources per stack exceeded.');
    assert.doesNotThrow(() => validate({ resources: Object.fromEntries(Object.entries(many).slice(0, 1000)) }));
  });

  test('defaults that break their constraints', async () => {
    await assertHeatError(
      () => validate({ parameters: { p: { type: 'string', default: 'toolong', constraints: [{ length: { max: 3 } }] } } }),
      'InvalidSchemaError',
      "Parameter 'p' is invalid: Invalid default toolong (length (7) is out of range (min: None, max: 3))",
    );
  });
});
