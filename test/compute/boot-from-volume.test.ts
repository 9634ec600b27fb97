import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

describe('compute: boot from volume (block_device_mapping_v2, fake volume backend)', () => {
  let c: ComputeCloud;
  let project: string;
  before(async () => {
    c = await startComputeCloud((config) => {
      config.volume.backends.file!.volume_driver = 'fake';
    });
    const projects = await c.cloud.request('GET', '/identity/v3/auth/projects', { token: c.demo });
    project = projects.body.projects.find((p: { name: string }) => p.name === 'demo').id as string;
  });
  after(() => c?.close());

  const volumeApi = (method: string, path: string, body?: unknown, token = c.demo) =>
    c.cloud.request(method, `/volume/v3/${project}${path}`, { token, ...(body !== undefined ? { body } : {}) });
  const until = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    for (let i = 0; i < 400; i++) {
      const found = await probe();
      if (found !== undefined) return found;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return assert.fail(`never: ${what}`);
  };
  const volumeStatus = (id: string, wanted: string) =>
    until(`volume ${id} ${wanted}`, async () => {
      const shown = await volumeApi('GET', `/volumes/${id}`);
      if (wanted === 'deleted') return shown.status === 404 ? {} : undefined;
      return shown.body.volume?.status === wanted ? shown.body.volume : undefined;
    });
  const newVolume = async (name: string, size = 1) => {
    const created = await volumeApi('POST', '/volumes', { volume: { size, name } });
    assert.equal(created.status, 202, created.text);
    await volumeStatus(created.body.volume.id, 'available');
    // A blank volume is not bootable (Cinder's default); these stand for a root disk, so they are marked bootable.
    const marked = await volumeApi('POST', `/volumes/${created.body.volume.id}/action`, { 'os-set_bootable': { bootable: true } });
    assert.equal(marked.status, 200, marked.text);
    return created.body.volume.id as string;
  };
  const projectVolumes = async () => (await volumeApi('GET', '/volumes')).body.volumes.map((v: { id: string }) => v.id) as string[];
  const create = (server: Record<string, unknown>, version = '2.37') =>
    c.call('POST', '/servers', { body: { server: { flavorRef: '42', networks: 'none', ...server } }, version });

  test('boots from an existing volume: image "", the volume at /dev/vda in-use, kept after delete', async () => {
    const root = await newVolume('root');
    const created = await create({
      name: 'bfv-volume',
      imageRef: '',
      block_device_mapping_v2: [{ uuid: root, boot_index: '0', source_type: 'volume', destination_type: 'volume' }],
    });
    assert.equal(created.status, 202, created.text);
    const server = await c.waitFor(created.body.server.id, 'ACTIVE');
    assert.equal(server.image, '');
    assert.deepEqual(server['os-extended-volumes:volumes_attached'], [{ id: root, delete_on_termination: false }]);
    const volume = await volumeStatus(root, 'in-use');
    assert.equal(volume.attachments[0].server_id, server.id);
    assert.equal(volume.attachments[0].device, '/dev/vda');

    const taken = await create({
      name: 'bfv-twice',
      block_device_mapping_v2: [{ uuid: root, boot_index: 0, source_type: 'volume', destination_type: 'volume' }],
    });
    assert.match(novaError(taken, 400, 'badRequest'), /Invalid volume: .*in-use/);

    assert.equal((await c.call('DELETE', `/servers/${server.id}`)).status, 204);
    await c.waitFor(server.id, 'DELETED');
    await volumeStatus(root, 'available');
  });

  test('image, blank and snapshot sources make volumes; tags at 2.42; delete_on_termination honoured on delete', async () => {
    const source = await newVolume('snap-source', 2);
    const snapshot = await volumeApi('POST', '/snapshots', { snapshot: { volume_id: source, name: 'bfv-snap' } });
    assert.equal(snapshot.status, 202, snapshot.text);
    const snapshotId = snapshot.body.snapshot.id as string;
    await until('snapshot available', async () =>
      (await volumeApi('GET', `/snapshots/${snapshotId}`)).body.snapshot.status === 'available' ? true : undefined,
    );
    const before = await projectVolumes();

    const created = await create(
      {
        name: 'bfv-made',
        block_device_mapping_v2: [
          { uuid: c.imageId, boot_index: 0, source_type: 'image', destination_type: 'volume', volume_size: 1, delete_on_termination: true },
          { boot_index: -1, source_type: 'blank', destination_type: 'volume', volume_size: '1', delete_on_termination: true, tag: 'scratch' },
          { uuid: snapshotId, source_type: 'snapshot', destination_type: 'volume', device_name: '/dev/vdf' },
        ],
      },
      '2.42',
    );
    assert.equal(created.status, 202, created.text);
    const server = await c.waitFor(created.body.server.id, 'ACTIVE');
    assert.equal(server.image, '');
    const attachments = (await c.call('GET', `/servers/${server.id}/os-volume_attachments`, { version: '2.79' })).body.volumeAttachments as Array<
      Record<string, unknown>
    >;
    assert.deepEqual(
      attachments.map((a) => [a.device, a.tag, a.delete_on_termination]),
      [
        ['/dev/vda', null, true],
        ['/dev/vdb', 'scratch', true],
        ['/dev/vdf', null, false],
      ],
    );
    const rootVolume = await volumeStatus(attachments[0]!.volumeId as string, 'in-use');
    assert.equal(rootVolume.bootable, 'true');
    assert.equal(rootVolume.volume_image_metadata.image_id, c.imageId);
    const fromSnapshot = await volumeStatus(attachments[2]!.volumeId as string, 'in-use');
    assert.equal(fromSnapshot.snapshot_id, snapshotId);
    assert.equal(fromSnapshot.size, 2);

    assert.equal((await c.call('DELETE', `/servers/${server.id}`)).status, 204);
    await c.waitFor(server.id, 'DELETED');
    await volumeStatus(attachments[0]!.volumeId as string, 'deleted');
    await volumeStatus(attachments[1]!.volumeId as string, 'deleted');
    await volumeStatus(attachments[2]!.volumeId as string, 'available');
    assert.deepEqual((await projectVolumes()).sort(), [...before, attachments[2]!.volumeId as string].sort());
  });

  test("Nova's 400s for bad mappings", async () => {
    const volume = await newVolume('spare');
    const bdm = (mapping: Record<string, unknown>, extra: Record<string, unknown> = {}, version?: string) =>
      create({ name: 'bad', block_device_mapping_v2: [mapping], ...extra }, version);
    const cases: Array<[Promise<Awaited<ReturnType<typeof create>>>, RegExp]> = [
      [bdm({ uuid: volume, boot_index: -1, source_type: 'volume', destination_type: 'volume' }), /Boot sequence for the instance/],
      [
        create({
          name: 'bad',
          block_device_mapping_v2: [
            { uuid: volume, boot_index: 0, source_type: 'volume', destination_type: 'volume' },
            { boot_index: 2, source_type: 'blank', destination_type: 'volume', volume_size: 1 },
          ],
        }),
        /Boot sequence/,
      ],
      [bdm({ uuid: c.imageId, boot_index: 0, source_type: 'image', destination_type: 'volume' }), /need to have a non-zero size specified/],
      [bdm({ boot_index: 0, source_type: 'blank', destination_type: 'volume' }), /Blank volumes .* need to have non-zero size/],
      [
        bdm({ uuid: '6bd7ac3b-5b3f-4e0c-9a5b-0d2e3f4a5b6c', boot_index: 0, source_type: 'volume', destination_type: 'volume' }),
        /failed to get volume 6bd7ac3b/,
      ],
      [bdm({ uuid: '6bd7ac3b-5b3f-4e0c-9a5b-0d2e3f4a5b6c', boot_index: 0, source_type: 'snapshot', destination_type: 'volume' }), /failed to get snapshot/],
      [
        bdm({ uuid: '6bd7ac3b-5b3f-4e0c-9a5b-0d2e3f4a5b6c', boot_index: 0, source_type: 'image', destination_type: 'volume', volume_size: 1 }),
        /failed to get image/,
      ],
      [bdm({ boot_index: 0, source_type: 'volume', destination_type: 'volume' }), /Missing device UUID/],
      [bdm({ uuid: volume, boot_index: 0, source_type: 'blank', destination_type: 'volume', volume_size: 1 }), /Invalid device UUID/],
      [
        bdm({ uuid: c.imageId, boot_index: 1, source_type: 'image', destination_type: 'local' }, { imageRef: c.imageId }),
        /Mapping image to local is not supported/,
      ],
      [
        bdm({ boot_index: -1, source_type: 'blank', destination_type: 'local', guest_format: 'swap', volume_size: 1 }, { imageRef: c.imageId }),
        /Swap drive requested is larger/,
      ],
      [
        bdm({ boot_index: -1, source_type: 'blank', destination_type: 'local', volume_size: 1 }, { imageRef: c.imageId }),
        /Ephemeral disks requested are larger/,
      ],
      [
        bdm({ uuid: volume, boot_index: 0, source_type: 'volume', destination_type: 'volume' }, { min_count: 2 }),
        /Cannot attach one or more volumes to multiple instances/,
      ],
      [
        bdm({ uuid: volume, boot_index: -1, source_type: 'volume', destination_type: 'volume', device_name: 'vda' }, { imageRef: c.imageId }),
        /same device name as the root device/,
      ],
      [bdm({ uuid: volume, boot_index: 0, source_type: 'volume', destination_type: 'volume', tag: 'x' }, {}, '2.37'), /Additional properties/],
      [bdm({ uuid: volume, boot_index: 0, source_type: 'disk', destination_type: 'volume' }), /is not one of/],
      [bdm({ uuid: volume, boot_index: 'first', source_type: 'volume', destination_type: 'volume' }), /boot_index/],
      [
        bdm({ uuid: volume, boot_index: 0, source_type: 'volume', destination_type: 'volume', volume_type: 'x' }, {}, '2.67'),
        /Specifying volume type to existing volume/,
      ],
      [
        create({
          name: 'bad',
          block_device_mapping: [{ volume_id: volume, device_name: 'vda' }],
          block_device_mapping_v2: [{ uuid: volume, boot_index: 0, source_type: 'volume', destination_type: 'volume' }],
        }),
        /different block_device_mapping syntaxes/,
      ],
      [create({ name: 'bad' }), /Missing imageRef attribute/],
    ];
    for (const [response, message] of cases) assert.match(novaError(await response, 400, 'badRequest'), message);
    await volumeStatus(volume, 'available');
  });

  test('a root volume not marked bootable is refused with 400, as Nova', async () => {
    const root = await newVolume('not-bootable');
    assert.equal((await volumeApi('POST', `/volumes/${root}/action`, { 'os-set_bootable': { bootable: false } })).status, 200);
    const refused = await create({
      name: 'bfv-not-bootable',
      imageRef: '',
      block_device_mapping_v2: [{ uuid: root, boot_index: 0, source_type: 'volume', destination_type: 'volume' }],
    });
    assert.match(novaError(refused, 400, 'badRequest'), new RegExp(`Block Device ${root} is not bootable`));
    assert.equal((await volumeStatus(root, 'available')).attachments.length, 0);
  });

  test('legacy block_device_mapping boots from the volume at vda', async () => {
    const root = await newVolume('legacy-root');
    const created = await create({ name: 'bfv-legacy', block_device_mapping: [{ volume_id: root, device_name: 'vda', delete_on_termination: 'true' }] });
    assert.equal(created.status, 202, created.text);
    const server = await c.waitFor(created.body.server.id, 'ACTIVE');
    assert.deepEqual(server['os-extended-volumes:volumes_attached'], [{ id: root, delete_on_termination: true }]);
    assert.equal((await c.call('DELETE', `/servers/${server.id}`)).status, 204);
    await volumeStatus(root, 'deleted');
  });

  test("a failed build deletes the volumes it made and gives the user's volume back", async () => {
    const data = await newVolume('given');
    const before = await projectVolumes();
    const created = await create({
      name: 'bfv-fails',
      imageRef: c.imageId,
      metadata: { 'fake:fail_spawn': 'no room for the guest' },
      block_device_mapping_v2: [
        { uuid: c.imageId, boot_index: 0, source_type: 'image', destination_type: 'local' },
        { boot_index: -1, source_type: 'blank', destination_type: 'volume', volume_size: 1 },
        { uuid: data, boot_index: -1, source_type: 'volume', destination_type: 'volume' },
      ],
    });
    assert.equal(created.status, 202, created.text);
    const server = await c.waitFor(created.body.server.id, 'ERROR');
    assert.match(server.fault.message, /no room for the guest/);
    assert.deepEqual(server['os-extended-volumes:volumes_attached'], []);
    await volumeStatus(data, 'available');
    await until('made volume deleted', async () => ((await projectVolumes()).length === before.length ? true : undefined));
    assert.deepEqual((await projectVolumes()).sort(), before.sort());
    assert.equal((await c.call('DELETE', `/servers/${server.id}`)).status, 204);
    await c.waitFor(server.id, 'DELETED');
    await volumeStatus(data, 'available');
  });

  test("Cinder's quota counts the volumes a build makes: over it the server goes to ERROR", async () => {
    const set = await volumeApi('PUT', `/os-quota-sets/${project}`, { quota_set: { gigabytes: 3 } }, c.admin);
    assert.equal(set.status, 200, set.text);
    try {
      const created = await create({
        name: 'bfv-quota',
        block_device_mapping_v2: [{ uuid: c.imageId, boot_index: 0, source_type: 'image', destination_type: 'volume', volume_size: 500 }],
      });
      assert.equal(created.status, 202, created.text);
      const server = await c.waitFor(created.body.server.id, 'ERROR');
      assert.match(server.fault.message, /exceeds allowed gigabytes quota/);
      assert.equal((await c.call('DELETE', `/servers/${server.id}`)).status, 204);
      await c.waitFor(server.id, 'DELETED');
    } finally {
      await volumeApi('PUT', `/os-quota-sets/${project}`, { quota_set: { gigabytes: 1000 } }, c.admin);
    }
  });
});
