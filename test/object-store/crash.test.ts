/**
 * Durability: a server this test starts is killed with SIGKILL while 16
 * clients upload. After a restart on the same data dir, every object that was
 * acknowledged with a 201 reads back intact and is listed, and every upload
 * in flight is either absent or whole: no torn object is ever served.
 */
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readStoredPassword } from '../../src/identity/index.js';
import { startNimbusProcess } from '../support/nimbus-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-crash-'));
let child: ChildProcess | null = null;

after(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const startNimbus = () => startNimbusProcess(dataDir);

async function adminSession(url: string): Promise<{ token: string; account: string }> {
  const auth = {
    identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: readStoredPassword(dataDir, 'admin') } } },
    scope: { project: { name: 'admin', domain: { id: 'default' } } },
  };
  const response = await fetch(`${url}/identity/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth }),
  });
  const body = (await response.json()) as { token: { project: { id: string } } };
  return { token: response.headers.get('x-subject-token') as string, account: `${url}/object-store/v1/AUTH_${body.token.project.id}` };
}

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

test('kill -9 during 16 concurrent uploads loses no acknowledged object and tears none', { timeout: 120_000 }, async (t) => {
  const first = await startNimbus();
  child = first.process;
  const session = await adminSession(first.url);
  assert.equal((await fetch(`${session.account}/crash`, { method: 'PUT', headers: { 'x-auth-token': session.token } })).status, 201);

  const attempted = new Map<string, string>();
  const acknowledged = new Set<string>();
  let killed = false;
  const client = async (id: number) => {
    for (let n = 0; !killed; n++) {
      const name = `client-${id}/object-${n}`;
      const body = randomBytes(16 * 1024 + Math.floor(Math.random() * 512 * 1024));
      attempted.set(name, md5(body));
      try {
        const response = await fetch(`${session.account}/crash/${name}`, { method: 'PUT', headers: { 'x-auth-token': session.token }, body });
        if (response.status === 201) acknowledged.add(name);
      } catch {
        return;
      }
    }
  };
  const clients = Array.from({ length: 16 }, (_, i) => client(i));
  await new Promise((resolve) => setTimeout(resolve, 2500));
  killed = true;
  first.process.kill('SIGKILL');
  await Promise.all(clients);
  assert.ok(acknowledged.size > 16, `only ${acknowledged.size} uploads were acknowledged before the kill`);

  t.diagnostic(`${acknowledged.size} acknowledged, ${attempted.size - acknowledged.size} in flight at the kill`);
  const second = await startNimbus();
  child = second.process;
  const again = await adminSession(second.url);
  for (const [name, expected] of attempted) {
    const response = await fetch(`${again.account}/crash/${name}`, { headers: { 'x-auth-token': again.token } });
    if (acknowledged.has(name)) assert.equal(response.status, 200, `${name} was acknowledged`);
    if (response.status === 200) assert.equal(md5(Buffer.from(await response.arrayBuffer())), expected, `${name} reads back whole`);
    else assert.equal(response.status, 404, `${name} is either whole or absent`);
  }
  const listing = await fetch(`${again.account}/crash?format=json`, { headers: { 'x-auth-token': again.token } });
  const listed = new Set(((await listing.json()) as Array<{ name: string }>).map((o) => o.name));
  for (const name of acknowledged) assert.ok(listed.has(name), `${name} is listed`);
  second.process.kill('SIGTERM');
});
