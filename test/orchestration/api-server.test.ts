/**
 * heat-api on a real in-process server, the way heat_tempest_plugin's gabbi
 * tests drive it: the catalog entry, create/poll/show/update/patch/outputs/
 * delete, resources (filter, show, mark unhealthy, signal refused),
 * resource types, template versions and validate.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Json } from '../support/json.js';
import { startTestServer, type TestResponse, type TestServer } from '../support/server.js';
import { heatApi, type HeatApi } from './support/heat-api.js';

const TEMPLATE = {
  heat_template_version: 'pike',
  parameters: { test_val: { type: 'string' } },
  resources: { test: { type: 'OS::Heat::TestResource', properties: { value: { get_param: 'test_val' } } } },
  outputs: { output_value: { value: { get_attr: ['test', 'output'] } } },
};

describe('heat-api on a server', () => {
  let cloud: TestServer;
  let heat: HeatApi;
  let base: string;
  let token: string;

  before(async () => {
    cloud = await startTestServer();
    token = await cloud.demoToken();
    heat = await heatApi(cloud, token);
    base = heat.base;
  });
  after(() => cloud.close());

  const call = (method: string, path: string, body?: unknown): Promise<TestResponse> => heat.call(method, path, body);
  const waitFor = (url: string, status: string): Promise<Json> => heat.waitFor(url, status);

  test('the catalog has orchestration and cloudformation; the root lists v1.0', async () => {
    assert.match(base, /\/orchestration\/v1\/[0-9a-f]+$/);
    const versions = await cloud.request('GET', '/orchestration/');
    assert.equal(versions.status, 300);
    assert.equal(versions.body.versions[0].id, 'v1.0');
  });

  test('create, poll, show, update, patch, outputs, delete (stacks.yaml)', async () => {
    const created = await call('POST', '/stacks', {
      stack_name: 'gabbi-stack',
      disable_rollback: true,
      parameters: { test_val: 'value' },
      template: TEMPLATE,
      files: {},
    });
    assert.equal(created.status, 201, created.text);
    const location = created.headers.get('location') ?? '';
    assert.match(location, /\/stacks\/gabbi-stack\/[a-f0-9-]+$/);
    await waitFor(location, 'CREATE_COMPLETE');

    const updateTemplate = structuredClone(TEMPLATE) as Json;
    updateTemplate.resources.test.properties.action_wait_secs = { update: 1 };
    const updated = await call('PUT', location, { stack_name: 'gabbi-stack', parameters: { test_val: 'new_value' }, template: updateTemplate, files: {} });
    assert.equal(updated.status, 202, updated.text);
    await waitFor(location, 'UPDATE_COMPLETE');

    const patched = await call('PATCH', location, { parameters: { test_val: 'new_patched_value' } });
    assert.equal(patched.status, 202, patched.text);
    const stack = await waitFor(location, 'UPDATE_COMPLETE');
    assert.equal(stack.parameters.test_val, 'new_patched_value');

    const outputs = await call('GET', `${location}/outputs`);
    assert.equal(outputs.body.outputs[0].output_key, 'output_value');
    const output = await call('GET', `${location}/outputs/output_value`);
    assert.equal(output.body.output.output_value, 'new_patched_value');

    const lookup = await fetch(`${base}/stacks/gabbi-stack`, { method: 'DELETE', headers: { 'x-auth-token': token }, redirect: 'manual' });
    assert.equal(lookup.status, 302);
    const deleted = await call('DELETE', lookup.headers.get('location') ?? '');
    assert.equal(deleted.status, 204, deleted.text);
  });

  test('resources: list, filter, show, mark unhealthy, signal refused (resources.yaml)', async () => {
    const template = { ...TEMPLATE, parameters: { test_val: { type: 'string', default: 'test' } } };
    const created = await call('POST', '/stacks', { stack_name: 'rsrc-stack', template });
    const location = created.headers.get('location') ?? '';
    await waitFor(location, 'CREATE_COMPLETE');
    const list = await call('GET', `${location}/resources`);
    assert.equal(list.body.resources[0].logical_resource_id, 'test');
    assert.equal(list.body.resources[0].resource_status, 'CREATE_COMPLETE');
    assert.deepEqual((await call('GET', `${location}/resources?type=OS::Nova::Server`)).body.resources, []);
    const shown = await call('GET', `${location}/resources/test`);
    assert.equal(shown.body.resource.attributes.output, 'test');
    const marked = await call('PATCH', `${location}/resources/test`, { mark_unhealthy: true, resource_status_reason: 'resource deleted' });
    assert.equal(marked.status, 200, marked.text);
    const unhealthy = await call('GET', `${location}/resources/test`);
    assert.equal(unhealthy.body.resource.resource_status, 'CHECK_FAILED');
    assert.equal(unhealthy.body.resource.resource_status_reason, 'resource deleted');
    const signal = await call('POST', `${location}/resources/test/signal`);
    assert.equal(signal.status, 400, signal.text);
    assert.equal((await call('DELETE', location)).status, 204);
  });

  test('resource types, template versions and functions, validate', async () => {
    const types = await call('GET', '/resource_types');
    assert.ok((types.body.resource_types as string[]).includes('OS::Heat::TestResource'));
    const schema = await call('GET', '/resource_types/OS::Heat::TestResource');
    assert.equal(schema.status, 200, schema.text);
    assert.equal(schema.body.support_status.status, 'SUPPORTED');
    assert.equal(schema.body.properties.wait_secs.default, 0);
    const generated = await call('GET', '/resource_types/OS::Heat::TestResource/template?template_type=hot');
    assert.equal(generated.body.resources.TestResource.type, 'OS::Heat::TestResource');
    assert.match(generated.body.heat_template_version, /^20[1-9][0-9]-[0-1][0-9]-[0-3][0-9]$/);
    const versions = await call('GET', '/template_versions');
    assert.ok((versions.body.template_versions as Json[]).some((v) => v.version === 'heat_template_version.2016-04-08' && v.type === 'hot'));
    const validated = await call('POST', '/validate', { template: { ...TEMPLATE, heat_template_version: '2016-04-08' } });
    assert.equal(validated.status, 200, validated.text);
    assert.equal(validated.body.Parameters.test_val.Type, 'String');
  });
});
