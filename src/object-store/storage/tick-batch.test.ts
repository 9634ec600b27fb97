/**
 * Group commit of listing changes: what arrives in one event-loop turn is one
 * batch, a failed batch fails each of its callers, and concurrent object rows
 * in one container all land with the counts (and the account's totals) in step.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalAccountServer, LocalContainerServer } from './local-db-servers.js';
import { TickBatcher } from './tick-batch.js';

let root: string;
let accounts: LocalAccountServer;
let containers: LocalContainerServer;
const hash = (account: string, container?: string) => `${account}-${container ?? ''}`.padEnd(8, '0');

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'nimbus-batch-'));
  accounts = new LocalAccountServer(root, hash);
  containers = new LocalContainerServer(root, hash, accounts);
  await containers.create('AUTH_a', 'c', '1.00000', {});
});
after(async () => {
  await containers.close();
  await accounts.close();
  rmSync(root, { recursive: true, force: true });
});

test('items of one turn run as one batch per key, in order; a later turn starts a new batch', async () => {
  const runs: Array<[string, number[]]> = [];
  const batcher = new TickBatcher<number>(async (key, items) => void runs.push([key, items]));
  await Promise.all([batcher.add('x', 1), batcher.add('y', 2), batcher.add('x', 3)]);
  await batcher.add('x', 4);
  assert.deepEqual(runs, [
    ['x', [1, 3]],
    ['y', [2]],
    ['x', [4]],
  ]);
});

test('a failed batch rejects every caller in it and not the next batch', async () => {
  const batcher = new TickBatcher<number>(async (_key, items) => {
    if (items.includes(0)) throw new Error('disk full');
  });
  const results = await Promise.allSettled([batcher.add('k', 0), batcher.add('k', 1)]);
  assert.deepEqual(
    results.map((r) => r.status),
    ['rejected', 'rejected'],
  );
  await batcher.add('k', 2);
});

test('concurrent rows of one container all land, counts and account totals in step', async () => {
  const names = Array.from({ length: 40 }, (_, i) => `o-${i}`);
  await Promise.all(
    names.map((name, i) => containers.putObject('AUTH_a', 'c', { name, createdAt: `2.${String(i).padStart(5, '0')}`, size: 10, contentType: 't', etag: 'e' })),
  );
  // An overwrite and a deletion in the same turn as a newer write: the newest version wins per name.
  await Promise.all([
    containers.putObject('AUTH_a', 'c', { name: 'o-0', createdAt: '3.00000', size: 25, contentType: 't', etag: 'e2' }),
    containers.deleteObject('AUTH_a', 'c', 'o-1', '3.00000'),
    containers.putObject('AUTH_a', 'c', { name: 'o-0', createdAt: '2.50000', size: 99, contentType: 't', etag: 'old' }),
  ]);
  const info = await containers.info('AUTH_a', 'c');
  assert.equal(info?.objectCount, 39);
  assert.equal(info?.bytesUsed, 38 * 10 + 25);
  const query = { prefix: 'o-0', delimiter: null, marker: '', endMarker: '', limit: 10, reverse: false };
  const listed = await containers.list('AUTH_a', 'c', query);
  assert.deepEqual(
    listed.map((r) => ('row' in r ? [r.row.name, r.row.size] : [r.subdir])),
    [['o-0', 25]],
  );
  const account = await accounts.info('AUTH_a');
  assert.equal(account?.objectCount, 39);
  assert.equal(account?.bytesUsed, 38 * 10 + 25);
});
