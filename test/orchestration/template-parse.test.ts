/** parseTemplate: versions and aliases, sections, YAML as Heat reads it, size limit, unicode. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTemplate, TEMPLATE_VERSIONS, templateFunctions } from '../../src/orchestration/template/index.js';
import { assertHeatError } from './template-support.js';

describe('template: parsing', () => {
  test('every dated version and alias parses to its date', () => {
    for (const entry of TEMPLATE_VERSIONS) {
      assert.equal(parseTemplate({ heat_template_version: entry.version }).version, entry.version);
      for (const alias of entry.aliases) assert.equal(parseTemplate(`heat_template_version: ${alias}\n`).version, entry.version);
    }
    assert.equal(parseTemplate('heat_template_version: 2013-05-23\n').version, '2013-05-23', 'an unquoted date stays a string');
  });

  test('an unknown version names every accepted one, as the tempest validate test expects', async () => {
    await assertHeatError(
      () => parseTemplate('heat_template_version: invalid\n'),
      'InvalidTemplateVersion',
      'The template version is invalid: "heat_template_version: invalid". "heat_template_version" should be one of: 2013-05-23, 2014-10-16, 2015-04-30, ' +
        '2015-10-15, 2016-04-08, 2016-10-14, 2017-02-24, 2017-09-01, 2018-03-02, 2018-08-31, 2021-04-16, newton, ocata, pike, queens, rocky, wallaby',
    );
    await assertHeatError(
      () => parseTemplate({ description: 'x' }),
      'InvalidTemplateVersion',
      'The template version is invalid: Template version was not provided',
    );
  });

  test('CFN formats are answered as not supported', async () => {
    await assertHeatError(() => parseTemplate({ AWSTemplateFormatVersion: '2010-09-09' }), 'NotSupported', /AWSTemplateFormatVersion.*is not supported\.$/);
    await assertHeatError(() => parseTemplate('HeatTemplateFormatVersion: 2012-12-12\n'), 'NotSupported', /HeatTemplateFormatVersion/);
  });

  test('unknown top-level sections, and conditions before 2016-10-14', async () => {
    await assertHeatError(
      () => parseTemplate({ heat_template_version: '2015-10-15', foo: 1 }),
      'InvalidTemplateSection',
      'The template section is invalid: foo',
    );
    await assertHeatError(
      () => parseTemplate({ heat_template_version: '2016-04-08', conditions: {} }),
      'InvalidTemplateSection',
      'The template section is invalid: conditions',
    );
    assert.deepEqual(parseTemplate({ heat_template_version: '2016-10-14', conditions: { c: true } }).conditions, { c: true });
  });

  test('malformed text, non-mappings and oversize templates are 400s', async () => {
    await assertHeatError(() => parseTemplate('heat_template_version: [unclosed\n'), 'ValueError', /^Error parsing template \[root stack\] /);
    await assertHeatError(() => parseTemplate('- a\n- b\n'), 'ValueError', 'The template is not a JSON object or YAML mapping.');
    const big = `heat_template_version: 2015-10-15\ndescription: ${'x'.repeat(524288)}\n`;
    await assertHeatError(
      () => parseTemplate(big),
      'RequestLimitExceeded',
      `Request limit exceeded: Template size (${Buffer.byteLength(big)} bytes) exceeds maximum allowed size (524288 bytes).`,
    );
    assert.doesNotThrow(() => parseTemplate(`heat_template_version: 2015-10-15\ndescription: x\n`, { maxBytes: 100 }));
  });

  test('YAML follows PyYAML: yes/no/on/off are booleans, y/n and dates are strings', () => {
    const t = parseTemplate(
      'heat_template_version: 2015-10-15\nresources:\n  r:\n    type: T\n    properties: {a: yes, b: off, c: n, d: 2020-01-01, e: "1"}\n',
    );
    assert.deepEqual(t.resources.r?.properties, { a: true, b: false, c: 'n', d: '2020-01-01', e: '1' });
  });

  test('a flow collection closed at the indentation of its key reads as PyYAML reads it (heat-templates has such files)', () => {
    const text = [
      'heat_template_version: 2015-10-15',
      'resources:',
      '  sub:',
      '    type: T',
      '    properties:',
      '      pools: [{',
      '        "start": {get_param: a},',
      '        "end": "z"',
      '      }]',
      '      other: [',
      '        x',
      '      ]',
    ].join('\n');
    assert.deepEqual(parseTemplate(text).resources.sub?.properties, { pools: [{ start: { get_param: 'a' }, end: 'z' }], other: ['x'] });
  });

  test('resources: defaults filled, shapes checked with Heat messages', async () => {
    const t = parseTemplate({
      heat_template_version: '2016-10-14',
      resources: { r: { type: 'T', depends_on: 'x', deletion_policy: 'retain' }, x: { type: 'T' } },
    });
    assert.deepEqual(t.resources.r, { name: 'r', type: 'T', properties: {}, metadata: {}, dependsOn: ['x'], deletionPolicy: 'Retain', updatePolicy: {} });
    await assertHeatError(
      () => parseTemplate({ heat_template_version: '2015-10-15', resources: { r: {} } }),
      'StackValidationFailed',
      'Each resource must contain a type key.',
    );
    await assertHeatError(
      () => parseTemplate({ heat_template_version: '2015-10-15', resources: { r: { type: 'T', foo: 1 } } }),
      'StackValidationFailed',
      '"foo" is not a valid keyword inside a resource definition',
    );
    await assertHeatError(
      () => parseTemplate({ heat_template_version: '2015-10-15', resources: { r: ['T'] } }),
      'StackValidationFailed',
      `"resources" must contain a map of resource maps. Found a [<class 'list'>] instead`,
    );
    await assertHeatError(
      () => parseTemplate({ heat_template_version: '2015-10-15', resources: { r: { type: 'T', deletion_policy: 'retain' } } }),
      'StackValidationFailed',
      'Invalid deletion policy "retain"',
    );
    await assertHeatError(
      () => parseTemplate({ heat_template_version: '2015-10-15', resources: { r: { type: '' } } }),
      'StackValidationFailed',
      'Each Resource must contain a Type key.',
    );
    await assertHeatError(
      () => parseTemplate({ heat_template_version: '2015-10-15', resources: { r: { type: 'T', depends_on: [1] } } }),
      'StackValidationFailed',
      'Resource r depends_on must be a list of strings',
    );
  });

  test('outputs need a value; condition keys only from 2016-10-14', async () => {
    await assertHeatError(
      () => parseTemplate({ heat_template_version: '2015-10-15', outputs: { o: { description: 'd' } } }),
      'StackValidationFailed',
      'Each output must contain a value key.',
    );
    await assertHeatError(
      () => parseTemplate({ heat_template_version: '2015-10-15', outputs: { o: { value: 1, condition: true } } }),
      'StackValidationFailed',
      '"condition" is not a valid keyword inside a output definition',
    );
  });

  test('parameter definitions: keys, types and constraints are checked', async () => {
    const base = { heat_template_version: '2015-10-15' };
    await assertHeatError(() => parseTemplate({ ...base, parameters: { p: { default: 1 } } }), 'InvalidSchemaError', 'Missing parameter type for parameter: p');
    await assertHeatError(() => parseTemplate({ ...base, parameters: { p: { type: 'integer' } } }), 'InvalidSchemaError', 'Invalid type (integer)');
    await assertHeatError(
      () => parseTemplate({ ...base, parameters: { p: { type: 'string', bogus: 1 } } }),
      'InvalidSchemaError',
      "Invalid key 'bogus' for parameter (p)",
    );
    await assertHeatError(
      () => parseTemplate({ ...base, parameters: { p: { type: 'string', tags: ['a'] } } }),
      'InvalidSchemaError',
      "Invalid key 'tags' for parameter (p)",
    );
    assert.doesNotThrow(() => parseTemplate({ heat_template_version: '2018-03-02', parameters: { p: { type: 'string', tags: ['a'] } } }));
    await assertHeatError(
      () => parseTemplate({ ...base, parameters: { p: { type: 'string', constraints: [{ range: { min: 1 } }] } } }),
      'InvalidSchemaError',
      "Parameter 'p' is invalid: Range constraint invalid for String",
    );
    await assertHeatError(
      () => parseTemplate({ ...base, parameters: { p: { type: 'number', constraints: [{ modulo: { step: 2, offset: 1 } }] } } }),
      'InvalidSchemaError',
      'No constraint expressed',
    );
    await assertHeatError(
      () => parseTemplate({ heat_template_version: '2017-02-24', parameters: { p: { type: 'number', constraints: [{ modulo: { step: 2, offset: 3 } }] } } }),
      'InvalidSchemaError',
      'offset must be smaller (by absolute value) than step.',
    );
    await assertHeatError(
      () => parseTemplate({ ...base, parameters: { p: { type: 'number', constraints: [{ range: {} }] } } }),
      'InvalidSchemaError',
      /must have a min value/,
    );
  });

  test('parameter groups are checked as Heat does', async () => {
    const base = { heat_template_version: '2015-10-15', parameters: { a: { type: 'string' }, b: { type: 'string' } } };
    const t = parseTemplate({ ...base, parameter_groups: [{ label: 'g', description: 'd', parameters: ['a'] }] });
    assert.deepEqual(t.parameterGroups, [{ label: 'g', description: 'd', parameters: ['a'] }]);
    await assertHeatError(
      () => parseTemplate({ ...base, parameter_groups: [{ label: 'g', parameters: ['zz'] }] }),
      'StackValidationFailed',
      'Parameter Groups error: : parameter_groups.g: : The grouped parameter zz does not reference a valid parameter.',
    );
    await assertHeatError(
      () =>
        parseTemplate({
          ...base,
          parameter_groups: [
            { label: 'g', parameters: ['a'] },
            { label: 'h', parameters: ['a'] },
          ],
        }),
      'StackValidationFailed',
      'Parameter Groups error: : parameter_groups.h: : The a parameter must be assigned to one parameter group only.',
    );
    await assertHeatError(
      () => parseTemplate({ ...base, parameter_groups: [{ label: 'g' }] }),
      'StackValidationFailed',
      'Parameter Groups error: : parameter_groups.g: : The parameters must be provided for each parameter group.',
    );
  });

  test('unicode names, descriptions and values survive', () => {
    const t = parseTemplate(
      'heat_template_version: 2015-10-15\ndescription: 描述 ☁\nparameters:\n  名前: {type: string, default: café}\nresources:\n  資源: {type: T}\n',
    );
    assert.equal(t.description, '描述 ☁');
    assert.equal(t.parameters['名前']?.default, 'café');
    assert.ok('資源' in t.resources);
  });

  test('function lists per version match /template_versions/{v}/functions', () => {
    const names = (v: string, cond = false): string[] => templateFunctions(v, cond).map((f) => f.functions);
    assert.ok(names('2016-04-08').includes('map_merge'));
    assert.ok(!names('2016-04-08').includes('yaql'));
    assert.equal(templateFunctions('2016-04-08', false).find((f) => f.functions === 'get_file')?.description, 'A function for including a file inline.');
    assert.ok(names('2013-05-23').includes('Fn::Join'));
    assert.ok(!names('2014-10-16').includes('Fn::Join'));
    assert.ok(names('2015-04-30').includes('Fn::Select') && !names('2015-10-15').includes('Fn::Select'));
    assert.ok(names('pike').includes('str_replace_vstrict') && names('pike').includes('make_url'));
    assert.ok(!names('2016-10-14').includes('equals') && names('2016-10-14', true).includes('equals'));
    assert.ok(names('2017-09-01', true).includes('contains'));
    assert.deepEqual(templateFunctions('1999-01-01', false), []);
    assert.deepEqual(templateFunctions('heat_template_version.2016-04-08', false), templateFunctions('2016-04-08', false), 'the API spelling');
  });
});
