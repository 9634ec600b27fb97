/** parseEnvironment and mergeEnvironments. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mergeEnvironments, parseEnvironment } from '../../src/orchestration/template/index.js';
import { assertHeatError } from './template-support.js';

describe('template: environments', () => {
  test('YAML or JSON text and objects; missing sections come back empty', () => {
    const env = parseEnvironment(
      'parameters:\n  a: 1\nresource_registry:\n  "OS::Nova::*": "OS::Heat::None"\n  resources:\n    srv:\n      hooks: [pre-create, pre-update]\nevent_sinks: []\n',
    );
    assert.deepEqual(env, {
      parameters: { a: 1 },
      parameter_defaults: {},
      resource_registry: { 'OS::Nova::*': 'OS::Heat::None', resources: { srv: { hooks: ['pre-create', 'pre-update'] } } },
      event_sinks: [],
      encrypted_param_names: [],
    });
    assert.deepEqual(parseEnvironment('{"parameter_defaults": {"x": "y"}}').parameter_defaults, { x: 'y' });
    assert.deepEqual(parseEnvironment(undefined).resource_registry, { resources: {} }, 'as template validate shows it');
    assert.deepEqual(parseEnvironment(''), parseEnvironment(undefined));
    assert.doesNotThrow(() => parseEnvironment({ parameter_merge_strategies: { default: 'merge' } }));
  });

  test('unknown or empty sections and non-mappings are 400s', async () => {
    await assertHeatError(() => parseEnvironment('bogus: {}\n'), 'ValueError', 'environment has wrong section "bogus"');
    await assertHeatError(() => parseEnvironment('parameters:\n'), 'ValueError', 'environment has empty section "parameters"');
    await assertHeatError(() => parseEnvironment('- a\n'), 'ValueError', 'The environment is not a valid YAML mapping data type.');
  });

  test('hooks and restricted actions are checked', async () => {
    await assertHeatError(
      () => parseEnvironment({ resource_registry: { resources: { srv: { hooks: 'pre-nothing' } } } }),
      'InvalidBreakPointHook',
      `Invalid hook type "pre-nothing" for resource breakpoint, acceptable hook types are: ('pre-create', 'pre-update', 'pre-delete', 'post-create', 'post-update', 'post-delete')`,
    );
    await assertHeatError(
      () => parseEnvironment({ resource_registry: { resources: { nested: { srv: { restricted_actions: ['delete'] } } } } }),
      'InvalidRestrictedAction',
      /^Invalid restricted_action type "\['delete'\]" for resource/,
    );
  });

  test('merging: later environments win; registries merge deeply', () => {
    const base = parseEnvironment({
      parameters: { a: 1, b: 1 },
      resource_registry: { 'My::T': 'a.yaml', resources: { r1: { hooks: 'pre-create' } } },
      encrypted_param_names: ['x'],
    });
    const merged = mergeEnvironments(
      base,
      { parameters: { b: 2 }, resource_registry: { resources: { r2: { hooks: 'pre-delete' } } }, event_sinks: [{ type: 'zaqar-queue', target: 'q' }] },
      { parameter_defaults: { c: 3 }, encrypted_param_names: ['x', 'y'] },
    );
    assert.deepEqual(merged, {
      parameters: { a: 1, b: 2 },
      parameter_defaults: { c: 3 },
      resource_registry: { resources: { r1: { hooks: 'pre-create' }, r2: { hooks: 'pre-delete' } }, 'My::T': 'a.yaml' },
      event_sinks: [{ type: 'zaqar-queue', target: 'q' }],
      encrypted_param_names: ['x', 'y'],
    });
    assert.deepEqual(base.parameters, { a: 1, b: 1 }, 'the base is not modified');
  });
});
