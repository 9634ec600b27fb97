/**
 * The identity API through Debian's `openstack` CLI, as a user drives it.
 * Skips (saying why) where python3-openstackclient is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { openstack, openstackAvailable, openstackJson } from './openstack.js';

const skip = openstackAvailable() ? false : 'the openstack CLI is not installed (apt-get install python3-openstackclient)';

describe('openstack CLI: identity', { skip }, () => {
  let cloud: TestServer;
  const admin = (args: string[]) => openstackJson<Record<string, string>>(cloud.cloudsYaml, ['--os-cloud', 'nimbus', ...args]);
  const adminList = (args: string[]) => openstackJson<Array<Record<string, string>>>(cloud.cloudsYaml, ['--os-cloud', 'nimbus', ...args]);
  const adminRun = (args: string[]) => openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus', ...args]);

  before(async () => {
    cloud = await startTestServer();
  });
  after(() => cloud?.close());

  test('token issue, catalog list, endpoint list', async () => {
    const token = await admin(['token', 'issue']);
    assert.ok(token.id && token.project_id && token.user_id);
    const catalog = await adminList(['catalog', 'list']);
    assert.ok(catalog.some((entry) => entry.Type === 'identity' && entry.Name === 'keystone'));
    const endpoints = await adminList(['endpoint', 'list']);
    assert.deepEqual(
      endpoints
        .filter((e) => e['Service Type'] === 'identity')
        .map((e) => e.Interface)
        .sort(),
      ['admin', 'internal', 'public'],
    );
  });

  test('create, list, show and delete domains, projects, users, groups and roles', async () => {
    const domain = await admin(['domain', 'create', 'cli-domain', '--description', 'made by the CLI']);
    assert.equal((await admin(['domain', 'show', 'cli-domain'])).id, domain.id);
    const project = await admin(['project', 'create', 'cli-project', '--domain', 'cli-domain']);
    assert.ok((await adminList(['project', 'list', '--domain', 'cli-domain'])).some((p) => p.ID === project.id));
    const user = await admin(['user', 'create', 'cli-user', '--domain', 'cli-domain', '--password', 'cli-secret-1', '--project', project.id as string]);
    assert.equal((await admin(['user', 'show', user.id as string])).name, 'cli-user');
    const group = await admin(['group', 'create', 'cli-group', '--domain', 'cli-domain']);
    assert.equal((await adminRun(['group', 'add', 'user', group.id as string, user.id as string])).code, 0);
    assert.ok((await adminList(['user', 'list', '--group', group.id as string])).some((u) => u.ID === user.id));
    const role = await admin(['role', 'create', 'cli-role']);
    assert.equal((await admin(['role', 'show', 'cli-role'])).id, role.id);

    assert.equal((await adminRun(['role', 'add', '--user', user.id as string, '--project', project.id as string, 'member'])).code, 0);
    const assignments = await adminList(['role', 'assignment', 'list', '--names', '--user', user.id as string]);
    assert.deepEqual(
      assignments.map((a) => [a.Role, a.User, a.Project]),
      [['member', 'cli-user@cli-domain', 'cli-project@cli-domain']],
    );

    for (const args of [
      ['role', 'delete', 'cli-role'],
      ['group', 'delete', group.id as string],
      ['user', 'delete', user.id as string],
      ['project', 'delete', project.id as string],
      ['domain', 'set', '--disable', 'cli-domain'],
      ['domain', 'delete', 'cli-domain'],
    ]) {
      const result = await adminRun(args);
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    }
    const gone = await adminRun(['project', 'show', project.id as string]);
    assert.notEqual(gone.code, 0);
  });

  test('project show --parents --children, and the hierarchy as lists of the projects the caller holds roles in (issue 21)', async () => {
    const top = await admin(['project', 'create', 'tree-top']);
    const middle = await admin(['project', 'create', 'tree-middle', '--parent', 'tree-top']);
    const leaf = await admin(['project', 'create', 'tree-leaf', '--parent', 'tree-middle']);
    const hidden = await admin(['project', 'create', 'tree-hidden', '--parent', 'tree-middle']);
    // The CLI asks for the id trees (parents_as_ids, subtree_as_ids): every project, the domain at the top.
    const shown = await admin(['project', 'show', 'tree-middle', '--parents', '--children']);
    assert.equal(shown.id, middle.id);
    assert.deepEqual(shown.parents, { [top.id as string]: { default: null } });
    assert.deepEqual(shown.subtree, { [leaf.id as string]: null, [hidden.id as string]: null });

    const token = await cloud.adminToken();
    const lists = () => cloud.request('GET', `/identity/v3/projects/${middle.id}?parents_as_list&subtree_as_list`, { token });
    const ids = (list: unknown) => (list as Array<{ project: { id: string } }>).map((entry) => entry.project.id);
    const before = (await lists()).body.project;
    assert.deepEqual([ids(before.parents), ids(before.subtree)], [[], []], 'no role on any of them: none listed');
    for (const project of ['tree-top', 'tree-leaf']) {
      assert.equal((await adminRun(['role', 'add', '--user', 'admin', '--project', project, 'member'])).code, 0);
    }
    const after = (await lists()).body.project;
    assert.deepEqual(ids(after.parents), [top.id]);
    assert.deepEqual(ids(after.subtree), [leaf.id]);
    const both = await cloud.request('GET', `/identity/v3/projects/${middle.id}?parents_as_list&parents_as_ids`, { token });
    assert.equal(both.status, 400);
    assert.match(both.body.error.message, /Cannot use parents_as_list and parents_as_ids/);
  });

  test('application credential: create, then authenticate with it', async () => {
    const user = await admin(['user', 'create', 'app-user', '--password', 'app-secret-1']);
    await adminRun(['role', 'add', '--user', 'app-user', '--project', 'demo', 'member']);
    const asUser = {
      OS_AUTH_URL: `${cloud.identityUrl}/v3`,
      OS_USERNAME: 'app-user',
      OS_PASSWORD: 'app-secret-1',
      OS_PROJECT_NAME: 'demo',
      OS_USER_DOMAIN_NAME: 'Default',
      OS_PROJECT_DOMAIN_NAME: 'Default',
      OS_IDENTITY_API_VERSION: '3',
    };
    const credential = await openstackJson<Record<string, string>>('/dev/null', ['application', 'credential', 'create', 'ci-cred'], asUser);
    assert.ok(credential.secret);
    const token = await openstackJson<Record<string, string>>('/dev/null', ['token', 'issue'], {
      OS_AUTH_TYPE: 'v3applicationcredential',
      OS_AUTH_URL: `${cloud.identityUrl}/v3`,
      OS_APPLICATION_CREDENTIAL_ID: credential.id as string,
      OS_APPLICATION_CREDENTIAL_SECRET: credential.secret as string,
      OS_IDENTITY_API_VERSION: '3',
    });
    assert.equal(token.user_id, user.id);
    assert.ok(token.project_id);
  });

  test('token revoke: the revoked token no longer works', async () => {
    const token = (await admin(['token', 'issue'])).id as string;
    const withToken = {
      OS_AUTH_TYPE: 'token',
      OS_TOKEN: token,
      OS_AUTH_URL: `${cloud.identityUrl}/v3`,
      OS_PROJECT_NAME: 'admin',
      OS_PROJECT_DOMAIN_NAME: 'Default',
      OS_IDENTITY_API_VERSION: '3',
    };
    const before = await openstack('/dev/null', ['project', 'list', '-f', 'json'], withToken);
    assert.equal(before.code, 0, before.stderr);
    assert.equal((await adminRun(['token', 'revoke', token])).code, 0);
    const afterRevoke = await openstack('/dev/null', ['project', 'list', '-f', 'json'], withToken);
    assert.notEqual(afterRevoke.code, 0);
    // keystoneauth exchanges the token with the token method, which Keystone answers with 404.
    assert.match(afterRevoke.stderr, /Could not find token: .*\(HTTP 404\)/);
  });

  test('the demo user is refused admin operations with 403', async () => {
    const result = await openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', 'user', 'create', 'not-allowed']);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /HTTP 403/);
    const own = await openstackJson<Array<Record<string, string>>>(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', 'project', 'list', '--my-projects']);
    assert.deepEqual(
      own.map((p) => p.Name),
      ['demo'],
    );
  });

  test('ec2 credentials: the demo user creates, lists, shows and deletes a key pair', async () => {
    const demo = (args: string[]) => openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...args]);
    const demoJson = <T>(args: string[]) => openstackJson<T>(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...args]);
    const project = await admin(['project', 'show', 'demo']);
    const user = await admin(['user', 'show', 'demo']);

    const created = await demoJson<Record<string, string | null>>(['ec2', 'credentials', 'create']);
    assert.match(created.access ?? '', /^[0-9a-f]{32}$/);
    assert.match(created.secret ?? '', /^[0-9a-f]{32}$/);
    assert.deepEqual([created.project_id, created.user_id, created.trust_id], [project.id, user.id, null]);

    const listed = await demoJson<Array<Record<string, string>>>(['ec2', 'credentials', 'list']);
    assert.deepEqual(listed, [{ Access: created.access, Secret: created.secret, 'Project ID': project.id, 'User ID': user.id }]);
    const shown = await demoJson<Record<string, string | null>>(['ec2', 'credentials', 'show', created.access as string]);
    assert.deepEqual([shown.access, shown.secret, shown.project_id], [created.access, created.secret, project.id]);
    const stored = await adminList(['credential', 'list', '--type', 'ec2', '--user', 'demo']);
    assert.equal(stored.length, 1);

    const deleted = await demo(['ec2', 'credentials', 'delete', created.access as string]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.deepEqual(await demoJson(['ec2', 'credentials', 'list']), []);
    const gone = await demo(['ec2', 'credentials', 'show', created.access as string]);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /HTTP 404/);
  });
  test('trusts: the trustor creates one, the trustee gets a trust-scoped token with it, the trustor deletes it', async () => {
    const trustee = await admin(['user', 'create', 'cli-trustee', '--domain', 'default', '--password', 'trustee-secret-1']);
    const demoToken = await openstackJson<Record<string, string>>(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', 'token', 'issue']);
    const member = await admin(['role', 'show', 'member']);
    const demoJson = (args: string[]) => openstackJson<Record<string, unknown>>(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...args]);
    // Ids throughout: the CLI falls back to them where the demo user may not look users and roles up.
    const trust = await demoJson([
      'trust',
      'create',
      '--project',
      demoToken.project_id as string,
      '--role',
      member.id as string,
      '--impersonate',
      demoToken.user_id as string,
      trustee.id as string,
    ]);
    assert.equal(trust.impersonation, true);
    assert.equal(trust.project_id, demoToken.project_id);
    assert.match(String(trust.roles), /member/);
    assert.ok((await adminList(['trust', 'list'])).some((t) => t.ID === trust.id));
    assert.equal((await demoJson(['trust', 'show', trust.id as string])).trustee_user_id, trustee.id);

    const asTrustee = [
      '--os-auth-url',
      cloud.identityUrl,
      '--os-identity-api-version',
      '3',
      '--os-username',
      'cli-trustee',
      '--os-password',
      'trustee-secret-1',
      '--os-user-domain-id',
      'default',
      '--os-trust-id',
      trust.id as string,
    ];
    const trustToken = await openstackJson<Record<string, string>>(cloud.cloudsYaml, [...asTrustee, 'token', 'issue']);
    assert.equal(trustToken.project_id, demoToken.project_id);
    assert.equal(trustToken.user_id, demoToken.user_id); // impersonating: the trustor

    const deleted = await openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', 'trust', 'delete', trust.id as string]);
    assert.equal(deleted.code, 0, deleted.stderr);
    const gone = await openstack(cloud.cloudsYaml, [...asTrustee, 'token', 'issue']);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /401|Could not find trust/);
  });
  test('federation: identity provider, mapping, protocol and service provider through the CLI; the mapping engine on an assertion', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nimbus-federation-'));
    try {
      const rules = [
        {
          local: [{ user: { name: '{0}' } }, { groups: '{1}', domain: { id: 'default' } }],
          remote: [{ type: 'REMOTE_USER' }, { type: 'GROUPS', whitelist: ['admins'] }],
        },
      ];
      // The CLI reads the rules list; keystone-manage's mapping engine reads {"rules": [...]}.
      const rulesList = join(dir, 'rules.json');
      writeFileSync(rulesList, JSON.stringify(rules));
      const mappingFile = join(dir, 'mapping.json');
      writeFileSync(mappingFile, JSON.stringify({ rules }));
      const idp = await admin(['identity', 'provider', 'create', '--remote-id', 'https://idp.example/', '--domain', 'default', 'cli-idp']);
      assert.equal(idp.domain_id, 'default');
      const mapping = await admin(['mapping', 'create', '--rules', rulesList, 'cli-map']);
      assert.equal(mapping.id, 'cli-map');
      const protocol = await admin(['federation', 'protocol', 'create', '--identity-provider', 'cli-idp', '--mapping', 'cli-map', 'saml2']);
      assert.equal(protocol.mapping, 'cli-map');
      assert.ok((await adminList(['federation', 'protocol', 'list', '--identity-provider', 'cli-idp'])).some((p) => p.id === 'saml2'));
      const sp = await admin([
        'service',
        'provider',
        'create',
        '--auth-url',
        'https://sp.example/v3/auth',
        '--service-provider-url',
        'https://sp.example/ECP',
        '--enable',
        'cli-sp',
      ]);
      assert.equal(sp.enabled, true);
      assert.ok((await adminList(['service', 'provider', 'list'])).some((p) => p.ID === 'cli-sp'));
      assert.equal((await adminRun(['identity', 'provider', 'set', '--enable', 'cli-idp'])).code, 0);
      assert.equal((await admin(['identity', 'provider', 'show', 'cli-idp'])).enabled, true);

      const input = join(dir, 'assertion.txt');
      writeFileSync(input, 'REMOTE_USER: alice\nGROUPS: admins;guests\n');
      const engine = spawnSync(process.execPath, ['dist/src/cli/main.js', 'manage', 'mapping-engine', '--rules', mappingFile, '--input', input], {
        encoding: 'utf8',
      });
      assert.equal(engine.status, 0, engine.stderr);
      assert.deepEqual(JSON.parse(engine.stdout), {
        user: { name: 'alice', type: 'ephemeral' },
        group_ids: [],
        group_names: [{ name: 'admins', domain: { id: 'default' } }],
        projects: [],
      });

      for (const args of [
        ['federation', 'protocol', 'delete', '--identity-provider', 'cli-idp', 'saml2'],
        ['mapping', 'delete', 'cli-map'],
        ['identity', 'provider', 'delete', 'cli-idp'],
        ['service', 'provider', 'delete', 'cli-sp'],
      ]) {
        const result = await adminRun(args);
        assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
      }
      assert.match((await adminRun(['mapping', 'show', 'cli-map'])).stderr, /404/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
