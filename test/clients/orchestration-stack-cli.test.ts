/**
 * The real-world stack through Debian's `openstack stack` commands
 * (python3-heatclient): a private network and subnet, a router with its
 * gateway on `public`, a security group, a key pair, two servers in a
 * ResourceGroup (each a template resource booting from an image with a
 * volume attached) and a floating IP on the first. Then: a flavor update
 * resizes in place (same server ids), an image update replaces the servers
 * (the template asks image_update_policy REPLACE; Heat's default, REBUILD,
 * would keep them), a stack whose server fails rolls back, and delete --wait
 * gives the project's quota usage back. Skips where the CLI or heatclient is
 * not installed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server.js';
import { openstack, openstackJson, stackCommandsSkipReason } from './openstack.js';
import type { Json } from '../support/json.js';

const skip = stackCommandsSkipReason();

const MAIN = `
heat_template_version: 2018-08-31
parameters:
  image: {type: string, default: nimbus-blank-qcow2}
  flavor: {type: string, default: m1.nano}
resources:
  net:
    type: OS::Neutron::Net
  subnet:
    type: OS::Neutron::Subnet
    properties: {network: {get_resource: net}, cidr: 10.20.0.0/24}
  router:
    type: OS::Neutron::Router
    properties: {external_gateway_info: {network: public}}
  router_iface:
    type: OS::Neutron::RouterInterface
    properties: {router: {get_resource: router}, subnet: {get_resource: subnet}}
  sg:
    type: OS::Neutron::SecurityGroup
    properties:
      rules:
        - {protocol: tcp, port_range_min: 22, port_range_max: 22, remote_ip_prefix: 0.0.0.0/0}
        - {protocol: icmp}
  key:
    type: OS::Nova::KeyPair
    properties: {name: {list_join: ['-', [{get_param: 'OS::stack_name'}, key]]}}
  servers:
    type: OS::Heat::ResourceGroup
    depends_on: [router_iface]
    properties:
      count: 2
      resource_def:
        type: server.yaml
        properties:
          image: {get_param: image}
          flavor: {get_param: flavor}
          key_name: {get_resource: key}
          network: {get_resource: net}
          security_group: {get_resource: sg}
  fip:
    type: OS::Neutron::FloatingIP
    depends_on: [router_iface]
    properties:
      floating_network: public
      port_id: {get_attr: [servers, resource.0.port_id]}
outputs:
  server_ids: {value: {get_attr: [servers, refs]}}
  floating_ip: {value: {get_attr: [fip, floating_ip_address]}}
`;

const SERVER = `
heat_template_version: 2018-08-31
parameters:
  image: {type: string}
  flavor: {type: string}
  key_name: {type: string}
  network: {type: string}
  security_group: {type: string}
resources:
  server:
    type: OS::Nova::Server
    properties:
      image: {get_param: image}
      flavor: {get_param: flavor}
      key_name: {get_param: key_name}
      image_update_policy: REPLACE
      user_data_format: RAW
      security_groups: [{get_param: security_group}]
      # Nova makes the port: a port of the template's own would still be the old server's when a replacement boots.
      networks: [{network: {get_param: network}}]
  volume:
    type: OS::Cinder::Volume
    properties: {size: 1}
  attachment:
    type: OS::Cinder::VolumeAttachment
    properties: {instance_uuid: {get_resource: server}, volume_id: {get_resource: volume}}
outputs:
  OS::stack_id: {value: {get_resource: server}}
  port_id: {value: {get_attr: [server, addresses, {get_param: network}, 0, port]}}
`;

const FAILING = `
heat_template_version: 2018-08-31
resources:
  net:
    type: OS::Neutron::Net
  server:
    type: OS::Nova::Server
    depends_on: [net]
    properties: {image: nimbus-blank-qcow2, flavor: m1.xlarge, networks: [{allocate_network: none}]}
`;

type Row = Json;

describe('openstack CLI: stack create/update/delete of a real-world template', { skip }, () => {
  let cloud: TestServer;
  let dir: string;
  const run = async (args: string[]) => {
    const result = await openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...args]);
    assert.equal(result.code, 0, `openstack ${args.join(' ')}: ${result.stderr}`);
    return result;
  };
  const demo = <T = Row>(args: string[]) => openstackJson<T>(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...args]);
  const serverIds = async (stack: string): Promise<string[]> => {
    const outputs = await demo<Row>(['stack', 'output', 'show', stack, 'server_ids']);
    return outputs.output_value as string[];
  };
  /** Runs a `stack create/update --wait` and answers the stack as shown after, with the failed resources' reasons when it did not reach `status`. */
  const stackAction = async (args: string[], name: string, status: string): Promise<Row> => {
    const result = await openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', 'stack', ...args, '--wait', name]);
    const shown = await demo(['stack', 'show', name]).catch(() => assert.fail(`stack ${args[0]} ${name}: ${result.stderr}`));
    if (shown.stack_status !== status) {
      const resources = await demo<Row[]>(['stack', 'resource', 'list', name]);
      const failed = resources.filter((r) => String(r.resource_status).endsWith('FAILED')).map((r) => `${r.resource_name}: ${r.resource_status_reason}`);
      assert.fail(`stack ${name} is ${shown.stack_status} (${shown.stack_status_reason}); ${failed.join('; ')}`);
    }
    return shown;
  };
  const usage = async () => {
    const limits = await demo<Array<{ Name: string; Value: number }>>(['limits', 'show', '--absolute']);
    const value = (name: string) => limits.find((row) => row.Name === name)?.Value;
    return { instances: value('totalInstancesUsed'), cores: value('totalCoresUsed'), ram: value('totalRAMUsed') };
  };

  before(async () => {
    cloud = await startTestServer((config) => {
      config.compute.devstack_defaults = true;
      config.compute.fake.hosts = 1;
      config.compute.fake.spawn_delay_ms = 20;
      config.compute.fake.action_delay_ms = 10;
      // m1.xlarge (16 GiB) finds no host: the failing stack's server goes to ERROR.
      config.compute.fake.memory_mb = 8192;
      config.volume.backends.file!.volume_driver = 'fake';
    });
    dir = mkdtempSync(join(tmpdir(), 'nimbus-stack-cli-'));
    writeFileSync(join(dir, 'main.yaml'), MAIN);
    writeFileSync(join(dir, 'server.yaml'), SERVER);
    writeFileSync(join(dir, 'failing.yaml'), FAILING);
    writeFileSync(join(dir, 'second.img'), Buffer.alloc(4096));
  });
  after(() => cloud?.close());

  test('create --wait, update flavor in place, update image by replacement, rollback, delete --wait', { timeout: 600_000 }, async () => {
    const before = await usage();
    await stackAction(['create', '-t', join(dir, 'main.yaml')], 'web', 'CREATE_COMPLETE');

    const ids = await serverIds('web');
    assert.equal(ids.length, 2);
    for (const id of ids) {
      const server = await demo(['server', 'show', id]);
      assert.equal(server.status, 'ACTIVE');
      assert.equal(server.flavor, 'm1.nano (42)');
      assert.equal(server.key_name, 'web-key');
      assert.equal((server.volumes_attached as unknown[]).length, 1);
    }
    const floating = await demo(['stack', 'output', 'show', 'web', 'floating_ip']);
    const fip = await demo(['floating', 'ip', 'show', String(floating.output_value)]);
    assert.ok(fip.port_id, 'the floating IP is associated with the first server');
    const resources = await demo<Row[]>(['stack', 'resource', 'list', 'web']);
    assert.ok(resources.every((r) => r.resource_status === 'CREATE_COMPLETE'));

    await stackAction(['update', '--existing', '--parameter', 'flavor=m1.micro'], 'web', 'UPDATE_COMPLETE');
    assert.deepEqual(await serverIds('web'), ids, 'a flavor change resizes the same servers');
    for (const id of ids) assert.equal((await demo(['server', 'show', id])).flavor, 'm1.micro (84)');

    await run(['image', 'create', '--disk-format', 'raw', '--container-format', 'bare', '--file', join(dir, 'second.img'), 'second-image']);
    await stackAction(['update', '--existing', '--parameter', 'image=second-image'], 'web', 'UPDATE_COMPLETE');
    const newIds = await serverIds('web');
    assert.equal(newIds.length, 2);
    assert.ok(
      newIds.every((id) => !ids.includes(id)),
      'image_update_policy REPLACE makes new servers',
    );
    for (const id of ids)
      assert.notEqual((await openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', 'server', 'show', id])).code, 0, `old server ${id} is gone`);
    for (const id of newIds) assert.equal((await demo(['server', 'show', id])).status, 'ACTIVE');

    const failed = await openstack(cloud.cloudsYaml, [
      '--os-cloud',
      'nimbus-demo',
      'stack',
      'create',
      '--enable-rollback',
      '-t',
      join(dir, 'failing.yaml'),
      '--wait',
      'broken',
    ]);
    assert.notEqual(failed.code, 0);
    const broken = await demo(['stack', 'show', 'broken']);
    assert.equal(broken.stack_status, 'ROLLBACK_COMPLETE', JSON.stringify(broken));
    const events = await run(['stack', 'event', 'list', 'broken']);
    assert.match(events.stdout, /ResourceInError: resources\.server: Went to status ERROR due to "Message: No valid host was found/);
    const networks = await demo<Row[]>(['network', 'list']);
    assert.ok(!networks.some((n) => String(n.Name).startsWith('broken-')), 'the rolled-back network is gone');

    await run(['stack', 'delete', '--yes', '--wait', 'broken']);
    await run(['stack', 'delete', '--yes', '--wait', 'web']);
    assert.deepEqual(await demo<Row[]>(['server', 'list']), []);
    assert.deepEqual(await demo<Row[]>(['volume', 'list']), []);
    assert.deepEqual(await demo<Row[]>(['floating', 'ip', 'list']), []);
    assert.deepEqual(await usage(), before, 'quota usage is back where it was');
  });
});
