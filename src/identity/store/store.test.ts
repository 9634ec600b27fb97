/**
 * The identity store on every database engine: constraints become the right
 * domain errors, booleans and JSON round-trip, and the queries the token path
 * relies on (assignments, revocations) behave the same on SQLite and PostgreSQL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Conflict, NotFound } from '../../core/errors.js';
import { migrateService } from '../../core/db/migrate.js';
import { toBool } from '../../core/db/values.js';
import { forEachDialect } from '../../../test/support/databases.js';
import { identityMigrations } from '../migrations/index.js';
import * as store from './index.js';

const now = '2026-11-24T00:00:00.000Z';

forEachDialect('identity store', (dialect) => {
  const withStore = async (body: (db: ReturnType<typeof store.identityDb>) => Promise<void>) => {
    const database = await dialect.open();
    try {
      await migrateService(database, 'identity', identityMigrations);
      await body(store.identityDb(database));
    } finally {
      await database.close();
    }
  };

  const seed = async (db: ReturnType<typeof store.identityDb>) => {
    await store.insertDomain(db, { id: 'default', name: 'Default', description: null, enabled: true, extra: '{}', created_at: now });
    await store.insertProject(
      db,
      { id: 'p1', name: 'one', domain_id: 'default', parent_id: null, description: null, enabled: true, extra: '{"k":1}', created_at: now },
      ['a', 'b'],
    );
    await store.insertUser(db, {
      id: 'u1',
      name: 'alice',
      domain_id: 'default',
      enabled: true,
      default_project_id: null,
      description: null,
      extra: '{}',
      options: '{}',
      failed_auth_count: 0,
      failed_auth_at: null,
      last_active_at: null,
      created_at: now,
    });
    await store.insertRole(db, { id: 'r1', name: 'member', domain_id: '', description: null, options: '{}', extra: '{}', created_at: now });
  };

  test('migrations run once and again without change', async () => {
    const database = await dialect.open();
    try {
      assert.deepEqual(await migrateService(database, 'identity', identityMigrations), [
        '0001-initial',
        '0002-trusts',
        '0003-federation',
        '0004-endpoint-filter',
        '0005-policies',
        '0006-domain-config',
        '0007-oauth1-consumers',
        '0008-oauth1-tokens',
      ]);
      assert.deepEqual(await migrateService(database, 'identity', identityMigrations), []);
    } finally {
      await database.close();
    }
  });

  test('duplicates are 409, misses are 404', async () => {
    await withStore(async (db) => {
      await seed(db);
      await assert.rejects(store.insertDomain(db, { id: 'd2', name: 'Default', description: null, enabled: true, extra: '{}', created_at: now }), Conflict);
      await assert.rejects(
        store.insertProject(
          db,
          { id: 'p2', name: 'one', domain_id: 'default', parent_id: null, description: null, enabled: true, extra: '{}', created_at: now },
          [],
        ),
        Conflict,
      );
      await assert.rejects(store.getProjectOrThrow(db, 'nope'), NotFound);
      assert.equal(await store.getUser(db, 'nope'), undefined);
    });
  });

  test('booleans, JSON and tags round-trip; tag filters', async () => {
    await withStore(async (db) => {
      await seed(db);
      await store.updateProject(db, 'p1', { enabled: false });
      const project = await store.getProjectOrThrow(db, 'p1');
      assert.equal(toBool(project.enabled), false);
      assert.deepEqual(JSON.parse(project.extra), { k: 1 });
      assert.deepEqual((await store.projectTags(db, ['p1'])).get('p1'), ['a', 'b']);
      assert.equal((await store.listProjects(db, { tags: ['a', 'b'] })).length, 1);
      assert.equal((await store.listProjects(db, { tags: ['a', 'c'] })).length, 0);
      assert.equal((await store.listProjects(db, { tagsAny: ['c', 'b'] })).length, 1);
      assert.equal((await store.listProjects(db, { notTagsAny: ['b'] })).length, 0);
      assert.equal((await store.listProjects(db, { enabled: false })).length, 1);
    });
  });

  test('assignments: idempotent insert, filtered listing, delete reports a miss', async () => {
    await withStore(async (db) => {
      await seed(db);
      const grant = { type: 'UserProject' as const, actor_id: 'u1', target_id: 'p1', role_id: 'r1', inherited: false };
      await store.insertAssignment(db, grant);
      await store.insertAssignment(db, grant);
      assert.equal((await store.listAssignments(db, { actorIds: ['u1'] })).length, 1);
      assert.equal((await store.listAssignments(db, { actorIds: ['u1'], inherited: true })).length, 0);
      assert.equal((await store.listAssignments(db, { actorIds: [] })).length, 0);
      assert.equal(await store.deleteAssignment(db, grant), true);
      assert.equal(await store.deleteAssignment(db, grant), false);
    });
  });

  test('revocation events match by audit id, by user and by project, up to issued_before', async () => {
    await withStore(async (db) => {
      await seed(db);
      const facts = { auditId: 'audit-1', userId: 'u1', projectId: 'p1', domainId: null, issuedAt: '2026-11-24T00:00:05.000Z' };
      assert.equal(await store.isRevoked(db, facts), false);
      const event = { audit_id: null, user_id: null, project_id: null, domain_id: null, revoked_at: now };
      await store.insertRevocationEvent(db, { ...event, user_id: 'u1', issued_before: '2026-11-24T00:00:04.000Z' });
      assert.equal(await store.isRevoked(db, facts), false, 'events before the token do not touch it');
      await store.insertRevocationEvent(db, { ...event, project_id: 'p1', issued_before: '2026-11-24T00:00:05.000Z' });
      assert.equal(await store.isRevoked(db, facts), true);
      assert.equal(await store.isRevoked(db, { ...facts, projectId: 'p2' }), false);
      await store.insertRevocationEvent(db, { ...event, audit_id: 'audit-2', issued_before: '2026-11-24T00:01:00.000Z' });
      assert.equal(await store.isRevoked(db, { ...facts, projectId: null, auditId: 'audit-2' }), true);
    });
  });

  test('password history is newest first and pruned to what the checks need', async () => {
    await withStore(async (db) => {
      await seed(db);
      for (const [i, at] of ['00:00:01', '00:00:02', '00:00:03'].entries()) {
        await store.insertPassword(db, {
          id: `pw${i}`,
          user_id: 'u1',
          hash: `h${i}`,
          self_service: i > 0,
          expires_at: null,
          created_at: `2026-11-24T${at}.000Z`,
        });
      }
      assert.deepEqual(
        (await store.passwordHistory(db, 'u1', 2)).map((p) => p.hash),
        ['h2', 'h1'],
      );
      await store.prunePasswords(db, 'u1', 1);
      assert.deepEqual(
        (await store.passwordHistory(db, 'u1', 5)).map((p) => p.hash),
        ['h2'],
      );
      assert.equal(toBool((await store.currentPasswords(db, ['u1'])).get('u1')?.self_service), true);
    });
  });
});
