/**
 * Crashes: a restart finds an upload its process abandoned (back to queued,
 * its temporary removed) and an import the process committed but never ran
 * (run to the end by the new process).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultConfig } from '../../src/config.js';
import { openDatabase } from '../../src/core/db/database.js';
import { createLogger } from '../../src/core/logger.js';
import { TaskQueue } from '../../src/core/tasks/index.js';
import { imageDb } from '../../src/image/store/index.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { startTestServer } from '../support/server.js';
import { eventually, imageClient } from './support.js';

async function restart(dataDir: string): Promise<RunningServer> {
  const config = defaultConfig();
  Object.assign(config.server, { data_dir: dataDir, port: 0 });
  config.identity.identity.password_hash_rounds = 4;
  return startServer(config, createLogger('silent'));
}

test('a restart puts uploads abandoned by a dead process back to queued and removes their temporaries', async () => {
  const first = await startTestServer();
  const token = await first.adminToken();
  const client = imageClient(first, token);
  const image = await client.create({ disk_format: 'raw', container_format: 'bare' });
  await first.server.close();

  // As a process killed mid-upload leaves it: saving, a lapsed lease, a torn temporary.
  const db = openDatabase({ connection: join(first.dataDir, 'nimbus.db') });
  await imageDb(db).updateTable('image').set({ status: 'saving', upload_lease_until: '2000-01-01T00:00:00.000Z' }).where('id', '=', image.id).execute();
  await db.close();
  const temporary = join(first.dataDir, 'images', `.tmp-${image.id}.abc123`);
  writeFileSync(temporary, 'half an image');
  const past = new Date(Date.now() - 2 * 3_600_000);
  utimesSync(temporary, past, past);

  const second = await restart(first.dataDir);
  try {
    const response = await fetch(`${second.url}/image/v2/images/${image.id}`, { headers: { 'x-auth-token': token } });
    const shown = (await response.json()) as { status: string; size: number | null };
    assert.equal(shown.status, 'queued');
    assert.equal(shown.size, null);
    assert.ok(!existsSync(temporary));
    const upload = await fetch(`${second.url}/image/v2/images/${image.id}/file`, {
      method: 'PUT',
      headers: { 'x-auth-token': token, 'content-type': 'application/octet-stream' },
      body: 'retried',
    });
    assert.equal(upload.status, 204, 'the upload can be retried');
  } finally {
    await second.close();
    rmSync(first.dataDir, { recursive: true, force: true });
  }
});

test("a restart removes the temporary of an upload whose lease lapsed, however young, and spares another image's", async () => {
  const first = await startTestServer();
  const token = await first.adminToken();
  const client = imageClient(first, token);
  const abandoned = await client.create({ disk_format: 'raw', container_format: 'bare' });
  const other = await client.create({ disk_format: 'raw', container_format: 'bare' });
  await first.server.close();

  // Killed a minute into an upload whose lease ran out a second ago; the temporary is far younger than the start-up sweep's hour.
  const db = openDatabase({ connection: join(first.dataDir, 'nimbus.db') });
  const lapsed = new Date(Date.now() - 1000).toISOString();
  await imageDb(db).updateTable('image').set({ status: 'saving', upload_lease_until: lapsed }).where('id', '=', abandoned.id).execute();
  await db.close();
  const minuteAgo = new Date(Date.now() - 60_000);
  const torn = join(first.dataDir, 'images', `.tmp-${abandoned.id}.abc123`);
  const unrelated = join(first.dataDir, 'images', `.tmp-${other.id}.def456`);
  for (const file of [torn, unrelated]) {
    writeFileSync(file, 'half an image');
    utimesSync(file, minuteAgo, minuteAgo);
  }

  const second = await restart(first.dataDir);
  try {
    const response = await fetch(`${second.url}/image/v2/images/${abandoned.id}`, { headers: { 'x-auth-token': token } });
    assert.equal(((await response.json()) as { status: string }).status, 'queued');
    assert.ok(!existsSync(torn), "the abandoned upload's temporary is gone");
    assert.ok(existsSync(unrelated), 'a temporary of an image with no lapsed lease stays');
  } finally {
    await second.close();
    rmSync(first.dataDir, { recursive: true, force: true });
  }
});

test('an import committed before a crash runs to the end after the restart', async () => {
  const first = await startTestServer();
  const token = await first.adminToken();
  const client = imageClient(first, token);
  const image = await client.create({ disk_format: 'raw', container_format: 'bare' });
  const data = Buffer.from('staged before the crash');
  assert.equal((await client.stage(image.id, data)).status, 204);
  await first.server.close();

  // What the import request commits, without a worker ever running the task.
  const db = openDatabase({ connection: join(first.dataDir, 'nimbus.db') });
  const images = imageDb(db);
  const now = new Date().toISOString();
  await images.updateTable('image').set({ status: 'importing' }).where('id', '=', image.id).execute();
  await images
    .insertInto('image_task')
    .values({
      id: 'a4d1c2b3-0000-4000-8000-000000000001',
      type: 'api_image_import',
      status: 'pending',
      owner: image.owner,
      image_id: image.id,
      user_id: null,
      request_id: 'req-crashed',
      input: JSON.stringify({ image_id: image.id, import_req: { method: { name: 'glance-direct' } }, backend: ['file'] }),
      result: null,
      message: '',
      created_at: now,
      updated_at: now,
      expires_at: null,
    })
    .execute();
  const queue = new TaskQueue({ db, logger: createLogger('silent') });
  const kind = queue.define('image.import', { async run() {} });
  await queue.enqueue(db.kysely, {
    kind,
    payload: { imageId: image.id, taskId: 'a4d1c2b3-0000-4000-8000-000000000001', stores: ['file'], allStoresMustSucceed: true },
    resourceId: image.id,
  });
  await db.close();

  const second = await restart(first.dataDir);
  try {
    const shown = await eventually(async () => {
      const response = await fetch(`${second.url}/image/v2/images/${image.id}`, { headers: { 'x-auth-token': token } });
      const body = (await response.json()) as { status: string; checksum: string };
      return body.status === 'active' ? body : undefined;
    });
    assert.equal(shown.checksum, createHash('md5').update(data).digest('hex'));
    const download = await fetch(`${second.url}/image/v2/images/${image.id}/file`, { headers: { 'x-auth-token': token } });
    assert.equal(await download.text(), 'staged before the crash');
    assert.deepEqual(readdirSync(join(first.dataDir, 'image-staging')), []);
    const tasks = await fetch(`${second.url}/image/v2/images/${image.id}/tasks`, { headers: { 'x-auth-token': token } });
    assert.equal(((await tasks.json()) as { tasks: Array<{ status: string }> }).tasks[0]?.status, 'success');
  } finally {
    await second.close();
    rmSync(first.dataDir, { recursive: true, force: true });
  }
});
