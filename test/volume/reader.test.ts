/**
 * Secure RBAC: a user with only `reader` on project demo sees the project's
 * volumes, snapshots, backups, attachments, transfers, types and quotas, and
 * gets Cinder's 403 on every write (volumes, actions, metadata, snapshots,
 * backups, attachments, transfers, types, QoS specs, quotas), changing nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestServer } from '../support/server.js';
import { projectReader } from '../identity/reader-user.js';
import { startVolumeServer, volumeClient, type VolumeClient } from './support.js';

const INSTANCE = '6f1c9f3e-0d3c-4b8e-9a57-0f6f4c1a2b3c';

describe('volume: a project reader cannot write', () => {
  let cloud: TestServer;
  let demo: VolumeClient;
  let admin: VolumeClient;
  let reader: VolumeClient;
  const ids: Record<string, string> = {};

  before(async () => {
    cloud = await startVolumeServer();
    demo = await volumeClient(cloud, await cloud.demoToken());
    admin = await volumeClient(cloud, await cloud.adminToken());
    reader = await volumeClient(cloud, (await projectReader(cloud)).token);
    const created = async (path: string, key: string, body: unknown, client = demo, version?: string) => {
      const response = await client.call('POST', path, body, version);
      assert.ok(response.status < 300, `${path}: ${response.text}`);
      return response.body[key].id as string;
    };
    ids.type = await created('/types', 'volume_type', { volume_type: { name: 'reader-test-type' } }, admin);
    ids.qos = await created('/qos-specs', 'qos_specs', { qos_specs: { name: 'reader-test-qos' } }, admin);
    ids.volume = await created('/volumes', 'volume', { volume: { size: 1, name: 'kept', metadata: { k: 'v' } } });
    ids.attached = await created('/volumes', 'volume', { volume: { size: 1, name: 'attached' } });
    ids.transferred = await created('/volumes', 'volume', { volume: { size: 1, name: 'offered' } });
    for (const id of [ids.volume, ids.attached, ids.transferred]) await demo.waitFor(id as string, 'available');
    ids.snapshot = await created('/snapshots', 'snapshot', { snapshot: { volume_id: ids.volume, name: 'snap', metadata: { k: 'v' } } });
    await demo.waitFor(`snapshots/${ids.snapshot}`, 'available');
    ids.backup = await created('/backups', 'backup', { backup: { volume_id: ids.volume, name: 'backup' } });
    await waitForBackup(ids.backup);
    ids.attachment = await created('/attachments', 'attachment', { attachment: { volume_uuid: ids.attached, instance_uuid: INSTANCE } }, demo, '3.27');
    ids.transfer = await created('/os-volume-transfer', 'transfer', { transfer: { volume_id: ids.transferred, name: 'offer' } });
  });
  after(() => cloud.close());

  async function waitForBackup(id: string): Promise<void> {
    for (let attempt = 0; attempt < 800; attempt++) {
      const status = (await demo.call('GET', `/backups/${id}`)).body.backup.status;
      if (status === 'available') return;
      if (status === 'error') throw new Error(`backup ${id} failed`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`backup ${id} never became available`);
  }

  test('reads volumes, snapshots, backups, attachments, transfers, types, quotas and limits', async () => {
    const reads: Array<[string, string?]> = [
      ['/volumes/detail'],
      [`/volumes/${ids.volume}`],
      [`/volumes/${ids.volume}/metadata`],
      ['/snapshots/detail'],
      [`/snapshots/${ids.snapshot}/metadata`],
      ['/backups/detail'],
      [`/backups/${ids.backup}`],
      ['/attachments', '3.27'],
      [`/attachments/${ids.attachment}`, '3.27'],
      ['/os-volume-transfer/detail'],
      ['/types'],
      [`/types/${ids.type}`],
      [`/os-quota-sets/${reader.projectId}?usage=true`],
      ['/limits'],
    ];
    for (const [path, version] of reads) {
      const response = await reader.call('GET', path, undefined, version);
      assert.equal(response.status, 200, `GET ${path}: ${response.text}`);
    }
    const imageMetadata = await reader.call('POST', `/volumes/${ids.volume}/action`, { 'os-show_image_metadata': {} });
    assert.equal(imageMetadata.status, 200, imageMetadata.text);
  });

  test('gets 403 on every write, and nothing changes', async () => {
    const volumeAction = (action: string, args: unknown = {}): [string, string, unknown] => ['POST', `/volumes/${ids.volume}/action`, { [action]: args }];
    const writes: Array<[string, string, unknown?, string?]> = [
      ['POST', '/volumes', { volume: { size: 1, name: 'by-reader' } }],
      ['PUT', `/volumes/${ids.volume}`, { volume: { name: 'renamed-by-reader' } }],
      ['DELETE', `/volumes/${ids.volume}`],
      ['POST', `/volumes/${ids.volume}/metadata`, { metadata: { r: 'x' } }],
      ['PUT', `/volumes/${ids.volume}/metadata`, { metadata: { r: 'x' } }],
      ['PUT', `/volumes/${ids.volume}/metadata/k`, { meta: { k: 'x' } }],
      ['DELETE', `/volumes/${ids.volume}/metadata/k`],
      volumeAction('os-extend', { new_size: 2 }),
      volumeAction('os-retype', { new_type: 'reader-test-type' }),
      volumeAction('os-set_bootable', { bootable: true }),
      volumeAction('os-update_readonly_flag', { readonly: true }),
      volumeAction('os-reset_status', { status: 'error' }),
      volumeAction('os-force_delete'),
      volumeAction('os-volume_upload_image', { image_name: 'by-reader' }),
      volumeAction('os-set_image_metadata', { metadata: { r: 'x' } }),
      volumeAction('os-unset_image_metadata', { key: 'k' }),
      volumeAction('os-reserve'),
      volumeAction('os-unreserve'),
      volumeAction('os-begin_detaching'),
      volumeAction('os-roll_detaching'),
      volumeAction('os-initialize_connection', { connector: { host: 'reader-host' } }),
      volumeAction('os-terminate_connection', { connector: { host: 'reader-host' } }),
      volumeAction('os-attach', { instance_uuid: INSTANCE, mountpoint: '/dev/vdb' }),
      ['POST', `/volumes/${ids.attached}/action`, { 'os-detach': { attachment_id: ids.attachment } }],
      ['POST', `/volumes/${ids.attached}/action`, { 'os-force_detach': { attachment_id: ids.attachment } }],
      ['POST', '/snapshots', { snapshot: { volume_id: ids.volume, name: 'by-reader' } }],
      ['PUT', `/snapshots/${ids.snapshot}`, { snapshot: { name: 'renamed-by-reader' } }],
      ['DELETE', `/snapshots/${ids.snapshot}`],
      ['POST', `/snapshots/${ids.snapshot}/metadata`, { metadata: { r: 'x' } }],
      ['PUT', `/snapshots/${ids.snapshot}/metadata`, { metadata: { r: 'x' } }],
      ['PUT', `/snapshots/${ids.snapshot}/metadata/k`, { meta: { k: 'x' } }],
      ['DELETE', `/snapshots/${ids.snapshot}/metadata/k`],
      ['POST', `/snapshots/${ids.snapshot}/action`, { 'os-reset_status': { status: 'error' } }],
      ['POST', `/snapshots/${ids.snapshot}/action`, { 'os-force_delete': {} }],
      ['POST', '/backups', { backup: { volume_id: ids.volume, name: 'by-reader' } }],
      ['DELETE', `/backups/${ids.backup}`],
      ['POST', `/backups/${ids.backup}/restore`, { restore: { volume_id: ids.volume } }],
      ['POST', '/attachments', { attachment: { volume_uuid: ids.volume, instance_uuid: INSTANCE } }, '3.27'],
      ['PUT', `/attachments/${ids.attachment}`, { attachment: { connector: { host: 'reader-host' } } }, '3.27'],
      ['POST', `/attachments/${ids.attachment}/action`, { 'os-complete': {} }, '3.44'],
      ['DELETE', `/attachments/${ids.attachment}`, undefined, '3.27'],
      ['POST', '/os-volume-transfer', { transfer: { volume_id: ids.volume, name: 'by-reader' } }],
      ['POST', '/volume-transfers', { transfer: { volume_id: ids.volume, name: 'by-reader' } }, '3.55'],
      ['DELETE', `/os-volume-transfer/${ids.transfer}`],
      ['POST', `/os-volume-transfer/${ids.transfer}/accept`, { accept: { auth_key: 'guess' } }],
      ['POST', '/types', { volume_type: { name: 'by-reader' } }],
      ['PUT', `/types/${ids.type}`, { volume_type: { description: 'by reader' } }],
      ['DELETE', `/types/${ids.type}`],
      ['POST', `/types/${ids.type}/extra_specs`, { extra_specs: { r: 'x' } }],
      ['PUT', `/types/${ids.type}/extra_specs/r`, { r: 'x' }],
      ['DELETE', `/types/${ids.type}/extra_specs/r`],
      ['POST', `/types/${ids.type}/action`, { addProjectAccess: { project: reader.projectId } }],
      ['POST', '/qos-specs', { qos_specs: { name: 'by-reader' } }],
      ['PUT', `/qos-specs/${ids.qos}`, { qos_specs: { r: 'x' } }],
      ['PUT', `/qos-specs/${ids.qos}/delete_keys`, { keys: ['r'] }],
      ['GET', `/qos-specs/${ids.qos}/associate?vol_type_id=${ids.type}`],
      ['GET', `/qos-specs/${ids.qos}/disassociate?vol_type_id=${ids.type}`],
      ['GET', `/qos-specs/${ids.qos}/disassociate_all`],
      ['DELETE', `/qos-specs/${ids.qos}`],
      ['PUT', `/os-quota-sets/${reader.projectId}`, { quota_set: { volumes: 100 } }],
      ['DELETE', `/os-quota-sets/${reader.projectId}`],
    ];
    const before = await snapshotOfProject();
    for (const [method, path, body, version] of writes) {
      const response = await reader.call(method, path, body, version);
      assert.equal(response.status, 403, `${method} ${path} ${JSON.stringify(body)}: ${response.status} ${response.text}`);
      assert.equal(response.body.forbidden?.code, 403, response.text);
    }
    assert.deepEqual(await snapshotOfProject(), before);
  });

  /** What a reader's writes could have changed, as the project's member sees it. */
  async function snapshotOfProject(): Promise<unknown> {
    const [volumes, snapshots, backups, attachments, transfers, types, quotas, qos] = await Promise.all([
      demo.call('GET', '/volumes/detail'),
      demo.call('GET', '/snapshots/detail'),
      demo.call('GET', '/backups/detail'),
      demo.call('GET', '/attachments/detail', undefined, '3.27'),
      demo.call('GET', '/os-volume-transfer/detail'),
      admin.call('GET', '/types?is_public=None'),
      admin.call('GET', `/os-quota-sets/${demo.projectId}`),
      admin.call('GET', `/qos-specs/${ids.qos}/associations`),
    ]);
    const volumeShape = (v: Record<string, unknown>) => [v.id, v.name, v.status, v.size, v.bootable, v.metadata, v.volume_image_metadata, v.volume_type];
    return {
      volumes: (volumes.body.volumes as Array<Record<string, unknown>>).map(volumeShape),
      snapshots: (snapshots.body.snapshots as Array<Record<string, unknown>>).map((s) => [s.id, s.name, s.status, s.metadata]),
      backups: (backups.body.backups as Array<Record<string, unknown>>).map((b) => [b.id, b.status]),
      attachments: attachments.body.attachments,
      transfers: (transfers.body.transfers as Array<Record<string, unknown>>).map((t) => t.id),
      types: types.body.volume_types,
      quotas: quotas.body.quota_set,
      qos: qos.body,
    };
  }
});
