/**
 * The replicator and auditor on three local devices: a lost replica comes
 * back, a corrupt one is quarantined and replaced, a deletion reaches every
 * replica, and an object left on a device the ring no longer names moves home.
 */
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../core/logger.js';
import { ReplicatedObjects } from '../proxy/replicated-objects.js';
import { addDevice, rebalance } from '../ring/builder.js';
import { newRingData, Ring } from '../ring/ring.js';
import type { ObjectMetadata, ObjectServer } from './contract.js';
import { LocalObjectServer } from './local-object-server.js';
import { Replicator } from './replicator.js';

let root: string;
let ring: Ring;
let servers: Map<number, ObjectServer>;
let objects: ReplicatedObjects;
let replicator: Replicator;
const log = createLogger('silent');
const listed: ObjectMetadata[] = [];
const unlisted: Array<[string, string]> = [];

before(() => {
  root = mkdtempSync(join(tmpdir(), 'nimbus-replicator-'));
  const data = newRingData(4, 3);
  for (const name of ['d1', 'd2', 'd3', 'd4']) addDevice(data, { name, zone: Number(name[1]), weight: 100 });
  rebalance(data);
  ring = new Ring(data);
  servers = new Map(data.devices.map((d) => [d.id, new LocalObjectServer(d.name, join(root, d.name))]));
  objects = new ReplicatedObjects(ring, servers, log);
  replicator = new Replicator(
    ring,
    servers,
    { listed: async (m) => void listed.push(m), unlisted: async (p, ts) => void unlisted.push([p, ts]), expired: async () => undefined },
    log,
  );
});
after(() => rmSync(root, { recursive: true, force: true }));

const where = { account: 'AUTH_p', container: 'c', object: 'o' };

function dataFiles(): string[] {
  const hash = ring.hashPath(where.account, where.container, where.object);
  const partition = ring.partition(hash);
  return ring.primaries(partition).map((d) => {
    const dir = join(root, d.name, 'objects', String(partition), hash);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      names = [];
    }
    const data = names.find((n) => n.endsWith('.data'));
    return data ? join(dir, data) : '';
  });
}

async function put(body: string): Promise<void> {
  await objects.put(
    where,
    [Buffer.from(body)],
    (w) => ({ path: '/AUTH_p/c/o', timestamp: (Date.now() / 1000).toFixed(5), contentType: 'text/plain', etag: w.etag, size: w.size, headers: {}, system: {} }),
    () => undefined,
  );
}

test('a lost replica is copied back and a corrupt one is quarantined and replaced', async () => {
  await put('precious bytes');
  const files = dataFiles();
  assert.ok(
    files.every((f) => f !== ''),
    'three replicas written',
  );
  rmSync(files[0] as string);
  const corrupt = readFileSync(files[1] as string);
  corrupt[0] = corrupt[0]! ^ 0xff;
  writeFileSync(files[1] as string, corrupt);

  const report = await replicator.pass();
  assert.equal(report.quarantined, 1);
  assert.equal(report.repaired, 2);
  for (const file of dataFiles()) assert.ok(readFileSync(file).subarray(0, 14).equals(Buffer.from('precious bytes')));
  assert.equal(listed.at(-1)?.path, '/AUTH_p/c/o');
  assert.equal((await replicator.pass()).repaired, 0, 'a second pass finds nothing to do');
});

test('a deletion that reached one replica reaches all of them', async () => {
  const hash = ring.hashPath(where.account, where.container, where.object);
  const partition = ring.partition(hash);
  const [first] = ring.primaries(partition);
  await servers.get(first!.id)!.delete(partition, hash, (Date.now() / 1000 + 1).toFixed(5), '/AUTH_p/c/o');
  await replicator.pass();
  assert.deepEqual(unlisted.at(-1)?.[0], '/AUTH_p/c/o', 'the listing is told');
  for (const device of ring.primaries(partition)) {
    assert.equal((await servers.get(device.id)!.open(partition, hash)).kind, 'deleted');
  }
});

test('a copy on a device that is not a primary moves to the primaries and leaves the handoff', async () => {
  const other = { account: 'AUTH_p', container: 'c', object: 'handoff' };
  const hash = ring.hashPath(other.account, other.container, other.object);
  const partition = ring.partition(hash);
  const primaries = ring.primaries(partition).map((d) => d.id);
  const handoff = [...servers.keys()].find((id) => !primaries.includes(id)) as number;
  const writer = await servers.get(handoff)!.createWriter(partition, hash);
  await writer.write(Buffer.from('moved'));
  await writer.commit({
    path: '/AUTH_p/c/handoff',
    timestamp: (Date.now() / 1000).toFixed(5),
    contentType: 'text/plain',
    etag: createHash('md5').update('moved').digest('hex'),
    size: 5,
    headers: {},
    system: {},
  });
  const report = await replicator.pass();
  assert.equal(report.handoffsRemoved, 1);
  assert.equal((await servers.get(handoff)!.open(partition, hash)).kind, 'missing');
  for (const id of primaries) {
    const state = await servers.get(id)!.open(partition, hash);
    assert.equal(state.kind, 'object');
    if (state.kind === 'object') await state.handle.close();
  }
});
