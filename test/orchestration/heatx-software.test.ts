/**
 * Issue 14, item 4: a config input marked `replace_on_change` makes a
 * deployment whose value for it changes be replaced rather than updated in
 * place (Heat's UpdateReplace from SoftwareDeployment.handle_update); other
 * inputs update in place. And `environment_files` merged into the request's
 * environment as Heat merges them, by `parameter_merge_strategies`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stackRequest } from '../../src/orchestration/api/stack-body.js';
import { softwareConfig } from '../../src/orchestration/resources/heat/software-config.js';
import { softwareDeployment } from '../../src/orchestration/resources/heat/software-deployment.js';
import type { JsonObject } from '../../src/orchestration/json.js';
import { fakeContext, MemoryConfigStore } from './support/heatres-context.js';

describe('heatx: SoftwareDeployment replace_on_change', () => {
  it('replaces on a changed replace_on_change input, updates in place otherwise', async () => {
    const store = new MemoryConfigStore();
    const config = fakeContext({ name: 'config', store });
    await softwareConfig.create(config.ctx, {
      group: 'script',
      config: 'echo',
      inputs: [
        { name: 'image', replace_on_change: true },
        { name: 'motd', default: 'hello' },
      ],
      outputs: [],
    });
    const configId = config.resource.physicalId ?? '';
    const { ctx } = fakeContext({ name: 'deployment', store });
    const props: JsonObject = {
      config: configId,
      server: 'srv-1',
      input_values: { image: 'a', motd: 'hi' },
      actions: ['CREATE', 'UPDATE'],
      signal_transport: 'NO_SIGNAL',
    };
    await softwareDeployment.create(ctx, props);
    const replaces = (inputValues: JsonObject) =>
      softwareDeployment.replacesOnUpdate!(ctx, { properties: { ...props, input_values: inputValues }, previous: props, changed: ['input_values'] });
    assert.equal(await replaces({ image: 'a', motd: 'changed' }), false, 'an ordinary input updates in place');
    assert.equal(await replaces({ image: 'b', motd: 'hi' }), true, 'a replace_on_change input replaces');
    assert.equal(await replaces({ image: 'a' }), false, 'back to the default of an ordinary input');
  });
});

describe('heatx: environment_files with parameter_merge_strategies', () => {
  const template = {
    heat_template_version: '2021-04-16',
    parameters: {
      names: { type: 'comma_delimited_list' },
      settings: { type: 'json' },
      motd: { type: 'string' },
      count: { type: 'number' },
      flag: { type: 'boolean' },
    },
  };
  const request = (files: Record<string, JsonObject>, environment?: JsonObject) =>
    stackRequest(
      {
        template,
        ...(environment && { environment }),
        environment_files: Object.keys(files),
        files: Object.fromEntries(Object.entries(files).map(([name, env]) => [name, JSON.stringify(env)])),
      },
      's',
      { fetchTemplate: async () => '' },
    );

  it('the first file to name a parameter fixes its strategy: merge by type, deep_merge for maps, overwrite by default; undeclared ones are not merged', async () => {
    const merged = await request({
      'one.yaml': {
        parameters: { names: ['a'], settings: { x: { y: 1 } }, motd: 'hello', count: 1, undeclared: 'kept from the first file' },
        parameter_merge_strategies: { names: 'merge', settings: 'deep_merge', motd: 'merge', default: 'overwrite' },
      },
      'two.yaml': { parameters: { names: ['b'], settings: { x: { z: 2 } }, motd: ' world', count: 2, undeclared: 'ignored' } },
      'three.yaml': { parameters: { names: ['c'] }, resource_registry: { 'My::Type': 'my.yaml' } },
    });
    assert.deepEqual(merged.environment?.parameters, {
      names: ['a', 'b', 'c'],
      settings: { x: { y: 1, z: 2 } },
      motd: 'hello world',
      count: 2,
      undeclared: 'kept from the first file',
    });
    assert.deepEqual(merged.environment?.resource_registry, { 'My::Type': 'my.yaml' });
  });

  it('merges files over the request environment; conflicting or invalid strategies are refused', async () => {
    const over = await request({ 'one.yaml': { parameters: { count: 5 }, parameter_merge_strategies: { count: 'merge' } } }, { parameters: { count: 1 } });
    assert.equal(over.environment?.parameters && (over.environment.parameters as JsonObject).count, 6);
    await assert.rejects(
      request({
        'one.yaml': { parameters: { motd: 'a' }, parameter_merge_strategies: { motd: 'merge' } },
        'two.yaml': { parameters: { motd: 'b' }, parameter_merge_strategies: { motd: 'overwrite' } },
      }),
      { message: "Conflicting merge strategy 'overwrite' for parameter 'motd' in file 'two.yaml'." },
    );
    await assert.rejects(
      request({
        'one.yaml': { parameters: { flag: true }, parameter_merge_strategies: { flag: 'merge' } },
        'two.yaml': { parameters: { flag: false } },
      }),
      { message: "Invalid merge strategy 'merge' for parameter 'flag'." },
    );
  });
});
