/** resolveSnippet: the reference, string and collection functions, each with its errors, per HOT version. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertHeatError, evaluate, LATEST } from './template-support.js';

describe('template: get_param, get_resource, get_attr, get_file', () => {
  const parameters = { name: 'web', cfg: { a: { b: [10, 20] } }, list: ['x', 'y'] };

  test('get_param reads values and paths; a path that leads nowhere is an empty string', async () => {
    assert.equal(await evaluate(LATEST, { get_param: 'name' }, { parameters }), 'web');
    assert.equal(await evaluate(LATEST, { get_param: ['cfg', 'a', 'b', 1] }, { parameters }), 20);
    assert.equal(await evaluate(LATEST, { get_param: ['list', '0'] }, { parameters }), 'x');
    assert.equal(await evaluate(LATEST, { get_param: ['cfg', 'zz'] }, { parameters }), '');
    await assertHeatError(
      () => evaluate(LATEST, { get_param: 'missing' }, { parameters }),
      'UserParameterMissing',
      'The Parameter (missing) was not provided.',
    );
    await assertHeatError(
      () => evaluate(LATEST, { get_param: { a: 1 } }, { parameters }),
      'StackValidationFailed',
      'Argument to "get_param" must be string or list',
    );
    await assertHeatError(() => evaluate(LATEST, { get_param: [] }, { parameters }), 'StackValidationFailed', 'Function "get_param" must have arguments');
  });

  test('get_resource and get_attr ask the scope', async () => {
    assert.equal(await evaluate(LATEST, { get_resource: 'server' }), 'server-id');
    assert.deepEqual(await evaluate(LATEST, { get_attr: ['server', 'networks', 'private', 0] }), {
      name: 'server',
      attribute: 'networks',
      path: ['private', 0],
    });
    assert.deepEqual(await evaluate(LATEST, { get_attr: ['server'] }), { all: 'server' });
    await assertHeatError(
      () => evaluate(LATEST, { get_resource: 'nope' }),
      'InvalidTemplateReference',
      'The specified reference "nope" (in unknown) is incorrect.',
    );
    await assertHeatError(
      () => evaluate('2014-10-16', { get_attr: ['server'] }),
      'StackValidationFailed',
      'Arguments to "get_attr" must be of the form [resource_name, attribute, (path), ...]',
    );
    await assertHeatError(() => evaluate(LATEST, { get_attr: 'server' }), 'StackValidationFailed', 'Argument to "get_attr" must be a list');
  });

  test('get_file reads the request files', async () => {
    assert.equal(await evaluate(LATEST, { get_file: 'a.sh' }, { files: { 'a.sh': '#!/bin/sh' } }), '#!/bin/sh');
    await assertHeatError(
      () => evaluate(LATEST, { get_file: 'b.sh' }),
      'StackValidationFailed',
      'No content found in the "files" section for get_file path: b.sh',
    );
  });

  test('resource_facade needs a parent resource', async () => {
    assert.deepEqual(await evaluate(LATEST, { resource_facade: 'metadata' }, { resourceFacade: () => ({ m: 1 }) }), { m: 1 });
    await assertHeatError(
      () => evaluate(LATEST, { resource_facade: 'bogus' }),
      'StackValidationFailed',
      'Incorrect arguments to "resource_facade" should be one of: metadata, deletion_policy, update_policy',
    );
  });
});

describe('template: string functions', () => {
  test('str_replace: longest placeholder first, numbers as text, JSON for lists and maps from 2015-10-15', async () => {
    const args = { template: '$var1 and $var', params: { $var: 'short', $var1: 'long' } };
    assert.equal(await evaluate(LATEST, { str_replace: args }), 'long and short');
    assert.equal(await evaluate(LATEST, { str_replace: { template: 'n=N', params: { N: 3 } } }), 'n=3');
    assert.equal(await evaluate(LATEST, { str_replace: { template: 'v=V', params: { V: { b: 1, a: [2] } } } }), 'v={"a": [2], "b": 1}');
    await assertHeatError(
      () => evaluate('2015-04-30', { str_replace: { template: 'V', params: { V: [1] } } }),
      'StackValidationFailed',
      '"str_replace" params must be strings or numbers, param V is not valid',
    );
    await assertHeatError(
      () => evaluate(LATEST, { str_replace: { template: 'x', params: 'y' } }),
      'StackValidationFailed',
      '"str_replace" parameters must be a mapping',
    );
    await assertHeatError(() => evaluate(LATEST, { str_replace: ['x'] }), 'StackValidationFailed', 'Arguments to "str_replace" must be a map');
  });

  test('str_replace_strict and str_replace_vstrict', async () => {
    await assertHeatError(
      () => evaluate(LATEST, { str_replace_strict: { template: 'abc', params: { zz: 'x', b: 'y' } } }),
      'StackValidationFailed',
      'The following params were not found in the template: zz',
    );
    await assertHeatError(
      () => evaluate(LATEST, { str_replace_vstrict: { template: 'abc', params: { b: '' } } }),
      'StackValidationFailed',
      'str_replace_vstrict has an undefined or empty value for param b, must be a defined non-empty value',
    );
    assert.equal(await evaluate(LATEST, { str_replace_strict: { template: 'abc', params: { b: '' } } }), 'ac');
  });

  test('list_join: one list before 2015-10-15, several lists and JSON items after', async () => {
    assert.equal(await evaluate('2015-04-30', { list_join: [', ', ['a', 'b']] }), 'a, b');
    assert.equal(await evaluate(LATEST, { list_join: ['-', ['a'], ['b', { k: 'v' }]] }), 'a-b-{"k": "v"}');
    await assertHeatError(() => evaluate('2015-04-30', { list_join: [',', ['a', 1]] }), 'StackValidationFailed', 'Items to join must be strings not 1');
    await assertHeatError(() => evaluate(LATEST, { list_join: [',', 'ab'] }), 'StackValidationFailed', '"list_join" must operate on a list');
    await assertHeatError(
      () => evaluate(LATEST, { list_join: [','] }),
      'StackValidationFailed',
      'Incorrect arguments to "list_join" should be: "list_join" : [ " ", [ "str1", "str2"] ...]',
    );
  });

  test('str_split with and without an index', async () => {
    assert.deepEqual(await evaluate(LATEST, { str_split: [',', 'a,b,c'] }), ['a', 'b', 'c']);
    assert.equal(await evaluate(LATEST, { str_split: [',', 'a,b,c', 2] }), 'c');
    await assertHeatError(
      () => evaluate(LATEST, { str_split: [',', 'a,b', 5] }),
      'StackValidationFailed',
      'Incorrect index to "str_split" should be between 0 and 1',
    );
    await assertHeatError(() => evaluate(LATEST, { str_split: 'a,b' }), 'StackValidationFailed', /^Incorrect arguments to "str_split" should be/);
  });

  test('digest', async () => {
    assert.equal(await evaluate(LATEST, { digest: ['sha256', 'abc'] }), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(await evaluate(LATEST, { digest: ['MD5', 'abc'] }), '900150983cd24fb0d6963f7d28e17f72');
    await assertHeatError(() => evaluate(LATEST, { digest: ['sha256'] }), 'StackValidationFailed', 'Function "digest" usage: ["<algorithm>", "<value>"]');
    await assertHeatError(() => evaluate(LATEST, { digest: ['nohash', 'x'] }), 'StackValidationFailed', /^Algorithm must be one of /);
  });
});

describe('template: collection functions', () => {
  test('map_merge and map_replace', async () => {
    assert.deepEqual(await evaluate(LATEST, { map_merge: [{ a: 1, b: 1 }, { b: 2 }, null] }), { a: 1, b: 2 });
    await assertHeatError(
      () => evaluate(LATEST, { map_merge: [{ a: 1 }, ['x']] }),
      'StackValidationFailed',
      "Incorrect arguments: Items to merge must be maps. ['x'] is type <class 'list'> instead of a dict",
    );
    assert.deepEqual(
      await evaluate(LATEST, {
        map_replace: [
          { k1: 'v1', k2: 'v2' },
          { keys: { k1: 'K1' }, values: { v2: 'V2' } },
        ],
      }),
      { K1: 'v1', k2: 'V2' },
    );
    await assertHeatError(
      () => evaluate(LATEST, { map_replace: [{ a: 1, b: 2 }, { keys: { a: 'b' } }] }),
      'StackValidationFailed',
      'key replacement b collides with a key in the input map',
    );
  });

  test('list_concat, list_concat_unique, filter, contains', async () => {
    assert.deepEqual(await evaluate(LATEST, { list_concat: [['a'], ['b', 'a'], null] }), ['a', 'b', 'a']);
    assert.deepEqual(await evaluate(LATEST, { list_concat_unique: [['a'], ['b', 'a']] }), ['a', 'b']);
    await assertHeatError(
      () => evaluate(LATEST, { list_concat: [['a'], 'b'] }),
      'StackValidationFailed',
      'Incorrect arguments: Items to concat must be lists. [["a"], "b"] contains an item that is not a list: "b"',
    );
    assert.deepEqual(
      await evaluate(LATEST, {
        filter: [
          [null, 'b'],
          ['a', null, 'b', 'c'],
        ],
      }),
      ['a', 'c'],
    );
    await assertHeatError(
      () => evaluate(LATEST, { filter: [['a']] }),
      'StackValidationFailed',
      '"filter" expected 2 arguments of the form [values, sequence] but got 1 arguments instead',
    );
    assert.equal(await evaluate(LATEST, { contains: ['b', ['a', 'b']] }), true);
    assert.equal(await evaluate(LATEST, { contains: ['z', ['a', 'b']] }), false);
    await assertHeatError(() => evaluate(LATEST, { contains: ['a', 5] }), 'StackValidationFailed', 'Second argument to "contains" should be a sequence.');
  });

  test('repeat: lists, maps (2016-10-14), permutations off (2017-09-01)', async () => {
    const nested = { repeat: { template: { port: '%p%', net: '%n%' }, for_each: { '%p%': ['80', '443'], '%n%': ['a', 'b'] } } };
    assert.deepEqual(await evaluate(LATEST, nested), [
      { port: '80', net: 'a' },
      { port: '80', net: 'b' },
      { port: '443', net: 'a' },
      { port: '443', net: 'b' },
    ]);
    const zipped = { repeat: { template: '%p%-%n%', for_each: { '%p%': ['1', '2'], '%n%': ['a', 'b'] }, permutations: false } };
    assert.deepEqual(await evaluate(LATEST, zipped), ['1-a', '2-b']);
    assert.deepEqual(await evaluate('2016-10-14', { repeat: { template: 'k=%k%', for_each: { '%k%': { x: 1, y: 2 } } } }), ['k=x', 'k=y']);
    await assertHeatError(
      () => evaluate('2015-04-30', { repeat: { template: '%k%', for_each: { '%k%': { x: 1 } } } }),
      'StackValidationFailed',
      'The values of the "for_each" argument to "repeat" must be lists',
    );
    await assertHeatError(
      () => evaluate(LATEST, { repeat: { template: '%a%%b%', for_each: { '%a%': ['1'], '%b%': ['1', '2'] }, permutations: false } }),
      'StackValidationFailed',
      'For repeat, the length of for_each values should be equal if no nested loop.',
    );
    await assertHeatError(() => evaluate(LATEST, { repeat: { template: 'x' } }), 'StackValidationFailed', /^'"repeat" syntax should be repeat:\\n/);
  });

  test('Fn::Select exists up to 2015-04-30 and is removed after', async () => {
    assert.equal(await evaluate('2015-04-30', { 'Fn::Select': ['1', ['a', 'b']] }), 'b');
    assert.equal(await evaluate('2014-10-16', { 'Fn::Select': ['k', { k: 'v' }] }), 'v');
    assert.equal(await evaluate('2014-10-16', { 'Fn::Select': [5, ['a']] }), '');
    await assertHeatError(
      () => evaluate('2015-10-15', { 'Fn::Select': ['1', ['a', 'b']] }),
      'InvalidTemplateVersion',
      'The template version is invalid: The function Fn::Select is not supported in this version of HOT.',
    );
  });

  test('a one-key map that names no function is plain data', async () => {
    assert.deepEqual(await evaluate('2013-05-23', { map_merge: [{ a: 1 }] }), { map_merge: [{ a: 1 }] });
    assert.deepEqual(await evaluate(LATEST, { not_a_function: 1 }), { not_a_function: 1 });
  });
});
