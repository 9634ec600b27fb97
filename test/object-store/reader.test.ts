/**
 * The secure-RBAC reader persona, as keystoneauth's project_reader_roles
 * (`reader`, as DevStack configures it): a user with only `reader` on a
 * project lists and reads that project's account, containers and objects,
 * never sees the owner-only headers, and is refused every write (PUT, POST,
 * DELETE, COPY on account, container and object; bulk operations; copies).
 * Another project's account stays closed to it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSwiftCloud, type SwiftTestCloud } from './support.js';

describe('object store: a reader-only user', () => {
  let t: SwiftTestCloud;
  let reader: string;
  let account: string;
  before(async () => {
    t = await startSwiftCloud();
    account = t.demoAccount;
    const project = account.split('AUTH_')[1] as string;
    const created = await t.cloud.request('POST', '/identity/v3/users', {
      token: t.adminToken,
      body: { user: { name: 'swift-reader', password: 'reader-pw', domain_id: 'default' } },
    });
    const roles = await t.cloud.request('GET', '/identity/v3/roles?name=reader', { token: t.adminToken });
    const granted = await t.cloud.request('PUT', `/identity/v3/projects/${project}/users/${created.body.user.id}/roles/${roles.body.roles[0].id}`, {
      token: t.adminToken,
    });
    assert.equal(granted.status, 204);
    reader = await t.cloud.token({ name: 'swift-reader', password: 'reader-pw' }, { project: { id: project } });
    await t.swift('PUT', `${account}/docs`, {
      token: t.demoToken,
      headers: { 'x-container-write': 'other-project:other-user', 'x-container-meta-color': 'blue' },
    });
    await t.swift('PUT', `${account}/docs/a.txt`, { token: t.demoToken, body: 'alpha' });
    await t.swift('POST', account, { token: t.demoToken, headers: { 'x-account-meta-temp-url-key': 'secret', 'x-account-meta-team': 'blue' } });
  });
  after(() => t?.cloud.close());

  test('reads the account, its containers and objects, without the owner-only headers', async () => {
    const head = await t.swift('HEAD', account, { token: reader });
    assert.equal(head.status, 204);
    assert.equal(head.headers.get('x-account-meta-team'), 'blue');
    assert.equal(head.headers.get('x-account-meta-temp-url-key'), null);
    assert.equal((await t.swift('GET', account, { token: reader })).text, 'docs\n');
    const container = await t.swift('HEAD', `${account}/docs`, { token: reader });
    assert.equal(container.status, 204);
    assert.equal(container.headers.get('x-container-meta-color'), 'blue');
    assert.equal(container.headers.get('x-container-write'), null);
    assert.equal((await t.swift('GET', `${account}/docs`, { token: reader })).text, 'a.txt\n');
    assert.equal((await t.swift('GET', `${account}/docs/a.txt`, { token: reader })).text, 'alpha');
    assert.equal((await t.swift('HEAD', `${account}/docs/a.txt`, { token: reader })).status, 200);
    // The owner still sees them.
    assert.equal((await t.swift('HEAD', `${account}/docs`, { token: t.demoToken })).headers.get('x-container-write'), 'other-project:other-user');
  });

  test('every write is 403 and changes nothing', async () => {
    const writes: Array<[string, string, Record<string, string>?, string?]> = [
      ['POST', account, { 'x-account-meta-team': 'red' }],
      ['PUT', `${account}/new`],
      ['POST', `${account}/docs`, { 'x-container-meta-color': 'red' }],
      ['DELETE', `${account}/docs`],
      ['PUT', `${account}/docs/b.txt`, {}, 'beta'],
      ['PUT', `${account}/docs/c.txt`, { 'x-copy-from': 'docs/a.txt' }],
      ['POST', `${account}/docs/a.txt`, { 'x-object-meta-x': 'y' }],
      ['DELETE', `${account}/docs/a.txt`],
      ['COPY', `${account}/docs/a.txt`, { destination: 'docs/d.txt' }],
    ];
    for (const [method, path, headers, body] of writes) {
      const response = await t.swift(method, path, { token: reader, headers, body });
      assert.equal(response.status, 403, `${method} ${path}`);
    }
    const bulk = await t.swift('POST', `${account}?bulk-delete`, { token: reader, body: '/docs/a.txt\n/docs', headers: { accept: 'application/json' } });
    assert.deepEqual(JSON.parse(bulk.text).Errors, [
      ['/docs/a.txt', '403 Forbidden'],
      ['/docs', '403 Forbidden'],
    ]);
    assert.equal((await t.swift('GET', `${account}/docs`, { token: t.demoToken })).text, 'a.txt\n');
    assert.equal((await t.swift('HEAD', `${account}/docs`, { token: t.demoToken })).headers.get('x-container-meta-color'), 'blue');
    assert.equal((await t.swift('HEAD', account, { token: t.demoToken })).headers.get('x-account-meta-team'), 'blue');
    assert.equal((await t.swift('HEAD', `${account}/docs/a.txt`, { token: t.demoToken })).headers.get('x-object-meta-x'), null);
  });

  test("another project's account stays closed to the reader", async () => {
    assert.equal((await t.swift('GET', t.adminAccount, { token: reader })).status, 403);
    await t.swift('PUT', `${t.adminAccount}/closed`);
    assert.equal((await t.swift('GET', `${t.adminAccount}/closed`, { token: reader })).status, 403);
  });
});
