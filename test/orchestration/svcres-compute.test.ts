/**
 * The Nova and Cinder resource types against a real in-process cloud (fake
 * hypervisor and volume backend): create, attributes, in-place updates
 * (resize, rebuild, metadata, volume extend), crash adoption, delete
 * (twice), and the failures Heat reports (a server in ERROR, a refused flavor).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { ComputeOperations } from '../../src/compute/operations.js';
import type { ImageOperations } from '../../src/image/operations.js';
import type { NetworkOperations } from '../../src/network/operations.js';
import type { VolumeOperations } from '../../src/volume/operations.js';
import { flavorResource } from '../../src/orchestration/resources/services/compute/flavor.js';
import { keyPairResource } from '../../src/orchestration/resources/services/compute/keypair.js';
import { serverGroupResource } from '../../src/orchestration/resources/services/compute/server-group.js';
import { serverResource } from '../../src/orchestration/resources/services/compute/server.js';
import { volumeAttachmentResource } from '../../src/orchestration/resources/services/volume/volume-attachment.js';
import { volumeResource } from '../../src/orchestration/resources/services/volume/volume.js';
import { startTestServer } from '../support/server.js';
import { failure, fakeResource, svcresCloud, type SvcresCloud } from './support/svcres-context.js';

describe('svcres: Nova and Cinder resource types', () => {
  let svc: SvcresCloud;
  let compute: ComputeOperations;
  before(async () => {
    const cloud = await startTestServer((config) => {
      config.compute.devstack_defaults = true;
      config.compute.fake.hosts = 1;
      config.compute.fake.spawn_delay_ms = 0;
      config.compute.fake.action_delay_ms = 0;
      // Small enough that m1.large finds no host: the server goes to ERROR.
      config.compute.fake.memory_mb = 4096;
      config.volume.backends.file!.volume_driver = 'fake';
    });
    svc = await svcresCloud(cloud);
    compute = svc.services.compute as ComputeOperations;
  });
  after(() => svc?.cloud.close());

  test('OS::Nova::KeyPair: generated, private key kept when asked, deleted twice', async () => {
    const key = fakeResource(svc, keyPairResource);
    await key.create({ name: 'svcres-key', save_private_key: true });
    assert.equal(key.state.physicalId, 'svcres-key');
    assert.match(String(await key.attr('private_key')), /PRIVATE KEY/);
    assert.match(String(await key.attr('public_key')), /^ssh-/);
    await key.delete();
    await key.delete();
    assert.equal((await failure(compute.getKeypair(svc.demo, 'svcres-key'))).status, 404);
  });

  test('OS::Nova::Server: boots, shows its addresses, resizes and rebuilds in place, is adopted after a crash, deletes', async () => {
    const server = fakeResource(svc, serverResource);
    await server.create({
      image: 'nimbus-blank-qcow2',
      flavor: 'm1.nano',
      networks: [{ network: 'private' }],
      metadata: { role: 'web', count: 1 },
      user_data_format: 'SOFTWARE_CONFIG',
      software_config_transport: 'POLL_SERVER_HEAT',
    });
    const id = server.state.physicalId!;
    const shown = await compute.getServer(svc.demo, id);
    assert.equal(shown.status, 'ACTIVE');
    assert.equal(shown.name, server.state.physicalName);
    assert.deepEqual(shown.metadata, { role: 'web', count: '1' });

    const networks = (await server.attr('networks')) as Record<string, string[]>;
    assert.equal(networks.private?.length, 1);
    const privateNet = Object.keys(networks).find((key) => key !== 'private')!;
    assert.deepEqual(networks[privateNet], networks.private);
    assert.equal(await server.attr('first_address'), networks.private![0]);
    const addresses = (await server.attr('addresses')) as Record<string, Array<Record<string, string>>>;
    assert.match(addresses.private![0]!.port!, /^[0-9a-f-]{36}$/);
    assert.equal(((await server.attr('show')) as { status: string }).status, 'ACTIVE');
    // SOFTWARE_CONFIG: the agent's settings and an empty deployments list for the deployments to fill.
    assert.deepEqual(server.state.metadata.deployments, []);
    assert.equal(((await server.attr('os_collect_config')) as { heat: { resource_name: string } }).heat.resource_name, server.state.name);

    // A create interrupted before the id was recorded adopts the server by its generated name.
    server.state.physicalId = null;
    await serverResource.create(server.ctx, server.properties);
    assert.equal(server.state.physicalId, id);
    assert.equal((await compute.listServers(svc.demo)).filter((s) => s.name === server.state.physicalName).length, 1);

    const replaceChange = (changes: Record<string, string>) => ({
      properties: { ...server.properties, ...changes },
      previous: server.properties,
      changed: Object.keys(changes),
    });
    assert.equal(serverResource.needsReplace!(replaceChange({ image: 'other' })), false, 'REBUILD is the default image policy');
    assert.equal(serverResource.needsReplace!(replaceChange({ image: 'other', image_update_policy: 'REPLACE' })), true);
    assert.equal(serverResource.needsReplace!(replaceChange({ key_name: 'k' })), true);
    assert.equal(serverResource.needsReplace!(replaceChange({ flavor: 'm1.micro' })), false);

    await server.update({ ...server.properties, flavor: 'm1.micro', metadata: { role: 'db' }, name: 'svcres-renamed' });
    const resized = await compute.getServer(svc.demo, id);
    assert.equal(resized.flavorId, '84');
    assert.equal(resized.status, 'ACTIVE');
    assert.equal(resized.name, 'svcres-renamed');
    assert.deepEqual(resized.metadata, { role: 'db' });

    const images = svc.services.image as ImageOperations;
    const other = await images.register(svc.demo, { name: 'svcres-other', disk_format: 'raw', container_format: 'bare' }, Readable.from([Buffer.alloc(1024)]));
    await server.update({ ...server.properties, image: 'svcres-other' });
    const rebuilt = await compute.getServer(svc.demo, id);
    assert.equal(rebuilt.imageId, other.id);
    assert.equal(rebuilt.id, id);

    await server.delete();
    assert.equal((await failure(compute.getServer(svc.demo, id))).status, 404);
    await server.delete();
    assert.equal(await server.attr('first_address'), null);
  });

  test('OS::Nova::Server: a server that goes to ERROR is ResourceInError with its fault', async () => {
    const server = fakeResource(svc, serverResource);
    const error = await failure(server.create({ image: 'nimbus-blank-qcow2', flavor: 'm1.large', networks: [{ allocate_network: 'none' }] }));
    assert.equal(error.type, 'ResourceInError');
    assert.match(error.message, /^Went to status ERROR due to "Message: .+, Code: \d+"$/);
    assert.ok(server.state.physicalId, 'the id is recorded before waiting, so delete can clean up');
    await server.delete();
  });

  test('OS::Cinder::Volume and OS::Cinder::VolumeAttachment: create, extend, attach to a server, detach, delete', async () => {
    const volumes = svc.services.volume as VolumeOperations;
    const volume = fakeResource(svc, volumeResource);
    await volume.create({ size: 1, name: 'svcres-vol', metadata: { tier: 'gold' } });
    const volumeId = volume.state.physicalId!;
    assert.equal(await volume.attr('status'), 'available');
    assert.equal(await volume.attr('display_name'), 'svcres-vol');
    await volume.update({ ...volume.properties, size: 2, description: 'bigger' });
    assert.equal((await volumes.getVolume(svc.demo, volumeId)).size, 2);
    assert.equal(await volume.attr('display_description'), 'bigger');
    assert.equal((await failure(volume.update({ ...volume.properties, size: 1 }))).type, 'NotSupported');

    const server = fakeResource(svc, serverResource);
    await server.create({ image: 'nimbus-blank-qcow2', flavor: '42', networks: [{ allocate_network: 'none' }], user_data_format: 'RAW' });
    const attachment = fakeResource(svc, volumeAttachmentResource);
    await attachment.create({ instance_uuid: server.state.physicalId!, volume_id: volumeId });
    assert.equal((await volumes.getVolume(svc.demo, volumeId)).status, 'in-use');
    assert.deepEqual(
      ((await volume.attr('attachments_list')) as Array<{ server_id: string }>).map((a) => a.server_id),
      [server.state.physicalId],
    );
    // A retried create finds the attachment made.
    await volumeAttachmentResource.create(attachment.ctx, attachment.properties);
    await attachment.delete();
    await attachment.delete();
    assert.equal((await volumes.getVolume(svc.demo, volumeId)).status, 'available');

    await volume.delete();
    assert.equal((await failure(volumes.getVolume(svc.demo, volumeId))).status, 404);
    await volume.delete();
    await server.delete();
  });

  test('OS::Nova::Flavor: an admin makes a private flavor; a member is refused as by Nova', async () => {
    const flavor = fakeResource(svc, flavorResource, { caller: svc.admin });
    await flavor.create({ ram: 64, vcpus: 1, is_public: false, extra_specs: { 'hw:cpu_policy': 'shared' } });
    assert.equal(await flavor.attr('name'), flavor.state.physicalName);
    assert.equal(await flavor.attr('is_public'), false);
    await flavor.delete();
    assert.equal((await failure(compute.getFlavor(svc.admin, flavor.state.physicalId!))).status, 404);
    const refused = fakeResource(svc, flavorResource);
    assert.equal((await failure(refused.create({ ram: 64, vcpus: 1 }))).status, 403);
  });

  test('OS::Nova::ServerGroup: made with its policy, joined by a server (with a floating IP in its networks) through scheduler_hints, deleted', async () => {
    const group = fakeResource(svc, serverGroupResource);
    await group.create({ policies: ['affinity'] });
    const groupId = group.state.physicalId!;
    assert.equal(((await group.attr('show')) as { policy: string }).policy, 'affinity');
    const server = fakeResource(svc, serverResource);
    const network = svc.services.network as NetworkOperations;
    const fip = await network.floatingIps.create(svc.demo, { floatingNetworkId: (await network.networks.find(svc.demo, 'public')).id });
    await server.create({
      image: 'nimbus-blank-qcow2',
      flavor: 'm1.nano',
      networks: [{ network: 'private', floating_ip: fip.id }],
      scheduler_hints: { group: groupId },
    });
    const [port] = await network.ports.listWhere(svc.demo, { deviceId: server.state.physicalId! });
    assert.equal((await network.floatingIps.get(svc.demo, fip.id)).portId, port!.id, 'the floating IP of the networks entry is on the server port');
    assert.deepEqual((await compute.getServerGroup(svc.demo, groupId)).members, [server.state.physicalId]);
    await server.delete();
    await network.floatingIps.delete(svc.demo, fip.id);
    await group.delete();
    await group.delete();
    assert.equal((await failure(compute.getServerGroup(svc.demo, groupId))).status, 404);
  });

  test("tempest's base-resources scenario shape: an imported ed25519 key, a port on a subnet, cfn-tools user data, a volume at /dev/vdb", async () => {
    const publicKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFY6/FsBXBr5pe5s6jwkN3Tj0O0a6lh4XrilchQKyPRZ heat-test';
    const key = fakeResource(svc, keyPairResource);
    await key.create({ name: 'svcres-imported', public_key: publicKey });
    assert.equal(await key.attr('public_key'), publicKey);
    assert.equal(await key.attr('private_key'), '');

    const network = svc.services.network as NetworkOperations;
    const privateNet = await network.networks.find(svc.demo, 'private');
    const port = await network.ports.create(svc.demo, { networkId: privateNet.id, fixedIps: [{ subnetId: privateNet.subnetIds[0]! }] });
    const server = fakeResource(svc, serverResource);
    await server.create({
      key_name: 'svcres-imported',
      image: 'nimbus-blank-qcow2',
      flavor: 'm1.nano',
      networks: [{ port: port.id }],
      user_data: '#!/bin/bash\necho fooooo\n',
    });
    const networks = (await server.attr('networks')) as Record<string, string[]>;
    assert.deepEqual(networks.private, [port.fixedIps[0]!.ipAddress]);
    const volume = fakeResource(svc, volumeResource);
    await volume.create({ size: 1 });
    const attachment = fakeResource(svc, volumeAttachmentResource);
    await attachment.create({ instance_uuid: server.state.physicalId!, volume_id: volume.state.physicalId!, mountpoint: '/dev/vdb' });
    const [attached] = await compute.listVolumeAttachments(svc.demo, server.state.physicalId!);
    assert.equal(attached!.device, '/dev/vdb');
    for (const resource of [attachment, volume, server, key]) await resource.delete();
    // The port was the user's: Nova releases it rather than deleting it.
    assert.equal((await network.ports.get(svc.demo, port.id)).deviceId, '');
    await network.ports.delete(svc.demo, port.id);
  });
});
