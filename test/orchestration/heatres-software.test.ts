import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deploymentSignalOutcome, serverDeploymentsMetadata } from '../../src/orchestration/resources/heat/deployment-records.js';
import { parseMultipart } from '../../src/orchestration/resources/heat/mime.js';
import { multipartMime } from '../../src/orchestration/resources/heat/multipart-mime.js';
import { cloudConfig, softwareConfig, structuredConfig } from '../../src/orchestration/resources/heat/software-config.js';
import { softwareDeployment, structuredDeployment } from '../../src/orchestration/resources/heat/software-deployment.js';
import type { JsonObject } from '../../src/orchestration/json.js';
import { fakeContext, MemoryConfigStore } from './support/heatres-context.js';

async function storedConfig(store: MemoryConfigStore, props: JsonObject, plugin = softwareConfig) {
  const { ctx, resource } = fakeContext({ name: 'config', store });
  await plugin.create(ctx, props);
  return resource.physicalId ?? '';
}

const inputNamed = (inputs: JsonObject[], name: string) => inputs.find((input) => input.name === name);

describe('software config types', () => {
  it('store the config with normalised inputs and outputs; the id is the reference', async () => {
    const store = new MemoryConfigStore();
    const { ctx, resource } = fakeContext({ name: 'config', store });
    await softwareConfig.create(ctx, {
      group: 'script',
      config: 'echo hi',
      inputs: [{ name: 'foo', replace_on_change: false }],
      outputs: [{ name: 'result' }],
    });
    const record = await store.getConfig(null, resource.physicalId ?? '');
    assert.equal(record.name, 'teststack-config-abcdefghijkl');
    assert.deepEqual(record.inputs, [{ name: 'foo', type: 'String' }]);
    assert.deepEqual(record.outputs, [{ name: 'result', type: 'String', error_output: false }]);
    assert.equal(await softwareConfig.resolveAttribute(ctx, 'config'), 'echo hi');
    await softwareConfig.delete(ctx);
    await softwareConfig.delete(ctx);
    assert.equal(store.configs.size, 0);
    assert.equal(await softwareConfig.resolveAttribute(ctx, 'config'), null);
  });

  it('keeps a structured config as a map and a cloud-config as #cloud-config YAML', async () => {
    const store = new MemoryConfigStore();
    const structured = await storedConfig(store, { config: { a: { get_input: 'x' } } }, structuredConfig);
    assert.deepEqual((await store.getConfig(null, structured)).config, { a: { get_input: 'x' } });
    const cloud = await storedConfig(store, { cloud_config: { packages: ['git'] } }, cloudConfig);
    assert.equal((await store.getConfig(null, cloud)).config, '#cloud-config\npackages:\n  - git\n');
  });

  it('assemble a multipart message from inline parts, config ids and other messages', async () => {
    const store = new MemoryConfigStore();
    const script = await storedConfig(store, { config: '#!/bin/sh\necho hi\n' });
    const inner = await storedConfig(store, { parts: [{ config: 'inner text', type: 'text', subtype: 'x-shellscript' }] }, multipartMime);
    const outer = await storedConfig(
      store,
      {
        parts: [
          { config: script, type: 'text', filename: 'boot.sh' },
          { config: inner, type: 'multipart' },
          { config: 'héllo', type: 'text' },
        ],
      },
      multipartMime,
    );
    const message = String((await store.getConfig(null, outer)).config);
    assert.match(message, /^Content-Type: multipart\/mixed; boundary="===============\d+=="\nMIME-Version: 1.0\n/);
    const parts = parseMultipart(message);
    assert.deepEqual(
      parts.map((part) => [part.subtype, part.filename]),
      [
        ['boot', 'boot.sh'],
        ['x-shellscript', ''],
        ['plain', ''],
      ],
    );
    assert.equal(parts[0]?.body, '#!/bin/sh\necho hi\n');
    assert.equal(parts[2]?.body, 'héllo');
  });
});

describe('OS::Heat::SoftwareDeployment', () => {
  it('creates a derived config with the deploy inputs and waits for the signal', async () => {
    const store = new MemoryConfigStore();
    const configId = await storedConfig(store, {
      group: 'script',
      config: 'echo',
      inputs: [{ name: 'foo', default: 'd' }, { name: 'bar' }],
      outputs: [{ name: 'result' }],
    });
    const { ctx, resource } = fakeContext({ name: 'deployment', store });
    const creating = softwareDeployment.create(ctx, {
      config: configId,
      server: 'srv-1',
      input_values: { bar: 'b', extra: 1 },
      actions: ['CREATE', 'UPDATE'],
      signal_transport: 'CFN_SIGNAL',
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const deployment = await store.getDeployment(null, resource.physicalId ?? '');
    assert.equal(deployment.status, 'IN_PROGRESS');
    assert.equal(deployment.statusReason, 'Deploy data available');
    assert.equal(deployment.serverId, 'srv-1');
    const derived = await store.getConfig(null, deployment.configId);
    assert.equal(derived.name, 'teststack-config-abcdefghijkl');
    assert.deepEqual(
      derived.inputs.map((input) => [input.name, input.value]),
      [
        ['foo', 'd'],
        ['bar', 'b'],
        ['extra', 1],
        ['deploy_server_id', 'srv-1'],
        ['deploy_action', 'CREATE'],
        ['deploy_stack_id', 'teststack/5f1b2c3d-0000-4000-8000-000000000001'],
        ['deploy_resource_name', 'deployment'],
        ['deploy_signal_transport', 'CFN_SIGNAL'],
        ['deploy_signal_id', resource.data.ec2_signed_url ?? ''],
        ['deploy_signal_verb', 'POST'],
      ],
    );
    assert.deepEqual(inputNamed(derived.inputs, 'deploy_action'), {
      name: 'deploy_action',
      description: 'Name of the current action being deployed',
      type: 'String',
      value: 'CREATE',
    });
    await softwareDeployment.signal!(ctx, { deploy_stdout: 'out', result: 'r' });
    await creating;
    assert.equal(await softwareDeployment.resolveAttribute(ctx, 'deploy_stdout'), 'out');
    assert.equal(await softwareDeployment.resolveAttribute(ctx, 'result'), 'r');
    assert.equal(await softwareDeployment.resolveAttribute(ctx, 'deploy_status_code'), null);
    await assert.rejects(softwareDeployment.resolveAttribute(ctx, 'nope'), { type: 'InvalidTemplateAttribute' });
    await softwareDeployment.delete(ctx);
    assert.equal(store.deployments.size, 0);
    assert.equal(store.configs.size, 1);
  });

  it('fails with the deployment reason on a non-zero status code', async () => {
    const { ctx } = fakeContext({ name: 'd' });
    const creating = softwareDeployment.create(ctx, { server: 's', actions: ['CREATE'], signal_transport: 'CFN_SIGNAL' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await softwareDeployment.signal!(ctx, { deploy_status_code: 3 });
    await assert.rejects(creating, { message: 'Deployment to server failed: deploy_status_code : Deployment exited with non-zero status code: 3' });
  });

  it('completes at once with NO_SIGNAL and does nothing for an action not listed', async () => {
    const { ctx, resource, store } = fakeContext({ name: 'd' });
    await softwareDeployment.create(ctx, { server: 's', actions: ['CREATE'], signal_transport: 'NO_SIGNAL' });
    const deployment = await store.getDeployment(null, resource.physicalId ?? '');
    assert.equal(deployment.status, 'COMPLETE');
    assert.equal(deployment.statusReason, 'Not waiting for outputs signal');
    assert.equal((await store.getConfig(null, deployment.configId)).config, '');
    const skipped = fakeContext({ name: 'e' });
    await softwareDeployment.create(skipped.ctx, { server: 's', actions: ['UPDATE'], signal_transport: 'NO_SIGNAL' });
    assert.equal(skipped.resource.physicalId, null);
  });

  it('marks the deployment FAILED "Deployment cancelled." when its wait is aborted (stack timeout)', async () => {
    const { ctx, resource, store, controller } = fakeContext({ name: 'd' });
    const creating = softwareDeployment.create(ctx, { server: 's', actions: ['CREATE'], signal_transport: 'CFN_SIGNAL' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort(new Error('timed out'));
    await assert.rejects(creating, { message: 'timed out' });
    const deployment = await store.getDeployment(null, resource.physicalId ?? '');
    assert.deepEqual([deployment.status, deployment.statusReason], ['FAILED', 'Deployment cancelled.']);
  });

  it('substitutes get_input in a structured deployment, strictly when asked', async () => {
    const store = new MemoryConfigStore();
    const configId = await storedConfig(
      store,
      { config: { greeting: { get_input: 'name' }, list: [{ get_input: 'deploy_action' }] }, inputs: [{ name: 'name' }] },
      structuredConfig,
    );
    const { ctx, resource } = fakeContext({ name: 'sd', store });
    await structuredDeployment.create(ctx, {
      config: configId,
      server: 's',
      input_values: { name: 'world' },
      actions: ['CREATE'],
      signal_transport: 'NO_SIGNAL',
      input_key: 'get_input',
    });
    const derived = await store.getConfig(null, (await store.getDeployment(null, resource.physicalId ?? '')).configId);
    assert.deepEqual(derived.config, { greeting: 'world', list: ['CREATE'] });
    const strict = fakeContext({ name: 'strict', store });
    const missing = await storedConfig(store, { config: { a: { get_input: 'absent' } } }, structuredConfig);
    await assert.rejects(
      structuredDeployment.create(strict.ctx, {
        config: missing,
        server: 's',
        actions: ['CREATE'],
        signal_transport: 'NO_SIGNAL',
        input_values_validate: 'STRICT',
      }),
      {
        message: 'The Parameter (absent) was not provided.',
      },
    );
  });
});

describe('deployment records', () => {
  const deployment = {
    id: 'd',
    projectId: 'p',
    configId: 'c',
    serverId: 's',
    action: 'CREATE',
    status: 'IN_PROGRESS' as const,
    statusReason: '',
    inputValues: {},
    outputValues: {},
    createdAt: '',
    updatedAt: null,
  };
  const config = {
    id: 'c',
    projectId: 'p',
    name: 'n',
    group: 'g',
    config: '',
    inputs: [],
    options: {},
    outputs: [{ name: 'bad', error_output: true }],
    createdAt: '2026-01-02T03:04:05.678Z',
  };

  it('fails a deployment whose error_output is set, and ignores a signal once done', () => {
    assert.deepEqual(deploymentSignalOutcome(deployment, config, { bad: 'oops', deploy_stdout: 'x' }), {
      status: 'FAILED',
      statusReason: 'bad : oops',
      outputValues: { bad: 'oops', deploy_stdout: 'x', deploy_stderr: null, deploy_status_code: null },
    });
    assert.equal(deploymentSignalOutcome({ ...deployment, status: 'COMPLETE' }, config, {}), null);
  });

  it('lists a server deployments configs sorted by name, as the metadata shows them', () => {
    const listed = serverDeploymentsMetadata([{ ...config, id: '2', name: 'b' }, null, { ...config, id: '1', name: 'a' }]);
    assert.deepEqual(
      listed.map((item) => [item.id, item.name, item.creation_time]),
      [
        ['1', 'a', '2026-01-02T03:04:05Z'],
        ['2', 'b', '2026-01-02T03:04:05Z'],
      ],
    );
  });
});
