/**
 * Heat's own resource types in real stacks on an in-process server: the
 * engine runs the plugins, the API shows what they produced.
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { Json } from '../support/json.js';
import { startTestServer, type TestResponse, type TestServer } from '../support/server.js';
import { heatApi, type HeatApi } from './support/heat-api.js';

describe('OS::Heat types in real stacks', () => {
  let cloud: TestServer;
  let heat: HeatApi;
  let base: string;

  before(async () => {
    cloud = await startTestServer();
    heat = await heatApi(cloud, await cloud.demoToken());
    base = heat.base;
  });
  after(() => cloud.close());

  const call = (method: string, path: string, body?: unknown): Promise<TestResponse> => heat.call(method, path, body);
  const waitFor = (url: string, status: string): Promise<Json> => heat.waitFor(url, status);

  const create = async (name: string, template: Json): Promise<string> => {
    const created = await call('POST', '/stacks', { stack_name: name, disable_rollback: true, template, files: {} });
    assert.equal(created.status, 201, created.text);
    return created.headers.get('location') ?? '';
  };

  const outputs = async (location: string): Promise<Record<string, Json>> => {
    const listed = (await call('GET', `${location}/outputs`)).body.outputs as Json[];
    const values: Record<string, Json> = {};
    for (const { output_key: key } of listed) values[key] = (await call('GET', `${location}/outputs/${key}`)).body.output.output_value;
    return values;
  };

  test('RandomString, Value, TestResource, SoftwareConfig and a NO_SIGNAL deployment', async () => {
    const location = await create('heatres-basic', {
      heat_template_version: '2016-10-14',
      resources: {
        secret: { type: 'OS::Heat::RandomString', properties: { length: 12, character_classes: [{ class: 'digits' }] } },
        typed: { type: 'OS::Heat::Value', properties: { value: '42', type: 'number' } },
        test: { type: 'OS::Heat::TestResource', properties: { value: { get_attr: ['secret', 'value'] } } },
        config: { type: 'OS::Heat::SoftwareConfig', properties: { group: 'script', config: 'echo hi', outputs: [{ name: 'result' }] } },
        deployment: {
          type: 'OS::Heat::SoftwareDeployment',
          properties: { config: { get_resource: 'config' }, server: 'server-1', signal_transport: 'NO_SIGNAL' },
        },
      },
      outputs: {
        secret: { value: { get_attr: ['secret', 'value'] } },
        secret_ref: { value: { get_resource: 'secret' } },
        typed: { value: { get_attr: ['typed', 'value'] } },
        test: { value: { get_attr: ['test', 'output'] } },
        config: { value: { get_attr: ['config', 'config'] } },
        config_id: { value: { get_resource: 'config' } },
        deploy_stdout: { value: { get_attr: ['deployment', 'deploy_stdout'] } },
      },
    });
    await waitFor(location, 'CREATE_COMPLETE');
    const values = await outputs(location);
    assert.match(String(values.secret), /^\d{12}$/);
    assert.equal(values.secret_ref, values.secret);
    assert.equal(values.typed, 42);
    assert.equal(values.test, values.secret);
    assert.equal(values.config, 'echo hi');
    const config = await call('GET', `${base}/software_configs/${String(values.config_id)}`);
    assert.equal(config.status, 200, config.text);
    assert.equal(config.body.software_config.group, 'script');
    const deployments = await call('GET', `${base}/software_deployments?server_id=server-1`);
    assert.equal(deployments.status, 200, deployments.text);
    assert.equal(deployments.body.software_deployments.length, 1);
    assert.equal(deployments.body.software_deployments[0].status, 'COMPLETE');
    assert.equal(values.deploy_stdout, null);
    assert.equal((await call('DELETE', location)).status, 204);
    await waitFor(location, 'DELETE_COMPLETE').catch(() => undefined);
    assert.equal((await call('GET', `${base}/software_deployments?server_id=server-1`)).body.software_deployments.length, 0);
  });

  test('a wait condition completes on a signal to its handle and shows its data', async () => {
    const location = await create('heatres-wait', {
      heat_template_version: '2016-10-14',
      resources: {
        handle: { type: 'OS::Heat::WaitConditionHandle', properties: { signal_transport: 'HEAT_SIGNAL' } },
        wait: { type: 'OS::Heat::WaitCondition', properties: { handle: { get_resource: 'handle' }, timeout: 30 } },
      },
      outputs: { data: { value: { get_attr: ['wait', 'data'] } } },
    });
    for (let i = 0; i < 100; i++) {
      const handle = await call('GET', `${location}/resources/handle`);
      if (handle.body.resource?.resource_status === 'CREATE_COMPLETE') break;
      await delay(100);
    }
    const signalled = await call('POST', `${location}/resources/handle/signal`, { status: 'SUCCESS', data: 'ready', id: 'a' });
    assert.equal(signalled.status, 200, signalled.text);
    await waitFor(location, 'CREATE_COMPLETE');
    assert.equal((await outputs(location)).data, '{"a": "ready"}');
    const metadata = await call('GET', `${location}/resources/handle/metadata`);
    assert.deepEqual(metadata.body.metadata, { a: { status: 'SUCCESS', data: 'ready', reason: 'Signal 1 received' } });
  });

  test('a failing TestResource fails the stack with Heat reason', async () => {
    const location = await create('heatres-fail', {
      heat_template_version: '2016-10-14',
      resources: { broken: { type: 'OS::Heat::TestResource', properties: { fail: true } } },
    });
    const stack = await waitFor(location, 'CREATE_FAILED');
    assert.match(String(stack.stack_status_reason), /Test Resource failed broken/);
  });

  test('a ResourceGroup nests its members and answers refs', async () => {
    const location = await create('heatres-group', {
      heat_template_version: '2016-10-14',
      resources: {
        group: {
          type: 'OS::Heat::ResourceGroup',
          properties: { count: 2, resource_def: { type: 'OS::Heat::Value', properties: { value: 'member %index%' } } },
        },
      },
      outputs: { refs: { value: { get_attr: ['group', 'refs'] } }, refs_map: { value: { get_attr: ['group', 'refs_map'] } } },
    });
    await waitFor(location, 'CREATE_COMPLETE');
    const values = await outputs(location);
    assert.equal((values.refs as Json[]).length, 2);
    assert.deepEqual(Object.keys(values.refs_map as Record<string, Json>), ['0', '1']);
    const nested = await call('GET', `${location}/resources?nested_depth=1`);
    assert.deepEqual((nested.body.resources as Json[]).map((resource) => resource.resource_name).sort(), ['0', '1', 'group']);
  });

  test('a CFN_SIGNAL deployment waits until its presigned URL is posted to, without a token', async () => {
    const location = await create('heatres-cfn', {
      heat_template_version: '2016-10-14',
      resources: {
        config: { type: 'OS::Heat::SoftwareConfig', properties: { config: 'x', outputs: [{ name: 'result' }] } },
        deployment: { type: 'OS::Heat::SoftwareDeployment', properties: { config: { get_resource: 'config' }, server: 'server-cfn' } },
      },
      outputs: { stdout: { value: { get_attr: ['deployment', 'deploy_stdout'] } } },
    });
    let signalUrl: string | undefined;
    for (let i = 0; i < 100 && signalUrl === undefined; i++) {
      const metadata = await call('GET', `${base}/software_deployments/metadata/server-cfn`);
      const deployments = (metadata.body.metadata ?? []) as Json[];
      const inputs = (deployments[0]?.inputs ?? []) as Json[];
      signalUrl = inputs.find((input) => input.name === 'deploy_signal_id')?.value as string | undefined;
      if (signalUrl === undefined) await delay(100);
    }
    assert.ok(signalUrl, 'the derived config carries deploy_signal_id');
    const posted = await cloud.request('POST', signalUrl, { body: { deploy_stdout: 'done', result: 'ok' } });
    assert.ok(posted.status < 300, posted.text);
    await waitFor(location, 'CREATE_COMPLETE');
    assert.deepEqual(await outputs(location), { stdout: 'done' });
    const deployments = await call('GET', `${base}/software_deployments?server_id=server-cfn`);
    assert.deepEqual(deployments.body.software_deployments[0].output_values, {
      result: 'ok',
      deploy_stdout: 'done',
      deploy_stderr: null,
      deploy_status_code: null,
    });
  });

  test('SoftwareDeployments (the tempest deployments test shape) complete when every deployment is signalled', async () => {
    const location = await create('heatres-deployments', {
      heat_template_version: '2013-05-23',
      resources: {
        config: { type: 'OS::Heat::SoftwareConfig', properties: { config: 'x'.repeat(10000) } },
        dep_0: { type: 'OS::Heat::SoftwareDeployments', properties: { config: { get_resource: 'config' }, servers: { '0': 'server-many' } } },
        dep_1: { type: 'OS::Heat::SoftwareDeployments', properties: { config: { get_resource: 'config' }, servers: { '0': 'server-many' } } },
      },
      outputs: { stdouts: { value: { get_attr: ['dep_0', 'deploy_stdouts'] } } },
    });
    let deployments: Json[] = [];
    for (let i = 0; i < 100 && deployments.length < 2; i++) {
      deployments = ((await call('GET', `${base}/software_deployments/metadata/server-many`)).body.metadata ?? []) as Json[];
      if (deployments.length < 2) await delay(100);
    }
    assert.equal(deployments.length, 2);
    for (const deployment of deployments) {
      const url = (deployment.inputs as Json[]).find((input) => input.name === 'deploy_signal_id')?.value as string;
      const posted = await cloud.request('POST', url, { body: { deploy_stdout: `from ${String(deployment.name)}` } });
      assert.ok(posted.status < 300, posted.text);
    }
    await waitFor(location, 'CREATE_COMPLETE');
    const stdouts = (await outputs(location)).stdouts as Record<string, Json>;
    assert.deepEqual(Object.keys(stdouts), ['0']);
    assert.match(String(stdouts['0']), /^from /);
  });
});
