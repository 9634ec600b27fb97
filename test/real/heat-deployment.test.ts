/**
 * Issue 14's last item on the real drivers (QEMU + Linux bridge): `openstack
 * stack create --wait` of a stack with its own network, subnet and router on
 * `public`, a SOFTWARE_CONFIG server booted from the guest image and a
 * SoftwareDeployment (group script, CFN_SIGNAL). The guest's agent finds the
 * deployment in vendor_data2.json through the metadata service, runs the
 * script and POSTs its outputs to the presigned URL. The deployment waits
 * IN_PROGRESS until then; the stack completes with the guest's outputs; and
 * `stack delete --wait` leaves no QEMU process, tap or namespace.
 *
 * The guest reaches Heat through its router on the external network: a relay
 * this test runs listens on the public subnet's gateway address in the
 * external namespace (qext-…) and forwards over a unix socket to Nimbus on
 * loopback; heat_waitcondition_server_url names that address. Needs root,
 * QEMU, socat and the openstack CLI with heatclient; skipped with the reason
 * elsewhere. Everything it makes is removed, also on failure.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openstack, stackCommandsSkipReason } from '../clients/openstack.js';
import { guestImage } from '../support/guest-image.js';
import { hostObjectsOf, processesNaming, realHostMissing, startRealCloud, tearDownRealCloud, waitFor, type RealCloud } from './support.js';

const socatMissing = spawnSync('sh', ['-c', 'command -v socat']).status === 0 ? null : 'socat is not installed (scripts/install-host installs it)';
const missing = realHostMissing() ?? socatMissing ?? (stackCommandsSkipReason() || null);

/** The public subnet (set below, as devstack's) and its gateway, which the external namespace holds. */
const PUBLIC_CIDR = '172.24.4.0/24';
const GUEST_FACING = { address: '172.24.4.1', port: 8000 };
const STACK_CREATE_MS = 600_000;

const TEMPLATE = `heat_template_version: 2018-08-31
resources:
  net:
    type: OS::Neutron::Net
  subnet:
    type: OS::Neutron::Subnet
    properties: {network: {get_resource: net}, cidr: 10.92.0.0/24}
  router:
    type: OS::Neutron::Router
    properties: {external_gateway_info: {network: public}}
  router_interface:
    type: OS::Neutron::RouterInterface
    properties: {router: {get_resource: router}, subnet: {get_resource: subnet}}
  config:
    type: OS::Heat::SoftwareConfig
    properties:
      group: script
      inputs: [{name: greeting}]
      outputs: [{name: result}]
      config: |
        #!/bin/sh
        echo "guest kernel $(uname -r) got $greeting"
        printf '%s from %s' "$greeting" "$(hostname)" > "$heat_outputs_path.result"
  server:
    type: OS::Nova::Server
    depends_on: router_interface
    properties:
      image: nimbus-guest
      flavor: m1.nano
      networks: [{network: {get_resource: net}}]
      user_data_format: SOFTWARE_CONFIG
  deployment:
    type: OS::Heat::SoftwareDeployment
    properties:
      config: {get_resource: config}
      server: {get_resource: server}
      input_values: {greeting: hello}
      signal_transport: CFN_SIGNAL
outputs:
  result:
    value: {get_attr: [deployment, result]}
`;

interface Resource {
  resource_name: string;
  resource_status: string;
  physical_resource_id: string;
}

let cloud: RealCloud | null = null;
const relays: ChildProcess[] = [];

before(async () => {
  if (missing) return;
  const image = guestImage();
  cloud = await startRealCloud(
    `compute:\n  qemu: {guest_image: ${image}, accel: tcg}\nnetwork:\n  public_cidr: ${PUBLIC_CIDR}\n` +
      `orchestration:\n  heat_waitcondition_server_url: http://${GUEST_FACING.address}:${GUEST_FACING.port}/orchestration/cfn/v1/waitcondition\n`,
  );
});

after(async () => {
  for (const relay of relays) relay.kill('SIGKILL');
  if (!cloud) return;
  await openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', 'stack', 'delete', '--yes', '--wait', 'heat-e2e'], {}, 300_000);
  await tearDownRealCloud(cloud);
});

/** Runs `socat` with these arguments (optionally inside a namespace) until the test ends; fails if it exits at once. */
async function relay(args: string[], namespace?: string): Promise<void> {
  const child = namespace ? spawn('ip', ['netns', 'exec', namespace, 'socat', ...args], { stdio: 'ignore' }) : spawn('socat', args, { stdio: 'ignore' });
  relays.push(child);
  const exited = await Promise.race([
    new Promise((resolve) => child.once('exit', () => resolve(true))),
    new Promise((resolve) => setTimeout(() => resolve(false), 500)),
  ]);
  assert.equal(exited, false, `socat ${args.join(' ')} exited`);
}

test('real drivers: a guest runs a Heat SoftwareDeployment and signals back', { skip: missing ?? false, timeout: 1_200_000 }, async () => {
  const c = cloud as RealCloud;
  const cli = (args: string[], timeoutMs?: number) => openstack(c.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...args], {}, timeoutMs);

  // Heat on the external network, as a guest behind a router sees it: qext-… (the public gateway address) → unix socket → Nimbus.
  const publicNet = await c.admin<{ id: string }>(['network', 'show', 'public']);
  const outside = `qext-${publicNet.id.slice(0, 11)}`;
  await waitFor(`namespace ${outside}`, 60_000, async () => (spawnSync('ip', ['netns', 'list']).stdout.toString().includes(outside) ? true : null));
  const socket = join(c.dataDir, 'heat-relay.sock');
  await relay([`UNIX-LISTEN:${socket},fork`, `TCP:127.0.0.1:${c.port}`]);
  await relay([`TCP-LISTEN:${GUEST_FACING.port},bind=${GUEST_FACING.address},fork,reuseaddr`, `UNIX-CONNECT:${socket}`], outside);

  const templateFile = join(c.dataDir, 'heat-e2e.yaml');
  writeFileSync(templateFile, TEMPLATE);
  let failedCreate: string | null = null;
  const creating = cli(['stack', 'create', '--wait', '--timeout', '15', '-t', templateFile, 'heat-e2e', '-f', 'json'], STACK_CREATE_MS).then((result) => {
    if (result.code !== 0) failedCreate = result.stderr;
    return result;
  });

  // The deployment handed out to the guest. Its IN_PROGRESS window (guest boot to signal) can pass between two
  // polls of a loaded host, so a deployment already complete is taken too: the events below show it waited.
  const deploymentId = await waitFor('the deployment handed out', 600_000, async () => {
    // A create that failed outright says why; waiting on would only time out.
    if (failedCreate !== null) assert.fail(`stack create failed: ${failedCreate}`);
    const resource = await c.demo<Resource>(['stack', 'resource', 'show', 'heat-e2e', 'deployment']);
    if (!resource.physical_resource_id || !['CREATE_IN_PROGRESS', 'CREATE_COMPLETE'].includes(resource.resource_status)) return null;
    const record = await c.demo<{ status: string }>(['software', 'deployment', 'show', resource.physical_resource_id]);
    return record.status === 'IN_PROGRESS' || record.status === 'COMPLETE' ? resource.physical_resource_id : null;
  });

  const created = await creating;
  assert.equal(created.code, 0, created.stderr);
  const stack = await c.demo<{ stack_status: string; outputs: Array<{ output_key: string; output_value: string }> }>(['stack', 'show', 'heat-e2e']);
  assert.equal(stack.stack_status, 'CREATE_COMPLETE');

  // What the stack shows came from the guest: its console shows the run and the signal, its hostname is in the output.
  const server = await c.demo<Resource>(['stack', 'resource', 'show', 'heat-e2e', 'server']);
  const shown = await c.demo<{ name: string }>(['server', 'show', server.physical_resource_id]);
  const log = await c.demoRun(['console', 'log', 'show', server.physical_resource_id]);
  assert.match(log, /NIMBUS-GUEST-HEAT signalled /);
  const result = stack.outputs.find((output) => output.output_key === 'result')?.output_value;
  assert.equal(result, `hello from ${shown.name}.novalocal`);
  const outputs = await c.demo<{ status_reason: string; output_values: Record<string, unknown> }>(['software', 'deployment', 'show', '--long', deploymentId]);
  assert.equal(outputs.status_reason, 'Outputs received');
  assert.match(String(outputs.output_values.deploy_stdout), /^guest kernel \S+ got hello\n$/);
  assert.equal(outputs.output_values.deploy_status_code, 0);
  // Heat's events in order: the deployment completed on the signal, and the stack after it.
  const events = (await c.demo<Array<{ resource_name: string; resource_status: string }>>(['stack', 'event', 'list', 'heat-e2e'])).map(
    (event) => `${event.resource_name} ${event.resource_status}`,
  );
  const at = (event: string) => events.indexOf(event);
  assert.ok(at('deployment CREATE_IN_PROGRESS') >= 0 && at('deployment CREATE_IN_PROGRESS') < at('deployment CREATE_COMPLETE'), events.join(', '));
  assert.ok(at('deployment CREATE_COMPLETE') < at('heat-e2e CREATE_COMPLETE'), events.join(', '));

  const ports = await c.demo<Array<{ ID: string }>>(['port', 'list', '--device-id', server.physical_resource_id]);
  const stackResources = await c.demo<Resource[]>(['stack', 'resource', 'list', 'heat-e2e']);
  const networkSide = stackResources.filter((r) => r.resource_name === 'net' || r.resource_name === 'router').map((r) => r.physical_resource_id);
  const deleted = await cli(['stack', 'delete', '--yes', '--wait', 'heat-e2e'], 300_000);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.deepEqual(processesNaming(server.physical_resource_id), [], 'a QEMU process of the server is still running');
  assert.deepEqual(hostObjectsOf([...ports.map((p) => p.ID), ...networkSide]), [], 'taps, namespaces or bridges of the stack remain');
});
