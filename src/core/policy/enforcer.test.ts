import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { policyCredentials, type CallerContext } from '../context.js';
import { Forbidden } from '../errors.js';
import { PolicyEnforcer } from './enforcer.js';
import { DuplicatePolicyError, InvalidRuleError, PolicyCycleError, PolicyFileError, PolicyNotRegistered } from './policy-errors.js';
import type { PolicyCredentials } from './policy-values.js';

/** A fresh temp directory per test, removed afterwards. */
async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'nimbus-policy-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const keystoneDefaults = {
  admin_required: 'role:admin or is_admin:1',
  owner: 'user_id:%(user_id)s',
  admin_or_owner: 'rule:admin_required or rule:owner',
  'identity:get_user':
    '(rule:admin_required) or (role:reader and system_scope:all) or ' +
    '(role:reader and token.domain.id:%(target.user.domain_id)s) or user_id:%(target.user.id)s',
  'identity:update_user': 'rule:admin_required',
};

const admin: PolicyCredentials = { user_id: 'root', project_id: 'admin-p', roles: ['admin', 'member', 'reader'] };
const alice: PolicyCredentials = { user_id: 'alice', project_id: 'p1', roles: ['member', 'reader'] };
const bob: PolicyCredentials = { user_id: 'bob', project_id: 'p1', roles: ['member', 'reader'] };

function keystone(): PolicyEnforcer {
  const enforcer = new PolicyEnforcer();
  enforcer.registerDefaults(keystoneDefaults);
  return enforcer;
}

test('enforce evaluates registered defaults, following rule: references', () => {
  const enforcer = keystone();
  const target = { 'target.user.id': 'alice', 'target.user.domain_id': 'default' };
  assert.equal(enforcer.enforce('identity:get_user', target, admin), true);
  assert.equal(enforcer.enforce('identity:get_user', target, alice), true);
  assert.equal(enforcer.enforce('identity:get_user', target, bob), false);
  assert.equal(enforcer.enforce('identity:update_user', target, alice), false);
  assert.equal(enforcer.enforce('admin_or_owner', { user_id: 'bob' }, bob), true);
  assert.equal(enforcer.enforce('admin_or_owner', { user_id: 'alice' }, bob), false);
});

test('a Keystone domain reader is judged by the nested token credentials', () => {
  const enforcer = keystone();
  const target = { target: { user: { id: 'carol', domain_id: 'd1' } } };
  const domainReader: PolicyCredentials = { user_id: 'dr', domain_id: 'd1', roles: ['reader'], token: { domain: { id: 'd1' } } };
  const otherDomainReader: PolicyCredentials = { ...domainReader, token: { domain: { id: 'd2' } } };
  const systemReader: PolicyCredentials = { user_id: 'ops', system_scope: 'all', roles: ['reader'] };
  assert.equal(enforcer.enforce('identity:get_user', target, domainReader), true);
  assert.equal(enforcer.enforce('identity:get_user', target, otherDomainReader), false);
  assert.equal(enforcer.enforce('identity:get_user', target, systemReader), true);
});

test('credentials built by policyCredentials() work unchanged', () => {
  const enforcer = keystone();
  const auth: CallerContext = {
    token: 't',
    userId: 'dr',
    userName: 'dr',
    userDomainId: 'd1',
    userDomainName: 'D1',
    project: null,
    domain: { id: 'd1', name: 'D1' },
    system: false,
    roles: ['Reader'],
    roleIds: ['r1'],
    isAdminProject: false,
    applicationCredentialId: null,
    trustId: null,
    oauthAccessTokenId: null,
    requestId: null,
    auditIds: [],
    expiresAt: new Date(0),
    issuedAt: new Date(0),
  };
  const credentials: PolicyCredentials = policyCredentials(auth);
  assert.equal(enforcer.enforce('identity:get_user', { 'target.user.domain_id': 'd1', 'target.user.id': 'x' }, credentials), true);
  assert.equal(enforcer.enforce('identity:get_user', { 'target.user.domain_id': 'd2', 'target.user.id': 'x' }, credentials), false);
});

test('authorize throws Forbidden with the Keystone message, and passes silently when allowed', () => {
  const enforcer = keystone();
  assert.doesNotThrow(() => enforcer.authorize('identity:update_user', {}, admin));
  assert.throws(
    () => enforcer.authorize('identity:update_user', {}, alice),
    (error: unknown) => {
      assert.ok(error instanceof Forbidden);
      assert.equal(error.status, 403);
      assert.equal(error.message, 'You are not authorized to perform the requested action: identity:update_user.');
      return true;
    },
  );
});

test('unknown actions throw PolicyNotRegistered instead of denying', () => {
  const enforcer = keystone();
  assert.throws(
    () => enforcer.enforce('identity:get_usr', {}, admin),
    (error: unknown) => {
      assert.ok(error instanceof PolicyNotRegistered);
      assert.equal(error.message, 'Policy identity:get_usr has not been registered');
      return true;
    },
  );
  assert.throws(() => enforcer.authorize('identity:get_usr', {}, admin), PolicyNotRegistered);
});

test('registering the same rule twice is fine, a different rule is an error', () => {
  const enforcer = keystone();
  enforcer.registerDefaults({ admin_required: 'role:admin or is_admin:1', 'compute:start': 'rule:admin_required' });
  assert.equal(enforcer.enforce('compute:start', {}, admin), true);
  assert.throws(
    () => enforcer.registerDefaults({ 'compute:stop': '@', admin_required: 'role:admin' }),
    (error: unknown) => {
      assert.ok(error instanceof DuplicatePolicyError);
      assert.match(error.message, /admin_required is already registered as "role:admin or is_admin:1"/);
      return true;
    },
  );
  // The failed call registered nothing.
  assert.throws(() => enforcer.enforce('compute:stop', {}, admin), PolicyNotRegistered);
});

test('a malformed default throws InvalidRuleError naming the policy and registers nothing', () => {
  const enforcer = new PolicyEnforcer();
  assert.throws(
    () => enforcer.registerDefaults({ 'image:get': '@', 'image:delete': 'role:admin or (' }),
    (error: unknown) => {
      assert.ok(error instanceof InvalidRuleError);
      assert.equal(error.policy, 'image:delete');
      assert.equal(error.message, 'Invalid policy rule "role:admin or (" for image:delete: it ends where a check was expected');
      return true;
    },
  );
  assert.deepEqual(enforcer.listRules(), []);
});

test('cycles in defaults are refused, including a rule referring to itself', () => {
  const enforcer = new PolicyEnforcer();
  assert.throws(
    () => enforcer.registerDefaults({ a: 'rule:a' }),
    (error: unknown) => {
      assert.ok(error instanceof PolicyCycleError);
      assert.deepEqual(error.cycle, ['a', 'a']);
      return true;
    },
  );
  enforcer.registerDefaults({ a: 'role:x or rule:b', b: 'role:y and rule:c' });
  assert.throws(
    () => enforcer.registerDefaults({ c: 'not rule:a' }),
    (error: unknown) => {
      assert.ok(error instanceof PolicyCycleError);
      assert.match(error.message, /cycle: (a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c)$/);
      return true;
    },
  );
  // A diamond is not a cycle.
  enforcer.registerDefaults({ c: 'role:z', d: 'rule:a or rule:b or rule:c' });
  assert.equal(enforcer.enforce('d', {}, { roles: ['z', 'y'] }), true);
  assert.equal(enforcer.enforce('d', {}, { roles: ['y'] }), false);
});

test('overrides from a YAML file replace defaults, and rule: follows them', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'policy.yaml');
    await writeFile(
      file,
      [
        '# operator overrides',
        '"admin_required": "role:cloud_admin"',
        '"identity:update_user": "rule:admin_required or rule:helpdesk"',
        '"helpdesk": "role:helpdesk and user_domain_id:%(target.user.domain_id)s"',
        '',
      ].join('\n'),
    );
    const enforcer = keystone();
    await enforcer.loadOverrides(file);
    const helpdesk: PolicyCredentials = { user_id: 'h', user_domain_id: 'd1', roles: ['HelpDesk'] };
    const target = { 'target.user.domain_id': 'd1', 'target.user.id': 'x' };
    assert.equal(enforcer.enforce('identity:update_user', target, admin), false, 'admin is no longer enough');
    assert.equal(enforcer.enforce('identity:update_user', target, { roles: ['cloud_admin'] }), true);
    assert.equal(enforcer.enforce('identity:update_user', target, helpdesk), true);
    assert.equal(enforcer.enforce('identity:update_user', { ...target, 'target.user.domain_id': 'd2' }, helpdesk), false);
    // identity:get_user kept its default, which refers to the overridden admin_required.
    assert.equal(enforcer.enforce('identity:get_user', target, admin), false);
    assert.equal(enforcer.enforce('identity:get_user', target, { roles: ['cloud_admin'] }), true);
    // A name only the file defines is a helper, not an action.
    assert.throws(() => enforcer.enforce('helpdesk', target, helpdesk), PolicyNotRegistered);
  });
});

test('overrides from a JSON file, and reloading replaces earlier overrides', async () => {
  await withTempDir(async (dir) => {
    const json = join(dir, 'policy.json');
    await writeFile(json, JSON.stringify({ 'identity:update_user': '@', extra: '!' }, null, 2));
    const enforcer = keystone();
    await enforcer.loadOverrides(json);
    assert.equal(enforcer.enforce('identity:update_user', {}, bob), true);
    assert.ok(enforcer.listRules().some((rule) => rule.name === 'extra'));

    const yaml = join(dir, 'policy.yaml');
    await writeFile(yaml, 'owner: "user_id:%(target.user.id)s"\n');
    await enforcer.loadOverrides(yaml);
    assert.equal(enforcer.enforce('identity:update_user', {}, bob), false, 'back to the default');
    assert.ok(!enforcer.listRules().some((rule) => rule.name === 'extra'));
    assert.equal(enforcer.enforce('admin_or_owner', { 'target.user.id': 'bob' }, bob), true);
  });
});

test('a missing or empty file means no overrides', async () => {
  await withTempDir(async (dir) => {
    const enforcer = keystone();
    await enforcer.loadOverrides(join(dir, 'policy.json'));
    await enforcer.loadOverrides(join(dir, 'policy.yaml'));
    const empty = join(dir, 'empty.yaml');
    await writeFile(empty, '# nothing overridden yet\n');
    await enforcer.loadOverrides(empty);
    assert.ok(enforcer.listRules().every((rule) => !rule.overridden));
    assert.equal(enforcer.enforce('identity:update_user', {}, admin), true);
  });
});

test('bad policy files throw PolicyFileError naming the file (and rule) and change nothing', async () => {
  await withTempDir(async (dir) => {
    const cases: Array<[string, string, RegExp]> = [
      ['syntax.yaml', '"identity:update_user": "@"\n  bad: [unclosed\n', /is not valid YAML or JSON/],
      ['syntax.json', '{"identity:update_user": "@",}x', /is not valid YAML or JSON/],
      ['duplicate.yaml', 'a: "@"\na: "!"\n', /is not valid YAML or JSON/],
      ['list.yaml', '- "role:admin"\n', /must be a mapping/],
      ['scalar.yaml', 'role:admin\n', /must be a mapping/],
      ['old-format.json', '{"identity:update_user": [["role:admin"]]}', /rule "identity:update_user" must be a string/],
      ['bad-rule.yaml', '"identity:update_user": "@"\n"identity:get_user": "role:admin or"\n', /Invalid policy rule "role:admin or" for identity:get_user: /],
      ['http.yaml', '"identity:get_user": "http://authz.example.com/"\n', /for identity:get_user: "http:" checks/],
      ['cycle.yaml', '"admin_required": "rule:admin_or_owner"\n', /cycle: .*admin_required/],
    ];
    const enforcer = keystone();
    const good = join(dir, 'good.yaml');
    await writeFile(good, '"identity:update_user": "role:member"\n');
    await enforcer.loadOverrides(good);
    for (const [name, content, reason] of cases) {
      const file = join(dir, name);
      await writeFile(file, content);
      await assert.rejects(enforcer.loadOverrides(file), (error: unknown) => {
        assert.ok(error instanceof PolicyFileError, `${name}: ${String(error)}`);
        assert.equal(error.file, file);
        assert.ok(error.message.startsWith(`Policy file ${file}: `), error.message);
        assert.match(error.message, reason, name);
        return true;
      });
      // The previous overrides are still in force.
      assert.equal(enforcer.enforce('identity:update_user', {}, bob), true, name);
      assert.equal(enforcer.enforce('identity:get_user', { 'target.user.id': 'bob' }, bob), true, name);
    }
    await assert.rejects(enforcer.loadOverrides(dir), (error: unknown) => error instanceof PolicyFileError && /cannot be read/.test(error.message));
  });
});

test('listRules reports effective rules, their defaults and overrides, sorted', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'policy.yaml');
    await writeFile(file, '"identity:update_user": "role:member"\nzz_helper: "role:x"\n');
    const enforcer = new PolicyEnforcer();
    enforcer.registerDefaults({ 'identity:update_user': 'rule:admin_required', admin_required: 'role:admin' });
    await enforcer.loadOverrides(file);
    assert.deepEqual(enforcer.listRules(), [
      { name: 'admin_required', rule: 'role:admin', defaultRule: 'role:admin', overridden: false },
      { name: 'identity:update_user', rule: 'role:member', defaultRule: 'rule:admin_required', overridden: true },
      { name: 'zz_helper', rule: 'role:x', defaultRule: undefined, overridden: true },
    ]);
  });
});

test('overrides loaded before defaults still win, and a default closing a cycle is refused', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'policy.yaml');
    await writeFile(file, '"compute:start": "rule:compute:owner"\n');
    const enforcer = new PolicyEnforcer();
    await enforcer.loadOverrides(file);
    enforcer.registerDefaults({ 'compute:start': 'role:admin', 'compute:owner': 'project_id:%(project_id)s' });
    assert.equal(enforcer.enforce('compute:start', { project_id: 'p1' }, alice), true);
    assert.equal(enforcer.enforce('compute:start', { project_id: 'p2' }, admin), false);
    assert.throws(() => enforcer.registerDefaults({ 'compute:owner': 'rule:compute:start' }), DuplicatePolicyError);
    const other = new PolicyEnforcer();
    await other.loadOverrides(file);
    assert.throws(() => other.registerDefaults({ 'compute:owner': 'rule:compute:start', 'compute:start': '@' }), PolicyCycleError);
  });
});

test('danglingReferences names rule: references to undefined rules', () => {
  const enforcer = new PolicyEnforcer();
  enforcer.registerDefaults({ a: 'rule:b or rule:missing', b: 'role:admin' });
  assert.deepEqual(enforcer.danglingReferences(), ['a -> missing']);
  enforcer.registerDefaults({ missing: '@' });
  assert.deepEqual(enforcer.danglingReferences(), []);
});
