/**
 * Issue 14: an OS::Nova::Server replaced on an image change takes over the
 * port its template made (Heat's prepare_for_replace detaches it from the old
 * server first), and a rollback of a failed replacement gives the port back
 * to the old server (Heat's restore_prev_rsrc). A port passed by id moves
 * as well, as Heat's external ports do. A real in-process cloud with
 * the fake hypervisor; the replacement fails through `fake:fail_spawn`.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { ComputeOperations } from '../../src/compute/operations.js';
import type { NimbusConfig } from '../../src/config.js';
import type { ImageOperations } from '../../src/image/operations.js';
import type { NetworkOperations } from '../../src/network/operations.js';
import { startTestServer } from '../support/server.js';
import { heatApi, type HeatApi } from './support/heat-api.js';
import { svcresCloud, type SvcresCloud } from './support/svcres-context.js';

const TEMPLATE = {
  heat_template_version: '2018-08-31',
  parameters: {
    image: { type: 'string', default: 'nimbus-blank-qcow2' },
    server_metadata: { type: 'json', default: {} },
  },
  resources: {
    net: { type: 'OS::Neutron::Net' },
    subnet: { type: 'OS::Neutron::Subnet', properties: { network: { get_resource: 'net' }, cidr: '10.77.0.0/24' } },
    p1: { type: 'OS::Neutron::Port', properties: { network: { get_resource: 'net' }, fixed_ips: [{ subnet: { get_resource: 'subnet' } }] } },
    server: {
      type: 'OS::Nova::Server',
      properties: {
        image: { get_param: 'image' },
        flavor: 'm1.nano',
        image_update_policy: 'REPLACE',
        metadata: { get_param: 'server_metadata' },
        networks: [{ port: { get_resource: 'p1' } }],
      },
    },
  },
};

/** The default flavors and image, one fake host, no boot delay. */
function oneQuickHost(config: NimbusConfig): void {
  config.compute.devstack_defaults = true;
  config.compute.fake.hosts = 1;
  config.compute.fake.spawn_delay_ms = 0;
  config.compute.fake.action_delay_ms = 0;
}

describe('replace: a replaced server takes over its template ports', () => {
  let svc: SvcresCloud;
  let heat: HeatApi;
  let network: NetworkOperations;
  let compute: ComputeOperations;
  const physicalId = async (stackPath: string, name: string) =>
    (await heat.call('GET', `${stackPath}/resources/${name}`)).body.resource.physical_resource_id as string;

  before(async () => {
    const cloud = await startTestServer(oneQuickHost);
    svc = await svcresCloud(cloud);
    heat = await heatApi(cloud, await cloud.demoToken());
    network = svc.services.network as NetworkOperations;
    compute = svc.services.compute as ComputeOperations;
    const images = svc.services.image as ImageOperations;
    await images.register(svc.demo, { name: 'replace-other', disk_format: 'raw', container_format: 'bare' }, Readable.from([Buffer.alloc(1024)]));
  });
  after(() => svc?.cloud.close());

  const createStack = async (name: string, template: object = TEMPLATE, parameters: object = {}): Promise<string> => {
    const created = await heat.call('POST', '/stacks', { stack_name: name, template, parameters, disable_rollback: false });
    assert.equal(created.status, 201, created.text);
    const stackPath = `/stacks/${name}/${created.body.stack.id}`;
    await heat.waitFor(stackPath, 'CREATE_COMPLETE');
    return stackPath;
  };

  test('an image change replaces the server, and the new server holds the same port', async () => {
    const stackPath = await createStack('replace-ok');
    const oldServer = await physicalId(stackPath, 'server');
    const portId = await physicalId(stackPath, 'p1');
    assert.equal((await network.ports.get(svc.demo, portId)).deviceId, oldServer);

    const updated = await heat.call('PATCH', stackPath, { parameters: { image: 'replace-other' } });
    assert.equal(updated.status, 202, updated.text);
    await heat.waitFor(stackPath, 'UPDATE_COMPLETE');

    const newServer = await physicalId(stackPath, 'server');
    assert.notEqual(newServer, oldServer);
    assert.equal(await physicalId(stackPath, 'p1'), portId, 'the port is not replaced');
    assert.equal((await network.ports.get(svc.demo, portId)).deviceId, newServer);
    assert.equal((await compute.getServer(svc.demo, newServer)).status, 'ACTIVE');
    const old = await compute.getServer(svc.demo, oldServer).catch(() => null);
    assert.ok(old === null || old.status === 'DELETED', 'the old server is gone');
  });

  test('a replacement that fails to build rolls back, and the port is back on the old server', async () => {
    const stackPath = await createStack('replace-rollback');
    const oldServer = await physicalId(stackPath, 'server');
    const portId = await physicalId(stackPath, 'p1');

    const updated = await heat.call('PATCH', stackPath, { parameters: { image: 'replace-other', server_metadata: { 'fake:fail_spawn': 'no room' } } });
    assert.equal(updated.status, 202, updated.text);
    await heat.waitFor(stackPath, 'ROLLBACK_COMPLETE');
    const reasons = ((await heat.call('GET', `${stackPath}/events`)).body.events as Array<{ resource_status_reason: string }>).map(
      (e) => e.resource_status_reason,
    );
    assert.ok(
      reasons.some((reason) => reason.includes('no room')),
      `the replacement failed to spawn (not for want of its port): ${reasons.join(' | ')}`,
    );

    assert.equal(await physicalId(stackPath, 'server'), oldServer, 'the old server is the stack resource again');
    assert.equal((await network.ports.get(svc.demo, portId)).deviceId, oldServer);
    assert.equal((await compute.getServer(svc.demo, oldServer)).status, 'ACTIVE');
  });

  test('a port passed by id, not a template resource, moves to the replacement too (as external ports in Heat)', async () => {
    const privateNet = await network.networks.find(svc.demo, 'private');
    const port = await network.ports.create(svc.demo, { networkId: privateNet.id, name: 'replace-byid' });
    const template = {
      heat_template_version: '2018-08-31',
      parameters: { image: { type: 'string', default: 'nimbus-blank-qcow2' }, port: { type: 'string' } },
      resources: {
        server: {
          type: 'OS::Nova::Server',
          properties: { image: { get_param: 'image' }, flavor: 'm1.nano', image_update_policy: 'REPLACE', networks: [{ port: { get_param: 'port' } }] },
        },
      },
    };
    const stackPath = await createStack('replace-byid', template, { port: port.id });
    const oldServer = await physicalId(stackPath, 'server');
    assert.equal((await network.ports.get(svc.demo, port.id)).deviceId, oldServer);

    const updated = await heat.call('PATCH', stackPath, { parameters: { image: 'replace-other' } });
    assert.equal(updated.status, 202, updated.text);
    await heat.waitFor(stackPath, 'UPDATE_COMPLETE');
    const newServer = await physicalId(stackPath, 'server');
    assert.notEqual(newServer, oldServer);
    assert.equal((await network.ports.get(svc.demo, port.id)).deviceId, newServer);
  });
});
