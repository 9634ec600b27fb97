/** resolveSnippet: make_url, if, HOT 2013-05-23's CFN functions, and resolveResourceProperties. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTemplate, resolveResourceProperties } from '../../src/orchestration/template/index.js';
import { assertHeatError, evaluate, fixedScope, LATEST } from './template-support.js';

describe('template: make_url', () => {
  test('parts are quoted as urllib quotes them', async () => {
    const url = await evaluate(LATEST, {
      make_url: {
        scheme: 'https',
        username: 'u s',
        password: 'p@ss',
        host: 'fe80::1',
        port: 8080,
        path: '/a b/c',
        query: { q: 'x y', r: 'a/b' },
        fragment: 'f',
      },
    });
    assert.equal(url, 'https://u%20s:p%40ss@[fe80::1]:8080/a%20b/c?q=x+y&r=a/b#f');
    assert.equal(await evaluate(LATEST, { make_url: { scheme: 'http', host: 'example.com', path: 'x' } }), 'http://example.com/x');
    await assertHeatError(
      () => evaluate(LATEST, { make_url: { host: 'h', port: 70000 } }),
      'StackValidationFailed',
      'Invalid URL port 70000, must be in range 1-65535',
    );
    await assertHeatError(() => evaluate(LATEST, { make_url: { host: 'h', bogus: 'x' } }), 'StackValidationFailed', 'Invalid arguments to "make_url": bogus');
  });
});

describe('template: if', () => {
  test('picks a branch by condition name, boolean or inline condition; only that branch is evaluated', async () => {
    const conditions = { prod: true, dev: false };
    assert.equal(await evaluate(LATEST, { if: ['prod', 'big', { get_param: 'missing' }] }, { conditions }), 'big');
    assert.equal(await evaluate(LATEST, { if: [false, 'a', 'b'] }), 'b');
    assert.equal(await evaluate(LATEST, { if: [{ equals: [{ get_param: 'env' }, 'prod'] }, 'a', 'b'] }, { parameters: { env: 'prod' } }), 'a');
    await assertHeatError(() => evaluate(LATEST, { if: ['nope', 'a', 'b'] }), 'StackValidationFailed', 'Invalid condition "nope"');
  });

  test('from 2021-04-16 a missing false branch drops the value', async () => {
    assert.deepEqual(await evaluate(LATEST, { a: { if: [false, 1] }, b: 2, c: [{ if: [false, 1] }, 3] }), { b: 2, c: [3] });
    await assertHeatError(
      () => evaluate('2018-08-31', { if: [false, 1] }),
      'StackValidationFailed',
      'Arguments to "if" must be of the form: [condition_name, value_if_true, value_if_false]',
    );
  });
});

describe('template: resolveResourceProperties', () => {
  test('names the failing property as the tempest preview test reads it, and drops unset values', async () => {
    const t = parseTemplate({
      heat_template_version: LATEST,
      resources: {
        two: { type: 'T', properties: { value: { get_param: 'missing' } } },
        three: { type: 'T', properties: { a: { if: [false, 1] }, filter: 'plain', b: { get_param: 'p' } } },
      },
    });
    await assertHeatError(
      () => resolveResourceProperties(t, t.resources.two!, fixedScope()),
      'StackValidationFailed',
      'Property error: : resources.two.properties.value: : The Parameter (missing) was not provided.',
    );
    assert.deepEqual(await resolveResourceProperties(t, t.resources.three!, fixedScope({ parameters: { p: 'v' } })), { filter: 'plain', b: 'v' });
  });
});

describe('template: the CFN functions of HOT 2013-05-23', () => {
  const old = '2013-05-23';
  test('Ref names a resource or a parameter', async () => {
    assert.equal(await evaluate(old, { Ref: 'server' }), 'server-id');
    assert.equal(await evaluate(old, { Ref: 'size' }, { parameters: { size: 3 } }), 3);
    await assertHeatError(() => evaluate(old, { Ref: 'ghost' }), 'InvalidTemplateReference', 'The specified reference "ghost" (in unknown) is incorrect.');
  });

  test('Fn::Join, Fn::Split, Fn::Replace, Fn::Base64', async () => {
    assert.equal(await evaluate(old, { 'Fn::Join': ['-', ['a', 'b']] }), 'a-b');
    assert.deepEqual(await evaluate(old, { 'Fn::Split': [',', 'a,b'] }), ['a', 'b']);
    assert.equal(await evaluate(old, { 'Fn::Replace': [{ $x: 'y' }, 'a $x'] }), 'a y');
    assert.equal(await evaluate(old, { 'Fn::Base64': 'text' }), 'text');
    await assertHeatError(
      () => evaluate(old, { 'Fn::Split': 'a,b' }),
      'StackValidationFailed',
      'Incorrect arguments to "Fn::Split" should be: "Fn::Split" : [ ",", "str1,str2"]]',
    );
    await assertHeatError(() => evaluate(old, { 'Fn::GetAZs': '' }), 'StackValidationFailed', /^The function Fn::GetAZs is not supported by this cloud/);
  });
});
