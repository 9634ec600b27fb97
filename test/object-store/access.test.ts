/**
 * Who may do what, as keystoneauth decides: owners, another project's user
 * (403 unless an ACL grants it), anonymous callers (401 unless `.r:*`), the
 * reseller admin's account quotas, and temp URLs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startSwiftCloud, type SwiftTestCloud } from './support.js';

describe('object store: access', () => {
  let t: SwiftTestCloud;
  let demoUserId: string;
  let demoProjectId: string;
  before(async () => {
    t = await startSwiftCloud();
    const token = await t.cloud.request('GET', '/identity/v3/auth/tokens', { token: t.demoToken, headers: { 'x-subject-token': t.demoToken } });
    demoUserId = token.body.token.user.id;
    demoProjectId = token.body.token.project.id;
    await t.swift('PUT', `${t.adminAccount}/shared`);
    await t.swift('PUT', `${t.adminAccount}/shared/doc`, { body: 'secret' });
  });
  after(() => t?.cloud.close());

  test('another project is 403 on the account and on objects without an ACL; anonymous is 401', async () => {
    assert.equal((await t.swift('GET', t.adminAccount, { token: t.demoToken })).status, 403);
    assert.equal((await t.swift('GET', `${t.adminAccount}/shared/doc`, { token: t.demoToken })).status, 403);
    assert.equal((await t.swift('GET', `${t.adminAccount}/shared/doc`, { token: null })).status, 401);
    assert.equal((await t.swift('GET', `${t.adminAccount}/shared/doc`, { token: 'not-a-token' })).status, 401);
  });

  test('a project:user read ACL lets that user read, not write; a write ACL lets it write', async () => {
    await t.swift('POST', `${t.adminAccount}/shared`, { headers: { 'x-container-read': `${demoProjectId}:${demoUserId}` } });
    assert.equal((await t.swift('GET', `${t.adminAccount}/shared/doc`, { token: t.demoToken })).text, 'secret');
    assert.equal((await t.swift('PUT', `${t.adminAccount}/shared/new`, { token: t.demoToken, body: 'x' })).status, 403);
    await t.swift('POST', `${t.adminAccount}/shared`, { headers: { 'x-container-write': '*:*' } });
    assert.equal((await t.swift('PUT', `${t.adminAccount}/shared/new`, { token: t.demoToken, body: 'x' })).status, 201);
    // Container management stays with the owner.
    assert.equal((await t.swift('POST', `${t.adminAccount}/shared`, { token: t.demoToken, headers: { 'x-container-read': '.r:*' } })).status, 403);
  });

  test('.r:* allows anonymous reads; listings need .rlistings', async () => {
    await t.swift('PUT', `${t.adminAccount}/public`, { headers: { 'x-container-read': '.r:*' } });
    await t.swift('PUT', `${t.adminAccount}/public/page.html`, { body: '<p>hi</p>' });
    assert.equal((await t.swift('GET', `${t.adminAccount}/public/page.html`, { token: null })).text, '<p>hi</p>');
    assert.equal((await t.swift('GET', `${t.adminAccount}/public`, { token: null })).status, 401);
    assert.equal((await t.swift('HEAD', `${t.adminAccount}/public`, { token: null })).status, 401);
    await t.swift('POST', `${t.adminAccount}/public`, { headers: { 'x-container-read': '.r:*,.rlistings' } });
    assert.equal((await t.swift('GET', `${t.adminAccount}/public`, { token: null })).text, 'page.html\n');
    assert.equal((await t.swift('PUT', `${t.adminAccount}/public/x`, { token: null, body: 'x' })).status, 401);
  });

  test('only the reseller admin sets account quotas, which then hold', async () => {
    assert.equal((await t.swift('POST', t.demoAccount, { token: t.demoToken, headers: { 'x-account-meta-quota-bytes': '5' } })).status, 403);
    const admin = await t.cloud.request('GET', '/identity/v3/users?name=admin', { token: t.adminToken });
    const roles = await t.cloud.request('GET', '/identity/v3/roles?name=ResellerAdmin', { token: t.adminToken });
    const adminProject = t.adminAccount.split('AUTH_')[1];
    await t.cloud.request('PUT', `/identity/v3/projects/${adminProject}/users/${admin.body.users[0].id}/roles/${roles.body.roles[0].id}`, {
      token: t.adminToken,
    });
    const reseller = await t.cloud.adminToken();
    assert.equal((await t.swift('POST', t.demoAccount, { token: reseller, headers: { 'x-account-meta-quota-bytes': '5' } })).status, 204);
    await t.swift('PUT', `${t.demoAccount}/mine`, { token: t.demoToken });
    assert.equal((await t.swift('PUT', `${t.demoAccount}/mine/big`, { token: t.demoToken, body: '123456' })).status, 413);
    assert.equal((await t.swift('PUT', `${t.demoAccount}/mine/small`, { token: t.demoToken, body: '12345' })).status, 201);
  });

  test('temp URLs: a signed GET and PUT work without a token; a bad signature or expiry is 401', async () => {
    await t.swift('POST', t.adminAccount, { headers: { 'x-account-meta-temp-url-key': 'k3y' } });
    const path = `${t.adminAccount}/shared/doc`;
    const sign = (method: string, expires: number, digest = 'sha256') => createHmac(digest, 'k3y').update(`${method}\n${expires}\n${path}`).digest('hex');
    const expires = Math.floor(Date.now() / 1000) + 60;
    const get = await t.swift('GET', `${path}?temp_url_sig=${sign('GET', expires)}&temp_url_expires=${expires}`, { token: null });
    assert.equal(get.text, 'secret');
    assert.equal(get.headers.get('content-disposition'), `attachment; filename="doc"; filename*=UTF-8''doc`);
    const sha1 = await t.swift('HEAD', `${path}?temp_url_sig=${sign('GET', expires, 'sha1')}&temp_url_expires=${expires}`, { token: null });
    assert.equal(sha1.status, 200);
    const put = await t.swift('PUT', `${path}?temp_url_sig=${sign('PUT', expires)}&temp_url_expires=${expires}`, { token: null, body: 'replaced' });
    assert.equal(put.status, 201);
    assert.equal((await t.swift('GET', path)).text, 'replaced');
    assert.equal((await t.swift('DELETE', `${path}?temp_url_sig=${sign('GET', expires)}&temp_url_expires=${expires}`, { token: null })).status, 401);
    const past = expires - 120;
    assert.equal((await t.swift('GET', `${path}?temp_url_sig=${sign('GET', past)}&temp_url_expires=${past}`, { token: null })).status, 401);
  });
});

describe('object store: CORS', () => {
  let t: SwiftTestCloud;
  before(async () => {
    t = await startSwiftCloud();
    await t.swift('PUT', `${t.adminAccount}/web`, {
      headers: { 'x-container-meta-access-control-allow-origin': 'https://app.example', 'x-container-meta-access-control-max-age': '600' },
    });
    await t.swift('PUT', `${t.adminAccount}/web/data.json`, { body: '{}', headers: { 'x-object-meta-kind': 'json' } });
  });
  after(() => t?.cloud.close());

  test('a preflight from an allowed origin is answered without a token; others are 401', async () => {
    const ok = await t.swift('OPTIONS', `${t.adminAccount}/web/data.json`, {
      token: null,
      headers: { origin: 'https://app.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-auth-token' },
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(ok.headers.get('access-control-allow-headers'), 'x-auth-token');
    assert.equal(ok.headers.get('access-control-max-age'), '600');
    const other = await t.swift('OPTIONS', `${t.adminAccount}/web/data.json`, {
      token: null,
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    assert.equal(other.status, 401);
  });

  test('an answer to an allowed origin names it and exposes the object metadata', async () => {
    const get = await t.swift('GET', `${t.adminAccount}/web/data.json`, { headers: { origin: 'https://app.example' } });
    assert.equal(get.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.match(get.headers.get('access-control-expose-headers') ?? '', /x-object-meta-kind/);
    const other = await t.swift('GET', `${t.adminAccount}/web/data.json`, { headers: { origin: 'https://evil.example' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });
});
