/**
 * Heat's entry in Nova's vendor data, on a real in-process cloud (fake
 * hypervisor): a SOFTWARE_CONFIG server's vendor_data2.json carries the
 * os-collect-config layout with its deployments (the derived config, its
 * inputs and the presigned signal URL made from
 * heat_waitcondition_server_url); a POST of the guest's outputs to that URL
 * completes the stack; a server Heat did not make with SOFTWARE_CONFIG has
 * no `heat` entry.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { Json } from '../support/json.js';
import { metadataGet } from '../support/metadata-socket.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { heatApi, type HeatApi } from './support/heat-api.js';

const GUEST_FACING = 'http://192.0.2.10:8000/orchestration/cfn/v1/waitcondition';

const TEMPLATE = {
  heat_template_version: '2018-08-31',
  resources: {
    config: {
      type: 'OS::Heat::SoftwareConfig',
      properties: { group: 'script', inputs: [{ name: 'greeting' }], outputs: [{ name: 'result' }], config: '#!/bin/sh\necho "$greeting"\n' },
    },
    server: {
      type: 'OS::Nova::Server',
      properties: { image: 'nimbus-blank-qcow2', flavor: 'm1.nano', networks: [{ network: 'private' }], user_data_format: 'SOFTWARE_CONFIG' },
    },
    deployment: {
      type: 'OS::Heat::SoftwareDeployment',
      properties: {
        config: { get_resource: 'config' },
        server: { get_resource: 'server' },
        input_values: { greeting: 'hello' },
        signal_transport: 'CFN_SIGNAL',
      },
    },
  },
  outputs: { result: { value: { get_attr: ['deployment', 'result'] } } },
};

/** POSTs the signal as the guest does: to the guest-facing URL's path, with its Host (the signature covers it), through this server's port. */
function signalAs(cloud: TestServer, url: string, body: Json): Promise<number> {
  const target = new URL(url);
  const port = Number(new URL(cloud.url).port);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `${target.pathname}${target.search}`,
        headers: { host: target.host, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('heat vendor data', () => {
  let cloud: TestServer;
  let heat: HeatApi;
  let socket: string;
  let networkId: string;

  before(async () => {
    cloud = await startTestServer((config) => {
      config.compute.devstack_defaults = true;
      config.compute.fake.hosts = 1;
      config.compute.fake.spawn_delay_ms = 0;
      config.compute.fake.action_delay_ms = 0;
      config.compute.metadata_socket = join(config.server.data_dir, 'metadata.sock');
      config.orchestration.heat_waitcondition_server_url = GUEST_FACING;
      socket = config.compute.metadata_socket;
    });
    const token = await cloud.demoToken();
    heat = await heatApi(cloud, token);
    networkId = (await cloud.request('GET', '/network/v2.0/networks?name=private', { token })).body.networks[0].id;
  });
  after(() => cloud.close());

  const guestOf = async (serverId: string) => {
    const ports = (await cloud.request('GET', `/network/v2.0/ports?device_id=${serverId}`, { token: await cloud.adminToken() })).body.ports as Json[];
    return { ip: String(ports[0]?.fixed_ips[0].ip_address), networkId };
  };
  const vendorData = async (serverId: string): Promise<Json> => {
    const reply = await metadataGet(socket, '/openstack/latest/vendor_data2.json', await guestOf(serverId));
    assert.equal(reply.status, 200, reply.body);
    return JSON.parse(reply.body) as Json;
  };
  const resource = async (location: string, name: string): Promise<Json> => (await heat.call('GET', `${location}/resources/${name}`)).body.resource;

  test('the deployment reaches the guest through vendor_data2.json; its signal completes the stack', async () => {
    const created = await heat.call('POST', '/stacks', { stack_name: 'vendordata', template: TEMPLATE, disable_rollback: true });
    assert.equal(created.status, 201, created.text);
    const location = created.headers.get('location') ?? '';
    let deployment: Json = {};
    for (let i = 0; i < 200 && deployment.resource_status !== 'CREATE_IN_PROGRESS'; i++) {
      await delay(100);
      deployment = await resource(location, 'deployment');
    }
    assert.equal(deployment.resource_status, 'CREATE_IN_PROGRESS');
    const serverId = String((await resource(location, 'server')).physical_resource_id);

    const entry = (await vendorData(serverId)).heat as Json;
    assert.deepEqual(entry['os-collect-config'].collectors, ['ec2', 'cfn', 'local']);
    assert.equal(entry.deployments.length, 1);
    const deployed = entry.deployments[0] as Json;
    assert.equal(deployed.group, 'script');
    assert.equal(deployed.config, '#!/bin/sh\necho "$greeting"\n');
    assert.deepEqual(deployed.outputs, [{ name: 'result', type: 'String', error_output: false }]);
    const inputs = Object.fromEntries((deployed.inputs as Json[]).map((input) => [input.name, input.value]));
    assert.equal(inputs.greeting, 'hello');
    assert.equal(inputs.deploy_server_id, serverId);
    assert.equal(inputs.deploy_action, 'CREATE');
    assert.equal(inputs.deploy_resource_name, 'deployment');
    assert.equal(inputs.deploy_signal_transport, 'CFN_SIGNAL');
    assert.equal(inputs.deploy_signal_verb, 'POST');
    assert.ok(String(inputs.deploy_signal_id).startsWith('http://192.0.2.10:8000/orchestration/cfn/v1/signal/arn%3Aopenstack%3Aheat'), inputs.deploy_signal_id);

    // Still waiting: nothing has signalled.
    assert.equal((await heat.call('GET', location)).body.stack.stack_status, 'CREATE_IN_PROGRESS');
    const signalled = await signalAs(cloud, String(inputs.deploy_signal_id), {
      deploy_stdout: 'hello\n',
      deploy_stderr: '',
      deploy_status_code: 0,
      result: 'from guest',
    });
    assert.equal(signalled, 200);
    const stack = await heat.waitFor(location, 'CREATE_COMPLETE');
    assert.deepEqual(
      (stack.outputs as Json[]).map((output) => [output.output_key, output.output_value]),
      [['result', 'from guest']],
    );
    assert.equal(
      (await heat.call('GET', `/software_deployments/${deployment.physical_resource_id}`)).body.software_deployment.output_values.deploy_stdout,
      'hello\n',
    );
  });

  test('a server without SOFTWARE_CONFIG has no heat entry', async () => {
    const created = await heat.call('POST', '/stacks', {
      stack_name: 'vendordata-raw',
      template: {
        heat_template_version: '2018-08-31',
        resources: { server: { type: 'OS::Nova::Server', properties: { ...TEMPLATE.resources.server.properties, user_data_format: 'RAW' } } },
      },
    });
    assert.equal(created.status, 201, created.text);
    const location = created.headers.get('location') ?? '';
    await heat.waitFor(location, 'CREATE_COMPLETE');
    assert.deepEqual(await vendorData(String((await resource(location, 'server')).physical_resource_id)), {});
  });
});
