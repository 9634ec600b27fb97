/**
 * kill -9 of a whole Nimbus server during a stack operation: a stack of 50
 * OS::Heat::TestResource (each waiting a moment per action, ten levels of
 * dependencies) is created through the Heat API, the server is killed with
 * SIGKILL mid-create and started again on the same data dir; the stack
 * converges to CREATE_COMPLETE with every resource made once. The same for
 * its delete: DELETE_COMPLETE, no resource left behind.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startNimbusProcess, type NimbusProcess } from '../support/nimbus-process.js';
import { openSession, type Session } from './support/session.js';

const RESOURCES = 50;
const WIDTH = 5;
const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-heat-server-crash-'));
let server: NimbusProcess | null = null;
after(() => {
  server?.process.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function restart(): Promise<Session> {
  if (server) {
    const exited = new Promise((resolve) => server!.process.once('exit', resolve));
    server.process.kill('SIGKILL');
    await exited;
  }
  server = await startNimbusProcess(dataDir);
  return openSession(server.url, dataDir);
}

function template(): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  const name = (i: number) => `r${String(i).padStart(2, '0')}`;
  for (let i = 0; i < RESOURCES; i++) {
    resources[name(i)] = {
      type: 'OS::Heat::TestResource',
      properties: { value: name(i), action_wait_secs: { create: 0.3, delete: 0.3 } },
      ...(i >= WIDTH && { depends_on: [name(i - WIDTH)] }),
    };
  }
  return { heat_template_version: '2016-10-14', resources };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('kill -9 of the server during a 50-resource create and during its delete: both converge', { timeout: 300_000 }, async () => {
  let session = await restart();
  const heat = `/orchestration/v1/${session.demoProject}`;
  const created = await session.call('POST', `${heat}/stacks`, { body: { stack_name: 'crashy', template: template() } });
  assert.equal(created.status, 201, created.text);
  const id = (created.body as { stack: { id: string } }).stack.id;
  const stackPath = `${heat}/stacks/crashy/${id}`;
  const statuses = async () => {
    const reply = await session.call('GET', `${stackPath}/resources`);
    return reply.status === 200 ? (reply.body as { resources: Array<{ resource_status: string }> }).resources.map((r) => r.resource_status) : [];
  };
  const stackStatus = async () => {
    const reply = await session.call('GET', stackPath);
    return reply.status === 200 ? (reply.body as { stack: { stack_status: string; stack_status_reason: string } }).stack : undefined;
  };

  await until('a third of the resources', async () => ((await statuses()).filter((s) => s === 'CREATE_COMPLETE').length >= RESOURCES / 3 ? true : undefined));
  session = await restart();
  const afterCreate = await until('the create to settle', async () => {
    const stack = await stackStatus();
    return stack && !stack.stack_status.endsWith('IN_PROGRESS') ? stack : undefined;
  });
  assert.equal(afterCreate.stack_status, 'CREATE_COMPLETE', afterCreate.stack_status_reason);
  const made = await statuses();
  assert.equal(made.length, RESOURCES);
  assert.ok(made.every((s) => s === 'CREATE_COMPLETE'));

  assert.equal((await session.call('DELETE', stackPath)).status, 204);
  await until('some deletes', async () => ((await statuses()).filter((s) => s === 'DELETE_COMPLETE').length >= 5 ? true : undefined));
  session = await restart();
  const afterDelete = await until('the delete to settle', async () => {
    const stack = await stackStatus();
    return stack && !stack.stack_status.endsWith('IN_PROGRESS') ? stack : undefined;
  });
  assert.equal(afterDelete.stack_status, 'DELETE_COMPLETE', afterDelete.stack_status_reason);
  const listed = await session.call('GET', `${heat}/stacks`);
  assert.deepEqual((listed.body as { stacks: unknown[] }).stacks, []);
});
