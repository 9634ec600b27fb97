/**
 * Cinder quotas hold under concurrency: many creates at once against a small
 * quota never over-allocate (volumes, gigabytes, snapshots, a type's volumes),
 * on SQLite and, when NIMBUS_TEST_PG_URL is set, on PostgreSQL. The losers get
 * Cinder's 413 and leave nothing behind.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postgresSkip, startPostgresTestServer } from '../support/postgres-server.js';
import { startTestServer, type TestResponse, type TestServer } from '../support/server.js';
import { useFakeVolumeBackend, volumeClient, type VolumeClient } from './support.js';

const engines = [
  { name: 'sqlite', skip: false as const, start: () => startTestServer((config) => useFakeVolumeBackend(config)) },
  { name: 'postgres', skip: postgresSkip, start: () => startPostgresTestServer((config) => useFakeVolumeBackend(config)) },
];

for (const engine of engines) {
  describe(`volume quotas under concurrent creates [${engine.name}]`, { skip: engine.skip }, () => {
    let cloud: TestServer;
    let admin: VolumeClient;
    let projects = 0;

    before(async () => {
      cloud = await engine.start();
      admin = await volumeClient(cloud, await cloud.adminToken());
    });
    after(() => cloud?.close());

    /** A fresh project with a member, its quota set as given. */
    async function projectWithQuota(quota: Record<string, number>): Promise<VolumeClient> {
      const adminToken = admin.token;
      const identity = async (method: string, path: string, body?: unknown) =>
        (await cloud.request(method, `/identity/v3${path}`, { token: adminToken, body })).body;
      const name = `race-${engine.name}-${++projects}`;
      const project = (await identity('POST', '/projects', { project: { name } })).project;
      const user = (await identity('POST', '/users', { user: { name, password: 'race-pw-1' } })).user;
      const member = (await identity('GET', '/roles?name=member')).roles[0];
      await identity('PUT', `/projects/${project.id}/users/${user.id}/roles/${member.id}`);
      const client = await volumeClient(cloud, await cloud.token({ id: user.id, password: 'race-pw-1' }, { project: { id: project.id } }));
      const updated = await admin.call('PUT', `/os-quota-sets/${project.id}`, { quota_set: quota });
      assert.equal(updated.status, 200, updated.text);
      return client;
    }

    /** Sends all requests at once; returns how many got each status. */
    async function race(requests: Array<() => Promise<TestResponse>>): Promise<{ accepted: number; refused: number; responses: TestResponse[] }> {
      const responses = await Promise.all(requests.map((send) => send()));
      for (const r of responses) assert.ok(r.status === 202 || r.status === 413, `${r.status} ${r.text}`);
      for (const r of responses.filter((r) => r.status === 413)) assert.equal(r.body.overLimit.code, 413, r.text);
      return { accepted: responses.filter((r) => r.status === 202).length, refused: responses.filter((r) => r.status === 413).length, responses };
    }

    async function usage(client: VolumeClient): Promise<Record<string, { in_use: number; limit: number }>> {
      return (await client.call('GET', `/os-quota-sets/${client.projectId}?usage=true`)).body.quota_set;
    }

    test('30 concurrent volume creates against volumes = 5: exactly 5 are made', async () => {
      const client = await projectWithQuota({ volumes: 5 });
      const result = await race(Array.from({ length: 30 }, (_, i) => () => client.call('POST', '/volumes', { volume: { size: 1, name: `v${i}` } })));
      assert.equal(result.accepted, 5);
      assert.equal(result.refused, 25);
      assert.equal((await client.call('GET', '/volumes')).body.volumes.length, 5);
      const used = await usage(client);
      assert.equal(used.volumes!.in_use, 5);
      assert.equal(used.gigabytes!.in_use, 5);
    });

    test('25 concurrent 2 GiB creates against gigabytes = 7: exactly 3 are made', async () => {
      const client = await projectWithQuota({ volumes: -1, gigabytes: 7 });
      const result = await race(Array.from({ length: 25 }, () => () => client.call('POST', '/volumes', { volume: { size: 2 } })));
      assert.equal(result.accepted, 3);
      for (const r of result.responses.filter((r) => r.status === 413)) assert.match(r.body.overLimit.message, /^VolumeSizeExceedsAvailableQuota/);
      assert.equal((await client.call('GET', '/volumes')).body.volumes.length, 3);
      assert.equal((await usage(client)).gigabytes!.in_use, 6);
    });

    test('20 concurrent snapshots against snapshots = 4: exactly 4 are made', async () => {
      const client = await projectWithQuota({ snapshots: 4 });
      const volume = await client.call('POST', '/volumes', { volume: { size: 1 } });
      await client.waitFor(volume.body.volume.id, 'available');
      const result = await race(Array.from({ length: 20 }, () => () => client.call('POST', '/snapshots', { snapshot: { volume_id: volume.body.volume.id } })));
      assert.equal(result.accepted, 4);
      for (const r of result.responses.filter((r) => r.status === 413)) assert.match(r.body.overLimit.message, /^SnapshotLimitExceeded/);
      assert.equal((await client.call('GET', '/snapshots')).body.snapshots.length, 4);
      const used = await usage(client);
      assert.equal(used.snapshots!.in_use, 4);
      assert.equal(used.gigabytes!.in_use, 5, 'one volume and four snapshots of 1 GiB');
    });

    test('20 concurrent creates of one type against its volumes_<type> = 3: exactly 3 are made, the totals agree', async () => {
      const typeName = `race-type-${engine.name}`;
      const type = await admin.call('POST', '/types', { volume_type: { name: typeName } });
      assert.equal(type.status, 200, type.text);
      const client = await projectWithQuota({ [`volumes_${typeName}`]: 3 });
      const result = await race(Array.from({ length: 20 }, () => () => client.call('POST', '/volumes', { volume: { size: 1, volume_type: typeName } })));
      assert.equal(result.accepted, 3);
      const used = await usage(client);
      assert.equal(used[`volumes_${typeName}`]!.in_use, 3);
      assert.equal(used.volumes!.in_use, 3, 'a refused type quota gave its share of the totals back');
      assert.equal(used.gigabytes!.in_use, 3);
    });

    test('8 concurrent backups of 8 volumes against backups = 3: exactly 3 are made', async () => {
      const client = await projectWithQuota({ backups: 3 });
      const volumes: string[] = [];
      for (let i = 0; i < 8; i++) volumes.push((await client.call('POST', '/volumes', { volume: { size: 1 } })).body.volume.id);
      for (const id of volumes) await client.waitFor(id, 'available');
      const result = await race(volumes.map((id) => () => client.call('POST', '/backups', { backup: { volume_id: id } })));
      assert.equal(result.accepted, 3);
      for (const r of result.responses.filter((r) => r.status === 413)) assert.match(r.body.overLimit.message, /^BackupLimitExceeded/);
      assert.equal((await client.call('GET', '/backups')).body.backups.length, 3);
      assert.equal((await usage(client)).backups!.in_use, 3);
      const statuses = await Promise.all(volumes.map(async (id) => (await client.call('GET', `/volumes/${id}`)).body.volume.status));
      assert.equal(
        statuses.filter((s) => s === 'available').length + statuses.filter((s) => s === 'backing-up').length,
        8,
        'refused backups left their volume available',
      );
    });

    test('20 concurrent retypes of one volume to one type: one wins, the type quotas count the volume once', async () => {
      const [from, to] = await twoTypes('once');
      const client = await projectWithQuota({});
      const volume = await client.call('POST', '/volumes', { volume: { size: 2, volume_type: from } });
      await client.waitFor(volume.body.volume.id, 'available');
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => () => client.call('POST', `/volumes/${volume.body.volume.id}/action`, { 'os-retype': { new_type: to } })).map((send) =>
          send(),
        ),
      );
      assert.deepEqual(
        responses.filter((r) => r.status !== 202 && r.status !== 400).map((r) => r.text),
        [],
      );
      assert.equal(responses.filter((r) => r.status === 202).length, 1);
      const used = await usage(client);
      assert.deepEqual([used[`volumes_${from}`]!.in_use, used[`gigabytes_${from}`]!.in_use], [0, 0]);
      assert.deepEqual([used[`volumes_${to}`]!.in_use, used[`gigabytes_${to}`]!.in_use], [1, 2]);
    });

    test('opposite retypes of two volumes at once (10 rounds): never a 5xx, never a deadlock, per-type usage matches the volumes', async () => {
      const [a, b] = await twoTypes('swap');
      const client = await projectWithQuota({});
      const create = async (type: string) => (await client.call('POST', '/volumes', { volume: { size: 1, volume_type: type } })).body.volume.id as string;
      const [first, second] = [await create(a), await create(b)];
      for (const id of [first, second]) await client.waitFor(id, 'available');
      for (let round = 0; round < 10; round++) {
        const [toFirst, toSecond] = round % 2 === 0 ? [b, a] : [a, b];
        const answers = await Promise.all([
          client.call('POST', `/volumes/${first}/action`, { 'os-retype': { new_type: toFirst } }),
          client.call('POST', `/volumes/${second}/action`, { 'os-retype': { new_type: toSecond } }),
        ]);
        for (const answer of answers) assert.equal(answer.status, 202, answer.text);
      }
      const used = await usage(client);
      assert.equal(used[`volumes_${a}`]!.in_use, 1);
      assert.equal(used[`volumes_${b}`]!.in_use, 1);
    });

    async function twoTypes(label: string): Promise<[string, string]> {
      const names: [string, string] = [`${label}-a-${engine.name}`, `${label}-b-${engine.name}`];
      for (const name of names) assert.equal((await admin.call('POST', '/types', { volume_type: { name } })).status, 200);
      return names;
    }
  });
}
