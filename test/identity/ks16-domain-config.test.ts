import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';

import type { Json as Body } from '../support/json.js';

describe('identity: domain-specific configuration', () => {
  let cloud: TestServer;
  let admin: string;
  let demo: string;
  let domainId: string;

  const call = (method: string, path: string, body?: Body, token = admin) => cloud.request(method, `/identity/v3${path}`, { token, ...(body && { body }) });

  before(async () => {
    cloud = await startTestServer();
    admin = await cloud.adminToken();
    demo = await cloud.demoToken();
    domainId = (await call('POST', '/domains', { domain: { name: 'cfg-domain' } })).body.domain.id;
  });
  after(() => cloud.close());

  test('PUT creates (201) then replaces (200); the ldap password is kept but never shown', async () => {
    const config = { identity: { driver: 'ldap' }, ldap: { url: 'ldap://example.com', user: 'cn=admin', password: 'secret' } };
    const created = await call('PUT', `/domains/${domainId}/config`, { config });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.config, { identity: { driver: 'ldap' }, ldap: { url: 'ldap://example.com', user: 'cn=admin' } });
    assert.deepEqual((await call('GET', `/domains/${domainId}/config/ldap`)).body.config, { ldap: { url: 'ldap://example.com', user: 'cn=admin' } });
    assert.deepEqual((await call('GET', `/domains/${domainId}/config/ldap/url`)).body.config, { url: 'ldap://example.com' });
    assert.equal((await call('GET', `/domains/${domainId}/config/ldap/user_tree_dn`)).status, 404);

    const replaced = await call('PUT', `/domains/${domainId}/config`, { config: { identity: { driver: 'sql', list_limit: 5 } } });
    assert.equal(replaced.status, 200);
    assert.deepEqual((await call('GET', `/domains/${domainId}/config`)).body.config, { identity: { driver: 'sql', list_limit: 5 } });
  });

  test('PATCH merges; aimed at a group or option it must name that alone and it must be set', async () => {
    const merged = await call('PATCH', `/domains/${domainId}/config`, { config: { ldap: { url: 'ldap://two' } } });
    assert.deepEqual(merged.body.config, { identity: { driver: 'sql', list_limit: 5 }, ldap: { url: 'ldap://two' } });
    assert.equal(
      (await call('PATCH', `/domains/${domainId}/config/identity`, { config: { identity: { driver: 'ldap' } } })).body.config.identity.driver,
      'ldap',
    );
    assert.equal((await call('PATCH', `/domains/${domainId}/config/identity/list_limit`, { config: { list_limit: 7 } })).body.config.identity.list_limit, 7);
    assert.equal((await call('PATCH', `/domains/${domainId}/config/identity`, { config: { ldap: { url: 'x' } } })).status, 403);
    assert.equal((await call('PATCH', `/domains/${domainId}/config/ldap/user`, { config: { user: 'x' } })).status, 404);
  });

  test('only the identity and ldap groups and their options are accepted (403)', async () => {
    const bad = await call('PUT', `/domains/${domainId}/config`, { config: { token: { expiration: 5 } } });
    assert.equal(bad.status, 403);
    assert.equal(bad.body.error.message, 'Invalid domain specific configuration: Group token is not supported for domain specific configurations.');
    assert.equal((await call('PUT', `/domains/${domainId}/config`, { config: { ldap: { colour: 'red' } } })).status, 403);
    assert.equal((await call('PUT', `/domains/${domainId}/config`, { config: {} })).status, 403);
    assert.equal((await call('PUT', `/domains/${domainId}/config`, { config: { ldap: {} } })).status, 403);
    assert.equal((await call('GET', `/domains/${domainId}/config/token`)).status, 403);
    assert.equal((await call('PUT', '/domains/nope/config', { config: { identity: { driver: 'sql' } } })).status, 404);
  });

  test('DELETE an option, a group, everything; a missing one is 404', async () => {
    assert.equal((await call('DELETE', `/domains/${domainId}/config/ldap/url`)).status, 204);
    assert.equal((await call('DELETE', `/domains/${domainId}/config/ldap/url`)).status, 404);
    assert.equal((await call('DELETE', `/domains/${domainId}/config/identity`)).status, 204);
    assert.equal((await call('GET', `/domains/${domainId}/config/identity`)).status, 404);
    assert.equal((await call('DELETE', `/domains/${domainId}/config`)).status, 204);
    const none = await call('GET', `/domains/${domainId}/config`);
    assert.equal(none.status, 404);
    assert.equal(none.body.error.message, `Could not find any options in domain configuration for domain ${domainId}.`);
  });

  test("defaults are Keystone's; the password has none to show", async () => {
    const all = (await call('GET', '/domains/config/default')).body.config;
    assert.deepEqual(all.identity, { driver: 'sql', list_limit: null });
    assert.equal(all.ldap.url, 'ldap://localhost');
    assert.equal(all.ldap.password, undefined);
    assert.deepEqual((await call('GET', '/domains/config/ldap/pool_size/default')).body.config, { pool_size: 10 });
    assert.equal((await call('GET', '/domains/config/ldap/password/default')).status, 403);
    assert.equal((await call('GET', '/domains/config/token/default')).status, 403);
  });

  test('admins only, except the default domain password rules anyone may read', async () => {
    assert.equal((await call('GET', '/domains/config/default', undefined, demo)).status, 403);
    assert.equal((await call('PUT', `/domains/${domainId}/config`, { config: { identity: { driver: 'sql' } } }, demo)).status, 403);
    const rules = await call('GET', '/domains/default/config/security_compliance', undefined, demo);
    assert.deepEqual(rules.body.config, { security_compliance: { password_regex: null, password_regex_description: null } });
    assert.equal((await call('GET', '/domains/default/config/security_compliance/lockout_duration', undefined, demo)).status, 403);
    assert.equal((await call('GET', `/domains/${domainId}/config/security_compliance`, undefined, demo)).status, 403);
  });

  test('a deleted domain takes its configuration along (a new domain with its id starts with none)', async () => {
    const make = () => call('POST', '/domains', { domain: { name: 'cfg-doomed', explicit_domain_id: 'cfgdoomed00000000000000000000000' } });
    const doomed = (await make()).body.domain.id;
    await call('PUT', `/domains/${doomed}/config`, { config: { identity: { driver: 'ldap' } } });
    await call('PATCH', `/domains/${doomed}`, { domain: { enabled: false } });
    assert.equal((await call('DELETE', `/domains/${doomed}`)).status, 204);
    assert.equal((await make()).body.domain.id, doomed);
    assert.equal((await call('GET', `/domains/${doomed}/config`)).status, 404);
  });
});
