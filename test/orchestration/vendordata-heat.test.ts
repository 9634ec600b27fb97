/**
 * Heat's entry in Nova's vendor data, on a real in-process cloud (fake
 * hypervisor): a SOFTWARE_CONFIG server's vendor_data2.json carries the
 * os-collect-config layout with its deployments (the derived config, its
 * inputs and the presigned signal URL made from
 * heat_waitcondition_server_url); a POST of the guest's outputs to that URL
 * completes the stack; the guest image's agent (busybox sh and awk, run
 * here on the host against the same metadata) runs a script deployment and
 * signals its outputs; a server Heat did not make with SOFTWARE_CONFIG has
 * no `heat` entry.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../support/free-port.js';
import type { Json } from '../support/json.js';
import { metadataGet } from '../support/metadata-socket.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { heatApi, type HeatApi } from './support/heat-api.js';

/** A stack with a SOFTWARE_CONFIG server and a deployment of `script` (inputs: greeting; outputs: result). */
const template = (script: string) => ({
  heat_template_version: '2018-08-31',
  resources: {
    config: {
      type: 'OS::Heat::SoftwareConfig',
      properties: { group: 'script', inputs: [{ name: 'greeting' }], outputs: [{ name: 'result' }], config: script },
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
});
const ECHO = '#!/bin/sh\necho "$greeting"\n';
const AGENT = join(import.meta.dirname, '..', '..', '..', 'scripts', 'guest-image', 'heat-agent');
const noBusybox = spawnSync('sh', ['-c', 'command -v busybox']).status === 0 ? false : 'busybox is not installed';

/** POSTs the signal as the guest does: to the guest-facing URL, with its Host (the signature covers it), on loopback. */
function signalAs(url: string, body: Json): Promise<number> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: Number(target.port),
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

/** The guest image's agent under busybox on this host, polling `metadataUrl` every second; the config drive copy is `configDrive` when given. */
function startAgent(metadataUrl: string, configDrive?: string) {
  const state = mkdtempSync(join(tmpdir(), 'heat-agent-'));
  if (configDrive !== undefined) writeFileSync(join(state, 'config-drive.json'), configDrive);
  const agent = spawn('busybox', ['sh', AGENT], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HEAT_AGENT_METADATA_URL: metadataUrl,
      HEAT_AGENT_CONFIG_DRIVE: join(state, 'config-drive.json'),
      HEAT_AGENT_POLL_SECONDS: '1',
      HEAT_AGENT_STATE: join(state, 'run'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let log = '';
  agent.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => agent.once('exit', resolve));
  return {
    log: () => log,
    exited,
    stop() {
      agent.kill('SIGKILL');
      rmSync(state, { recursive: true, force: true });
    },
  };
}

describe('heat vendor data', () => {
  let cloud: TestServer;
  let heat: HeatApi;
  let socket: string;
  let networkId: string;
  let port: number;

  before(async () => {
    port = await freePort();
    cloud = await startTestServer((config) => {
      config.server.port = port;
      config.compute.devstack_defaults = true;
      config.compute.fake.hosts = 1;
      config.compute.fake.spawn_delay_ms = 0;
      config.compute.fake.action_delay_ms = 0;
      config.compute.metadata_socket = join(config.server.data_dir, 'metadata.sock');
      // Another host name than the public URL's 127.0.0.1: signal URLs must take it.
      config.orchestration.heat_waitcondition_server_url = `http://localhost:${port}/orchestration/cfn/v1/waitcondition`;
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
  /** Creates the stack and waits until its deployment waits for the signal; the deployment and server resources. */
  const createWaiting = async (name: string, script: string, greeting: string) => {
    const body = template(script);
    body.resources.deployment.properties.input_values.greeting = greeting;
    const created = await heat.call('POST', '/stacks', { stack_name: name, template: body, disable_rollback: true });
    assert.equal(created.status, 201, created.text);
    const location = created.headers.get('location') ?? '';
    let deployment: Json = {};
    for (let i = 0; i < 200 && deployment.resource_status !== 'CREATE_IN_PROGRESS'; i++) {
      await delay(100);
      deployment = await resource(location, 'deployment');
    }
    assert.equal(deployment.resource_status, 'CREATE_IN_PROGRESS');
    return { location, deployment, serverId: String((await resource(location, 'server')).physical_resource_id) };
  };

  test('the deployment reaches the guest through vendor_data2.json; its signal completes the stack', async () => {
    const { location, deployment, serverId } = await createWaiting('vendordata', ECHO, 'hello');

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
    assert.ok(
      String(inputs.deploy_signal_id).startsWith(`http://localhost:${port}/orchestration/cfn/v1/signal/arn%3Aopenstack%3Aheat`),
      inputs.deploy_signal_id,
    );

    // Still waiting: nothing has signalled.
    assert.equal((await heat.call('GET', location)).body.stack.stack_status, 'CREATE_IN_PROGRESS');
    const signalled = await signalAs(String(inputs.deploy_signal_id), {
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

  test('the guest agent runs the script with its inputs and signals stdout, stderr, status and outputs', { skip: noBusybox }, async (t) => {
    const script =
      '#!/bin/sh\necho "deploying $deploy_resource_name"\necho "careful: $greeting" >&2\nprintf \'%s, from the guest\' "$greeting" > "$heat_outputs_path.result"\n';
    const greeting = 'héllo "guest"\tok';
    const { location, serverId } = await createWaiting('vendordata-agent', script, greeting);
    // The metadata proxy's role: the agent's GETs reach the metadata API as this server's guest.
    const guest = await guestOf(serverId);
    const proxy = createServer((req, res) => {
      metadataGet(socket, req.url ?? '/', guest).then(
        (reply) => res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body),
        () => res.writeHead(502).end(),
      );
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyPort = (proxy.address() as { port: number }).port;
    const agent = startAgent(`http://127.0.0.1:${proxyPort}/openstack/latest/vendor_data2.json`);
    t.after(() => {
      agent.stop();
      proxy.close();
    });

    const stack = await heat.waitFor(location, 'CREATE_COMPLETE');
    assert.match(agent.log(), /NIMBUS-GUEST-HEAT signalled /);
    assert.deepEqual(
      (stack.outputs as Json[]).map((output) => [output.output_key, output.output_value]),
      [['result', `${greeting}, from the guest`]],
    );
    const deployment = (await heat.call('GET', `/software_deployments?server_id=${serverId}`)).body.software_deployments[0];
    assert.deepEqual(
      [deployment.output_values.deploy_stdout, deployment.output_values.deploy_stderr, deployment.output_values.deploy_status_code],
      ['deploying deployment\n', `careful: ${greeting}\n`, 0],
    );
  });

  test('the agent reads the config drive copy first, and stops when the vendor data has no heat entry', { skip: noBusybox }, async (t) => {
    // Nothing listens on port 1: only the config drive copy can answer.
    const agent = startAgent('http://127.0.0.1:1/openstack/latest/vendor_data2.json', '{"other": {"deployments": []}}');
    t.after(() => agent.stop());
    assert.equal(await agent.exited, 0);
    assert.match(agent.log(), /NIMBUS-GUEST-HEAT no heat vendor data/);
    // A copy cut short is not taken for vendor data without Heat: the agent keeps polling.
    const cut = startAgent('http://127.0.0.1:1/openstack/latest/vendor_data2.json', '{"other": {"deployments": [');
    t.after(() => cut.stop());
    assert.equal(await Promise.race([cut.exited, delay(2500).then(() => 'polling')]), 'polling');
  });

  test('a server without SOFTWARE_CONFIG has no heat entry', async () => {
    const created = await heat.call('POST', '/stacks', {
      stack_name: 'vendordata-raw',
      template: {
        heat_template_version: '2018-08-31',
        resources: { server: { type: 'OS::Nova::Server', properties: { ...template(ECHO).resources.server.properties, user_data_format: 'RAW' } } },
      },
    });
    assert.equal(created.status, 201, created.text);
    const location = created.headers.get('location') ?? '';
    await heat.waitFor(location, 'CREATE_COMPLETE');
    assert.deepEqual(await vendorData(String((await resource(location, 'server')).physical_resource_id)), {});
  });
});
