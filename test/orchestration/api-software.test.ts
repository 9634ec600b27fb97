/** The software config and deployment store behind /software_configs and /software_deployments, on each database engine. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrateService } from '../../src/core/db/migrate.js';
import { PolicyEnforcer } from '../../src/core/policy/index.js';
import { orchestrationAuthorizer, orchestrationPolicyDefaults } from '../../src/orchestration/policies.js';
import { cfnKeyMigrations, cfnKeys } from '../../src/orchestration/software/cfn-keys.js';
import { softwareMigrations } from '../../src/orchestration/software/migrations.js';
import { softwareService } from '../../src/orchestration/software/service.js';
import { softwareDb } from '../../src/orchestration/software/store.js';
import { forEachDialect, type TestDialect } from '../support/databases.js';
import { authContext } from '../support/identity-deps.js';

async function open(dialect: TestDialect) {
  const db = await dialect.open();
  await migrateService(db, 'orchestration', { ...softwareMigrations, ...cfnKeyMigrations });
  const policy = new PolicyEnforcer();
  policy.registerDefaults(orchestrationPolicyDefaults);
  return { db, software: softwareService(softwareDb(db), orchestrationAuthorizer(policy)), keys: cfnKeys(db) };
}

const member = authContext(['member', 'reader']);
const otherProject = authContext(['member', 'reader'], { project: 'p2' });
const reader = authContext(['reader']);
const configInput = { name: 'cfg', group: 'script', config: 'echo hi', inputs: [{ name: 'foo' }], outputs: [], options: {} };

forEachDialect('orchestration software store', (dialect) => {
  test('configs: create, show, list in the project only, delete', async () => {
    const { db, software } = await open(dialect);
    try {
      const config = await software.createConfig(member, configInput);
      assert.equal((await software.getConfig(member, config.id)).config, 'echo hi');
      assert.deepEqual(
        (await software.listConfigs(member, {})).map((c) => c.id),
        [config.id],
      );
      assert.deepEqual(await software.listConfigs(otherProject, {}), []);
      await assert.rejects(software.getConfig(otherProject, config.id), { status: 404, message: `Software config with id ${config.id} not found` });
      await software.deleteConfig(member, config.id);
      await assert.rejects(software.getConfig(member, config.id), { status: 404 });
    } finally {
      await db.close();
    }
  });

  test('a reader may not create; a referenced config may not be deleted', async () => {
    const { db, software } = await open(dialect);
    try {
      await assert.rejects(software.createConfig(reader, configInput), { status: 403 });
      const config = await software.createConfig(member, configInput);
      const deployment = await software.createDeployment(member, {
        configId: config.id,
        serverId: 'srv',
        action: 'CREATE',
        status: 'IN_PROGRESS',
        statusReason: 'Deploy data available',
        inputValues: { foo: 'bar' },
        outputValues: {},
      });
      await assert.rejects(software.deleteConfig(member, config.id), { status: 400, type: 'InvalidRestrictedAction' });
      const updated = await software.updateDeployment(member, deployment.id, { status: 'COMPLETE', outputValues: { deploy_stdout: 'ok' } });
      assert.equal(updated.status, 'COMPLETE');
      assert.deepEqual(updated.outputValues, { deploy_stdout: 'ok' });
      assert.ok(updated.updatedAt);
      assert.deepEqual(
        (await software.listDeployments(member, 'srv')).map((d) => d.id),
        [deployment.id],
      );
      assert.deepEqual(
        (await software.serverDeployments(member, 'srv')).map((c) => c['id']),
        [config.id],
      );
      await software.deleteDeployment(member, deployment.id);
      await software.deleteConfig(member, config.id);
    } finally {
      await db.close();
    }
  });

  test('a resource keeps one cfn keypair, found again by its access key', async () => {
    const { db, keys } = await open(dialect);
    try {
      const first = await keys.forResource('stack-1', 'wait');
      assert.deepEqual(await keys.forResource('stack-1', 'wait'), first);
      assert.deepEqual(await keys.byAccessKey(first.access_key), first);
      assert.notEqual((await keys.forResource('stack-1', 'other')).access_key, first.access_key);
    } finally {
      await db.close();
    }
  });
});
