/** The admin APIs' store queries on every engine: service ids, aggregates, group members, migration filters. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { migrateService } from '../../core/db/migrate.js';
import { forEachDialect } from '../../../test/support/databases.js';
import { computeMigrations } from '../migrations/index.js';
import * as store from './index.js';

forEachDialect('compute admin store', (dialect) => {
  const open = async () => {
    const db = await dialect.open();
    await migrateService(db, 'compute', computeMigrations);
    return { db, compute: store.computeDb(db) };
  };
  const hypervisor = (host: string): store.HypervisorInfo => ({
    hypervisorType: 'fake',
    hypervisorVersion: 1,
    hypervisorHostname: host,
    hostIp: '127.0.0.1',
    vcpus: 4,
    memoryMb: 4096,
    localGb: 40,
    cpuAllocationRatio: 16,
    ramAllocationRatio: 1.5,
    diskAllocationRatio: 1,
    zone: 'nova',
  });

  test('services get increasing integer ids, kept when the host reports again', async () => {
    const { db, compute } = await open();
    try {
      const add = (id: string, host: string) =>
        store.upsertService(compute, {
          id,
          host,
          binary: 'nova-compute',
          nodeUuid: `node-${id}`,
          enabled: true,
          disabledReason: null,
          forcedDown: false,
          hypervisor: hypervisor(host),
        });
      const a = await add('a', 'host-a');
      const b = await add('b', 'host-b');
      assert.deepEqual([a.seq, b.seq], [1, 2]);
      const again = await add('a', 'host-a');
      assert.equal((await store.getServiceBySeq(compute, 1))?.host, 'host-a');
      assert.equal(again.host, 'host-a');
      await store.deleteService(compute, 'b');
      assert.equal(await store.getServiceBySeq(compute, 2), null);
      assert.equal((await add('c', 'host-c')).seq, 3, 'ids are not reused');
    } finally {
      await db.close();
    }
  });

  test('aggregates keep hosts, metadata and the zone column together, changed by compare-and-swap', async () => {
    const { db, compute } = await open();
    try {
      const created = await store.insertAggregate(compute, { uuid: 'agg-1', name: 'rack', metadata: { availability_zone: 'az' } });
      assert.equal(created.availabilityZone, 'az');
      const saved = await store.swapAggregate(compute, created, { name: 'rack-2', hosts: ['h1'], metadata: { ssd: 'yes' } });
      assert.deepEqual([saved?.name, saved?.hosts, saved?.metadata, saved?.availabilityZone], ['rack-2', ['h1'], { ssd: 'yes' }, null]);
      assert.equal(await store.swapAggregate(compute, created, { name: 'rack-3', hosts: [], metadata: {} }), null, 'a stale aggregate loses');
      assert.equal((await store.aggregateByName(compute, 'rack-2'))?.id, created.id);
      await store.deleteAggregate(compute, created.id);
      assert.deepEqual(await store.listAggregates(compute), []);
    } finally {
      await db.close();
    }
  });

  test('group members change by compare-and-swap and are found per server', async () => {
    const { db, compute } = await open();
    try {
      const group: store.ServerGroup = {
        id: 'g1',
        projectId: 'p',
        userId: 'u',
        name: 'g',
        policy: 'anti-affinity',
        rules: {},
        members: [],
        createdAt: new Date().toISOString(),
      };
      await store.insertServerGroup(compute, group);
      assert.equal(await store.swapGroupMembers(compute, 'g1', [], ['s1']), true);
      assert.equal(await store.swapGroupMembers(compute, 'g1', [], ['s2']), false, 'a stale member list loses');
      await store.addGroupMembers(compute, 'g1', ['s2', 's3']);
      await store.removeGroupMember(compute, 's3');
      assert.deepEqual((await store.getServerGroup(compute, 'g1'))?.members, ['s1', 's2']);
      assert.deepEqual(
        (await store.groupsOfServer(compute, 's2')).map((g) => g.id),
        ['g1'],
      );
      assert.deepEqual(await store.groupsOfServer(compute, 's'), []);
      assert.deepEqual((await store.listServerGroups(compute, 'other')).length, 0);
      assert.equal(await store.deleteServerGroup(compute, 'g1'), true);
      assert.equal(await store.deleteServerGroup(compute, 'g1'), false);
    } finally {
      await db.close();
    }
  });

  test('two joins into a group with room for one: exactly one passes, even when they overlap', async () => {
    const { db, compute } = await open();
    try {
      await store.insertServerGroup(compute, {
        id: 'g2',
        projectId: 'p',
        userId: 'u',
        name: 'g',
        policy: 'affinity',
        rules: {},
        members: [],
        createdAt: new Date().toISOString(),
      });
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      const roomForOne = (group: store.ServerGroup) => {
        if (group.members.length + 1 > 1) throw new Error('group full');
      };
      // The first join holds its transaction open after writing, so on PostgreSQL the second
      // reads the members before that commit and must still lose when it comes to write.
      const join = (serverId: string, holdMs: number) =>
        compute.transaction().execute(async (trx) => {
          await store.addGroupMembers(trx, 'g2', [serverId], roomForOne);
          await sleep(holdMs);
        });
      const outcomes = await Promise.allSettled([join('s1', 200), sleep(50).then(() => join('s2', 0))]);
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['fulfilled', 'rejected'],
      );
      assert.match(String((outcomes[1] as PromiseRejectedResult).reason), /group full/);
      assert.deepEqual((await store.getServerGroup(compute, 'g2'))?.members, ['s1']);
    } finally {
      await db.close();
    }
  });

  test('migrations filter by either end, type and update time, newest first', async () => {
    const { db, compute } = await open();
    try {
      const base = { instance_uuid: 'i', source_node: null, dest_node: null, old_flavor_id: null, new_flavor_id: null, project_id: null, user_id: null };
      const m1 = await store.insertMigration(compute, {
        ...base,
        uuid: 'm1',
        migration_type: 'migration',
        status: 'finished',
        source_compute: 'a',
        dest_compute: 'b',
      });
      const m2 = await store.insertMigration(compute, {
        ...base,
        uuid: 'm2',
        migration_type: 'live-migration',
        status: 'running',
        source_compute: 'b',
        dest_compute: 'c',
      });
      assert.equal(
        (await store.insertMigration(compute, { ...base, uuid: 'm2', migration_type: 'live-migration', status: 'x', source_compute: 'b', dest_compute: 'c' }))
          .id,
        m2.id,
        'a retried insert keeps the first',
      );
      assert.deepEqual(
        (await store.listMigrations(compute)).map((m) => m.uuid),
        ['m2', 'm1'],
      );
      assert.deepEqual(
        (await store.listMigrations(compute, 'i')).map((m) => m.uuid),
        ['m2', 'm1'],
      );
      assert.deepEqual(
        (await store.searchMigrations(compute, { host: 'b' })).map((m) => m.uuid),
        ['m2', 'm1'],
      );
      assert.deepEqual(
        (await store.searchMigrations(compute, { host: 'a' })).map((m) => m.uuid),
        ['m1'],
      );
      assert.deepEqual(
        (await store.searchMigrations(compute, { migrationType: 'live-migration' })).map((m) => m.uuid),
        ['m2'],
      );
      await new Promise((resolve) => setTimeout(resolve, 5)); // a later update time than m1's
      await store.setMigrationStatus(compute, 'm2', 'completed', { dest_compute: 'd', dest_node: 'd' });
      const moved = await store.getMigration(compute, 'm2');
      assert.deepEqual([moved?.status, moved?.dest_compute], ['completed', 'd']);
      assert.deepEqual(
        (await store.searchMigrations(compute, { changesSince: moved?.updated_at as string })).map((m) => m.uuid),
        ['m2'],
      );
      assert.equal(m1.id + 1, m2.id);
    } finally {
      await db.close();
    }
  });
});
