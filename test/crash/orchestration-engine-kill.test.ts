/**
 * kill -9 of the process running a stack operation: a 50-resource stack is
 * created by a worker process that is killed with SIGKILL mid-walk and
 * started again; the operation resumes from the resource rows and the stack
 * converges to CREATE_COMPLETE with exactly one object per resource. The
 * same for its delete: DELETE_COMPLETE and no object left.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { serviceCaller } from '../../src/core/context.js';
import { openDatabase } from '../../src/core/db/database.js';
import { migrateService } from '../../src/core/db/migrate.js';
import { createLogger } from '../../src/core/logger.js';
import { coreMigrations } from '../../src/core/migrations/index.js';
import { TaskQueue } from '../../src/core/tasks/index.js';
import type { JsonObject } from '../../src/orchestration/json.js';
import { orchestrationMigrations } from '../../src/orchestration/migrations/index.js';
import { stackService } from '../../src/orchestration/service/index.js';
import type { StackRecord } from '../../src/orchestration/service/types.js';
import { engineServiceDeps } from '../orchestration/support/engine-harness.js';
import { FakeCloud } from '../orchestration/support/engine-test-plugins.js';

const CHILD = join(import.meta.dirname, 'support', 'orchestration-engine-child.js');
/** The worker's task lease: how soon a restarted worker takes over the killed one's operation. */
const LEASE_MS = 1500;
const RESOURCES = 50;
/** Resource i waits for resource i-5: ten levels of five, so the walk takes a while. */
const WIDTH = 5;

const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-heat-crash-'));
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function startWorker(file: string, cloudDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CHILD, file, cloudDir, String(LEASE_MS)], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (data: Buffer) => {
      stderr += data.toString();
      if (stderr.includes('engine worker ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`engine worker exited (${code}): ${stderr}`)));
  });
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

function bigTemplate(): JsonObject {
  const resources: JsonObject = {};
  for (let i = 0; i < RESOURCES; i++) {
    const name = `r${String(i).padStart(2, '0')}`;
    const dependsOn = i >= WIDTH ? [`r${String(i - WIDTH).padStart(2, '0')}`] : [];
    resources[name] = { type: 'Test::Thing', properties: { value: name, delay_ms: 150, delete_delay_ms: 150 }, depends_on: dependsOn };
  }
  return { heat_template_version: '2016-10-14', resources };
}

test('kill -9 during a 50-resource create and during its delete: both converge, nothing leaked', { timeout: 120_000 }, async () => {
  const file = join(dataDir, 'heat.db');
  const cloudDir = join(dataDir, 'cloud');
  const db = openDatabase({ connection: file });
  after(() => db.close());
  await migrateService(db, 'core', coreMigrations);
  await migrateService(db, 'orchestration', orchestrationMigrations);
  const cloud = new FakeCloud(cloudDir);
  // This process only enqueues: its queue is never started, the worker process does the work.
  const service = stackService(engineServiceDeps(db, new TaskQueue({ db, logger: createLogger('silent') }), cloud));
  const caller = serviceCaller('tester', { id: 'project-a', name: 'project-a' });
  const until = async (what: string, predicate: () => Promise<boolean>, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await predicate())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const stackState = async (id: string): Promise<StackRecord> => service.find(caller, id, { showDeleted: true });
  const completeResources = async (id: string) =>
    (await service.resources(caller, id, {})).filter((r) => r.action === 'CREATE' && r.status === 'COMPLETE').length;

  let worker = await startWorker(file, cloudDir);
  const stack = await service.create(caller, { name: 'big', template: bigTemplate() });
  await until('a third of the resources', async () => (await completeResources(stack.id)) >= RESOURCES / 3);
  await kill(worker);
  assert.equal((await stackState(stack.id)).status, 'IN_PROGRESS');
  assert.ok((await completeResources(stack.id)) < RESOURCES, 'killed mid-walk');

  worker = await startWorker(file, cloudDir);
  await until('the create to settle', async () => (await stackState(stack.id)).status !== 'IN_PROGRESS');
  const created = await stackState(stack.id);
  assert.equal(`${created.action}_${created.status}`, 'CREATE_COMPLETE', created.statusReason);
  const resources = await service.resources(caller, stack.id, {});
  assert.equal(resources.length, RESOURCES);
  assert.ok(resources.every((r) => r.action === 'CREATE' && r.status === 'COMPLETE'));
  assert.deepEqual(cloud.ids().sort(), resources.map((r) => r.physicalId).sort(), 'one object per resource, none leaked');

  await service.delete(caller, stack.id);
  await until('some deletes', async () => cloud.size < RESOURCES);
  await kill(worker);
  assert.ok(cloud.size > 0, 'killed mid-delete');
  assert.equal((await stackState(stack.id)).status, 'IN_PROGRESS');

  worker = await startWorker(file, cloudDir);
  await until('the delete to settle', async () => (await stackState(stack.id)).status !== 'IN_PROGRESS');
  const deleted = await stackState(stack.id);
  assert.equal(`${deleted.action}_${deleted.status}`, 'DELETE_COMPLETE', deleted.statusReason);
  assert.equal(cloud.size, 0, 'every object deleted');
  await kill(worker);
});
