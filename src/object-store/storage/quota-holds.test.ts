/**
 * Quota holds in the container and account databases: a hold keeps its room
 * from others until released, a hold whose request died (past its expiry)
 * stops counting, an overwrite is credited, and a refusal by the account
 * quota is a refusal of the whole hold.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HoldRequest } from './contract.js';
import { LocalAccountServer, LocalContainerServer } from './local-db-servers.js';

let root: string;
let accounts: LocalAccountServer;
let containers: LocalContainerServer;
const hash = (account: string, container?: string) => `${account}-${container ?? ''}`.padEnd(8, '0');
const inAMinute = () => Date.now() / 1000 + 60;
const hold = (id: string, bytes: number, expiresAt = inAMinute()): HoldRequest => ({ id, object: id, minBytes: bytes, wantBytes: bytes, expiresAt });

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'nimbus-holds-'));
  accounts = new LocalAccountServer(root, hash);
  containers = new LocalContainerServer(root, hash, accounts);
  await containers.create('AUTH_a', 'c', '1.00000', { 'x-container-meta-quota-bytes': '1000' });
});
after(async () => {
  await containers.close();
  await accounts.close();
  rmSync(root, { recursive: true, force: true });
});

test('a hold keeps its room from others until released', async () => {
  assert.equal(await containers.reserve('AUTH_a', 'c', hold('one', 700)), 700);
  assert.equal(await containers.reserve('AUTH_a', 'c', hold('two', 400)), null);
  assert.equal(await containers.reserve('AUTH_a', 'c', hold('two', 300)), 300);
  await containers.release('AUTH_a', 'c', 'one');
  await containers.release('AUTH_a', 'c', 'two');
  assert.equal(await containers.reserve('AUTH_a', 'c', hold('three', 1000)), 1000);
  await containers.release('AUTH_a', 'c', 'three');
});

test('a growing hold gets what is left between its minimum and its wish', async () => {
  assert.equal(await containers.reserve('AUTH_a', 'c', { ...hold('grow', 0), minBytes: 100, wantBytes: 5000 }), 1000);
  await containers.release('AUTH_a', 'c', 'grow');
});

test('the hold of a request that died stops counting at its expiry', async () => {
  assert.equal(await containers.reserve('AUTH_a', 'c', hold('dead', 900, Date.now() / 1000 - 1)), 900);
  assert.equal(await containers.reserve('AUTH_a', 'c', hold('alive', 1000)), 1000);
  await containers.release('AUTH_a', 'c', 'alive');
});

test('an overwrite is credited with the size it replaces', async () => {
  await containers.putObject('AUTH_a', 'c', { name: 'obj', createdAt: '2.00000', size: 800, contentType: 'x', etag: 'e' });
  assert.equal(await containers.reserve('AUTH_a', 'c', hold('other', 300)), null);
  assert.equal(await containers.reserve('AUTH_a', 'c', { ...hold('over', 1000), object: 'obj' }), 1000);
  await containers.release('AUTH_a', 'c', 'over');
});

test('without quotas nothing is held; an account quota refuses for the whole account', async () => {
  await containers.create('AUTH_a', 'free', '3.00000', {});
  assert.equal(await containers.reserve('AUTH_a', 'free', hold('x', 10 ** 12)), Infinity);
  await accounts.updateMetadata('AUTH_a', { 'x-account-meta-quota-bytes': '1000' });
  // 800 bytes are stored in container c.
  assert.equal(await containers.reserve('AUTH_a', 'free', hold('y', 300)), null);
  assert.equal(await containers.reserve('AUTH_a', 'free', hold('z', 200)), 200);
  await containers.release('AUTH_a', 'free', 'z');
});
