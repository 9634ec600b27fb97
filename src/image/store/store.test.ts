/** The image store on every engine: rows with properties and tags, compare-and-swap, the listing rules, members. */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { forEachDialect, type TestDialect } from '../../../test/support/databases.js';
import { migrateService } from '../../core/db/migrate.js';
import { Conflict, BadRequest } from '../../core/errors.js';
import type { ListParams } from '../../core/pagination/index.js';
import { imageMigrations } from '../migrations/index.js';
import * as store from './index.js';
import type { ImageListQuery, ImageSortKey, NewImageRow } from './index.js';

async function open(dialect: TestDialect, t: TestContext) {
  const database = await dialect.open();
  t.after(() => database.close());
  await migrateService(database, 'image', imageMigrations);
  return store.imageDb(database);
}

let clock = Date.parse('2026-01-01T00:00:00Z');
function row(id: string, values: Partial<NewImageRow> = {}): NewImageRow {
  const at = new Date((clock += 1000)).toISOString();
  return {
    id,
    name: id,
    disk_format: 'raw',
    container_format: 'bare',
    size: null,
    virtual_size: null,
    status: 'queued',
    visibility: 'shared',
    checksum: null,
    os_hash_algo: null,
    os_hash_value: null,
    min_disk: 0,
    min_ram: 0,
    owner: 'p1',
    protected: false,
    os_hidden: false,
    store: null,
    location: null,
    quota_mib: 0,
    upload_lease_until: null,
    created_at: at,
    updated_at: at,
    ...values,
  };
}

const params = (overrides: Partial<ListParams<ImageSortKey>> = {}): ListParams<ImageSortKey> => ({
  limit: 100,
  marker: null,
  sort: [{ key: 'created_at', dir: 'desc' }],
  ...overrides,
});

function query(overrides: Partial<ImageListQuery> = {}): ImageListQuery {
  return {
    viewer: { projectId: 'p1', isAdmin: false },
    memberStatus: 'accepted',
    visibility: null,
    filters: [],
    tags: [],
    properties: {},
    params: params(),
    ...overrides,
  };
}

forEachDialect('image store', (dialect) => {
  test('an image keeps its columns, properties and tags; ids are unique', async (t) => {
    const db = await open(dialect, t);
    await store.insertImage(db, row('a', { size: 5_000_000_000, protected: true }), { os_distro: 'debian', arch: 'x86_64' }, ['b', 'a']);
    const image = await store.getImage(db, 'a');
    assert.equal(image?.size, 5_000_000_000, 'a BIGINT comes back as a number');
    assert.equal(image?.protected, true);
    assert.equal(image?.os_hidden, false);
    assert.deepEqual(image?.properties, { arch: 'x86_64', os_distro: 'debian' });
    assert.deepEqual(image?.tags, ['a', 'b']);
    await assert.rejects(store.insertImage(db, row('a'), {}, []), Conflict);
    await store.setProperties(db, 'a', { arch: 'aarch64', new: 'x' }, ['os_distro']);
    assert.deepEqual((await store.getImage(db, 'a'))?.properties, { arch: 'aarch64', new: 'x' });
    await store.replaceTags(db, 'a', ['c']);
    await store.addTag(db, 'a', 'c');
    assert.equal(await store.removeTag(db, 'a', 'zz'), false);
    assert.deepEqual((await store.getImage(db, 'a'))?.tags, ['c']);
    assert.equal(await store.deleteImage(db, 'a'), true);
    assert.equal(await store.getImage(db, 'a'), undefined);
    assert.equal(await store.deleteImage(db, 'a'), false);
  });

  test('updates with an expected status are a compare-and-swap', async (t) => {
    const db = await open(dialect, t);
    await store.insertImage(db, row('i'), {}, []);
    assert.equal(await store.updateImage(db, 'i', { status: 'saving' }, ['queued']), true);
    assert.equal(await store.updateImage(db, 'i', { status: 'saving' }, ['queued']), false, 'the second claim loses');
    assert.equal(await store.updateImage(db, 'gone', { status: 'saving' }), false);
  });

  test('expired upload leases go back to queued; live ones stay', async (t) => {
    const db = await open(dialect, t);
    await store.insertImage(db, row('old', { status: 'saving', upload_lease_until: '2026-01-01T00:00:00.000Z', size: 5 }), {}, []);
    await store.insertImage(db, row('live', { status: 'saving', upload_lease_until: '2999-01-01T00:00:00.000Z' }), {}, []);
    assert.deepEqual(await store.releaseExpiredUploads(db, '2026-06-01T00:00:00.000Z'), [{ id: 'old', leaseUntil: '2026-01-01T00:00:00.000Z' }]);
    assert.equal((await store.getImage(db, 'old'))?.status, 'queued');
    assert.equal((await store.getImage(db, 'old'))?.size, null);
    assert.equal((await store.getImage(db, 'live'))?.status, 'saving');
  });

  test('listing: what a project sees, with member status, visibility and the community rule', async (t) => {
    const db = await open(dialect, t);
    await store.insertImage(db, row('own-private', { visibility: 'private' }), {}, []);
    await store.insertImage(db, row('own-community', { visibility: 'community' }), {}, []);
    await store.insertImage(db, row('public', { owner: 'p2', visibility: 'public' }), {}, []);
    await store.insertImage(db, row('community', { owner: 'p2', visibility: 'community' }), {}, []);
    await store.insertImage(db, row('private', { owner: 'p2', visibility: 'private' }), {}, []);
    await store.insertImage(db, row('shared-accepted', { owner: 'p2' }), {}, []);
    await store.insertImage(db, row('shared-pending', { owner: 'p2' }), {}, []);
    await store.insertImage(db, row('shared-other', { owner: 'p2' }), {}, []);
    const now = '2026-01-01T00:00:00.000Z';
    await store.insertMember(db, { image_id: 'shared-accepted', member_id: 'p1', status: 'accepted', created_at: now, updated_at: now });
    await store.insertMember(db, { image_id: 'shared-pending', member_id: 'p1', status: 'pending', created_at: now, updated_at: now });
    await store.insertMember(db, { image_id: 'shared-other', member_id: 'p3', status: 'accepted', created_at: now, updated_at: now });
    await assert.rejects(store.insertMember(db, { image_id: 'shared-other', member_id: 'p3', status: 'pending', created_at: now, updated_at: now }), Conflict);

    const ids = async (q: Partial<ImageListQuery>) => (await store.listImages(db, query(q))).rows.map((r) => r.id).sort();
    assert.deepEqual(await ids({}), ['own-community', 'own-private', 'public', 'shared-accepted']);
    assert.deepEqual(await ids({ memberStatus: 'pending' }), ['own-community', 'own-private', 'public', 'shared-pending']);
    assert.deepEqual(await ids({ memberStatus: 'all', visibility: 'shared' }), ['shared-accepted', 'shared-pending']);
    assert.deepEqual(await ids({ visibility: 'community' }), ['community', 'own-community']);
    assert.deepEqual(await ids({ visibility: 'all' }), ['community', 'own-community', 'own-private', 'public', 'shared-accepted']);
    assert.deepEqual(await ids({ viewer: { projectId: null, isAdmin: false } }), ['public']);
    assert.equal((await ids({ viewer: { projectId: 'p9', isAdmin: true }, visibility: 'all' })).length, 8);
    assert.deepEqual(await ids({ viewer: { projectId: 'p9', isAdmin: true } }), [
      'own-private',
      'private',
      'public',
      'shared-accepted',
      'shared-other',
      'shared-pending',
    ]);
  });

  test('listing: filters, tags, properties, order and keyset pages', async (t) => {
    const db = await open(dialect, t);
    await store.insertImage(db, row('a', { size: 300, status: 'active', min_ram: 5 }), { os: 'linux' }, ['x', 'y']);
    await store.insertImage(db, row('b', { size: 100, status: 'active' }), { os: 'bsd' }, ['x']);
    await store.insertImage(db, row('c', { size: null, os_hidden: true }), {}, []);
    await store.insertImage(db, row('d', { size: 200, status: 'active', disk_format: 'qcow2' }), { os: 'linux' }, ['y']);
    const ids = async (q: Partial<ImageListQuery>) => (await store.listImages(db, query(q))).rows.map((r) => r.id);
    assert.deepEqual(await ids({}), ['d', 'c', 'b', 'a']);
    assert.deepEqual(await ids({ filters: [{ field: 'os_hidden', op: 'eq', values: [false] }] }), ['d', 'b', 'a']);
    assert.deepEqual(await ids({ filters: [{ field: 'size', op: 'gte', values: [200] }] }), ['d', 'a']);
    assert.deepEqual(await ids({ filters: [{ field: 'disk_format', op: 'in', values: ['qcow2', 'vmdk'] }] }), ['d']);
    assert.deepEqual(await ids({ filters: [{ field: 'min_ram', op: 'eq', values: [5] }] }), ['a']);
    assert.deepEqual(await ids({ tags: ['x'] }), ['b', 'a']);
    assert.deepEqual(await ids({ tags: ['x', 'y'] }), ['a']);
    assert.deepEqual(await ids({ properties: { os: 'linux' } }), ['d', 'a']);
    assert.deepEqual(await ids({ params: params({ sort: [{ key: 'size', dir: 'asc' }] }) }), ['c', 'b', 'd', 'a'], 'NULL first ascending');
    assert.deepEqual(await ids({ params: params({ sort: [{ key: 'size', dir: 'desc' }] }) }), ['a', 'd', 'b', 'c'], 'NULL last descending');

    const first = await store.listImages(db, query({ params: params({ limit: 2, sort: [{ key: 'size', dir: 'desc' }] }) }));
    assert.deepEqual(
      first.rows.map((r) => r.id),
      ['a', 'd'],
    );
    assert.equal(first.nextMarker, 'd');
    const second = await store.listImages(db, query({ params: params({ limit: 2, marker: 'd', sort: [{ key: 'size', dir: 'desc' }] }) }));
    assert.deepEqual(
      second.rows.map((r) => r.id),
      ['b', 'c'],
    );
    assert.equal(second.nextMarker, null);
    await assert.rejects(store.listImages(db, query({ params: params({ marker: 'nope' }) })), BadRequest);
  });

  test('members and tasks', async (t) => {
    const db = await open(dialect, t);
    await store.insertImage(db, row('m'), {}, []);
    const at = '2026-01-01T00:00:00.000Z';
    await store.insertMember(db, { image_id: 'm', member_id: 'p2', status: 'pending', created_at: at, updated_at: at });
    await store.insertMember(db, { image_id: 'm', member_id: 'p3', status: 'pending', created_at: at, updated_at: at });
    assert.equal(await store.countMembers(db, 'm'), 2);
    assert.deepEqual(
      (await store.listMembers(db, 'm', 'p3')).map((m) => m.member_id),
      ['p3'],
    );
    assert.equal(await store.updateMemberStatus(db, 'm', 'p2', 'accepted', at), true);
    assert.equal((await store.getMember(db, 'm', 'p2'))?.status, 'accepted');
    assert.equal(await store.deleteMember(db, 'm', 'p2'), true);
    assert.equal(await store.deleteMember(db, 'm', 'p2'), false);
    await store.deleteImage(db, 'm');
    assert.deepEqual(await store.listMembers(db, 'm'), [], 'members go with their image');

    await store.insertTask(db, {
      id: 't1',
      type: 'api_image_import',
      status: 'pending',
      owner: 'p1',
      image_id: 'm',
      user_id: 'u',
      request_id: 'r',
      input: '{}',
      result: null,
      message: '',
      created_at: at,
      updated_at: at,
      expires_at: null,
    });
    await store.updateTask(db, 't1', { status: 'success' });
    assert.equal((await store.getTask(db, 't1'))?.status, 'success');
    assert.equal((await store.listTasksOfImage(db, 'm')).length, 1, 'tasks outlive their image');
    assert.equal((await store.listTasks(db, { owner: 'p2', limit: 10 })).length, 0);
  });
});
