/**
 * Backups beyond create/restore: a snapshot's backup, the 3.9 update, the
 * admin's export/import of a record and os-reset_status, the volume's
 * metadata restored with its bytes; and the admin's os-force_detach.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestServer } from '../support/server.js';
import { startVolumeServer, volumeClient, type VolumeClient } from './support.js';

describe('volume: backup records, updates and status; force-detach', () => {
  let cloud: TestServer;
  let demo: VolumeClient;
  let admin: VolumeClient;
  let volumeId: string;
  let backupId: string;

  before(async () => {
    cloud = await startVolumeServer();
    demo = await volumeClient(cloud, await cloud.demoToken());
    admin = await volumeClient(cloud, await cloud.adminToken());
    const created = await demo.call('POST', '/volumes', { volume: { size: 1, metadata: { colour: 'blue' } } });
    volumeId = created.body.volume.id;
    await demo.waitFor(volumeId, 'available');
    const backup = await demo.call('POST', '/backups', { backup: { volume_id: volumeId, name: 'b1' } });
    assert.equal(backup.status, 202, backup.text);
    backupId = backup.body.backup.id;
    await demo.waitFor(`backups/${backupId}`, 'available');
  });
  after(() => cloud.close());

  test("a snapshot's backup names it; the snapshot is backing-up meanwhile; a snapshot of another volume is refused", async () => {
    const snapshot = await demo.call('POST', '/snapshots', { snapshot: { volume_id: volumeId } });
    const snapshotId = snapshot.body.snapshot.id as string;
    await demo.waitFor(`snapshots/${snapshotId}`, 'available');
    const other = (await demo.call('POST', '/volumes', { volume: { size: 1 } })).body.volume.id as string;
    await demo.waitFor(other, 'available');
    const mismatch = await demo.call('POST', '/backups', { backup: { volume_id: other, snapshot_id: snapshotId } });
    assert.equal(mismatch.status, 400);
    const created = await demo.call('POST', '/backups', { backup: { volume_id: volumeId, snapshot_id: snapshotId } });
    assert.equal(created.status, 202, created.text);
    const backup = await demo.waitFor(`backups/${created.body.backup.id}`, 'available');
    assert.equal(backup.snapshot_id, snapshotId);
    assert.equal(backup.volume_id, volumeId);
    await demo.waitFor(`snapshots/${snapshotId}`, 'available');
  });

  test('3.9 update of name and description; 404 before 3.9; unknown keys are 400', async () => {
    assert.equal((await demo.call('PUT', `/backups/${backupId}`, { backup: { name: 'x' } }, '3.8')).status, 404);
    const updated = await demo.call('PUT', `/backups/${backupId}`, { backup: { name: 'renamed', description: 'why' } }, '3.9');
    assert.equal(updated.status, 200, updated.text);
    assert.deepEqual(Object.keys(updated.body.backup).sort(), ['id', 'links', 'name']);
    const shown = (await demo.call('GET', `/backups/${backupId}`)).body.backup;
    assert.equal(shown.name, 'renamed');
    assert.equal(shown.description, 'why');
    assert.equal((await demo.call('PUT', `/backups/${backupId}`, { backup: { size: 5 } }, '3.9')).status, 400);
  });

  test('export then import under a new id: same objects, restorable; bad records are 400; admins only', async () => {
    assert.equal((await demo.call('GET', `/backups/${backupId}/export_record`)).status, 403);
    const exported = await admin.call('GET', `/backups/${backupId}/export_record`);
    assert.equal(exported.status, 200, exported.text);
    const record = exported.body['backup-record'];
    assert.match(record.backup_service, /^cinder\.backup\.drivers\./);
    const fields = JSON.parse(Buffer.from(record.backup_url, 'base64').toString());
    const again = await admin.call('POST', '/backups/import_record', { 'backup-record': record });
    assert.equal(again.status, 400, 'the same id exists already');
    const newId = crypto.randomUUID();
    const url = Buffer.from(JSON.stringify({ ...fields, id: newId })).toString('base64');
    const imported = await admin.call('POST', '/backups/import_record', { 'backup-record': { backup_service: record.backup_service, backup_url: url } });
    assert.equal(imported.status, 201, imported.text);
    assert.equal(imported.body.backup.id, newId);
    await admin.waitFor(`backups/${newId}`, 'available');
    assert.ok((await admin.call('GET', '/backups')).body.backups.some((b: { id: string }) => b.id === newId));
    const restored = await admin.call('POST', `/backups/${newId}/restore`, { restore: { name: 'from-import' } });
    assert.equal(restored.status, 202, restored.text);
    // The backup is available again once the restore finished (the new volume may be available before it starts).
    await admin.waitFor(`backups/${newId}`, 'available');
    const volume = await admin.waitFor(restored.body.restore.volume_id, 'available');
    assert.equal(volume.metadata.colour, 'blue', "the volume's metadata comes back with its bytes");

    const garbage = await admin.call('POST', '/backups/import_record', {
      'backup-record': { backup_service: record.backup_service, backup_url: 'not base64 json' },
    });
    assert.equal(garbage.status, 400);
    assert.equal(garbage.body.badRequest.message, "Invalid input received: Can't parse backup record.");
    const service = await admin.call('POST', '/backups/import_record', { 'backup-record': { backup_service: 'cinder.backup.drivers.nfs', backup_url: url } });
    assert.equal(service.status, 404);
    assert.equal((await admin.call('POST', '/backups/import_record', { 'backup-record': { backup_url: url } })).status, 400);
    const nothing = Buffer.from(JSON.stringify({ ...fields, id: crypto.randomUUID(), service_metadata: crypto.randomUUID() })).toString('base64');
    const missing = await admin.call('POST', '/backups/import_record', { 'backup-record': { backup_service: record.backup_service, backup_url: nothing } });
    assert.equal(missing.status, 201, 'accepted, as Cinder, then found wanting');
    const broken = (await admin.call('GET', `/backups/${missing.body.backup.id}`)).body.backup;
    assert.equal(broken.status, 'error');
  });

  test('os-reset_status: admins only, available or error', async () => {
    const action = (status: string) => ({ 'os-reset_status': { status } });
    assert.equal((await demo.call('POST', `/backups/${backupId}/action`, action('error'))).status, 403);
    assert.equal((await admin.call('POST', `/backups/${backupId}/action`, action('creating'))).status, 400);
    assert.equal((await admin.call('POST', `/backups/${backupId}/action`, { 'os-frobnicate': {} })).status, 400);
    assert.equal((await admin.call('POST', `/backups/${backupId}/action`, action('error'))).status, 202);
    await demo.waitFor(`backups/${backupId}`, 'error');
    assert.equal((await admin.call('POST', `/backups/${backupId}/action`, action('available'))).status, 202);
    await demo.waitFor(`backups/${backupId}`, 'available');
    assert.equal((await admin.call('POST', `/backups/${crypto.randomUUID()}/action`, action('error'))).status, 404);
  });

  test('os-force_detach of an attachment in error; of a detached volume: settles it, or 400 for a gone attachment', async () => {
    const id = (await demo.call('POST', '/volumes', { volume: { size: 1 } })).body.volume.id as string;
    await demo.waitFor(id, 'available');
    const attach = { 'os-attach': { instance_uuid: crypto.randomUUID(), mountpoint: '/dev/vdb' } };
    assert.equal((await demo.call('POST', `/volumes/${id}/action`, attach)).status, 202);
    const attachmentId = (await demo.call('GET', `/volumes/${id}`)).body.volume.attachments[0].attachment_id as string;
    assert.equal((await admin.call('POST', `/volumes/${id}/action`, { 'os-reset_status': { status: 'error' } })).status, 202);
    const forced = { 'os-force_detach': { connector: null, attachment_id: attachmentId } };
    assert.equal((await demo.call('POST', `/volumes/${id}/action`, forced)).status, 403);
    assert.equal((await admin.call('POST', `/volumes/${id}/action`, forced)).status, 202);
    const detached = await demo.waitFor(id, 'available');
    assert.deepEqual(detached.attachments, []);

    const gone = await admin.call('POST', `/volumes/${id}/action`, forced);
    assert.equal(gone.status, 400);
    assert.match(gone.body.badRequest.message, /^Error force detaching volume - VolumeAttachmentNotFound: /);
    assert.equal((await admin.call('POST', `/volumes/${id}/action`, { 'os-force_detach': {} })).status, 202);
    assert.equal((await demo.call('POST', `/volumes/${id}/action`, { 'os-detach': {} })).status, 202, 'a detach of nothing settles the volume');
    assert.equal((await demo.call('GET', `/volumes/${id}`)).body.volume.status, 'available');
  });
});
