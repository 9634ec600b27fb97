/**
 * Cross-account copies (Swift's copy middleware with keystoneauth): `COPY`
 * with `Destination-Account` and `PUT` with `X-Copy-From-Account` land in and
 * read from the named accounts, with read rights checked on the source and
 * write rights on the destination, each for the caller's own token.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSwiftCloud, type SwiftTestCloud } from './support.js';

describe('object store: cross-account copy', () => {
  let t: SwiftTestCloud;
  let demoGrant: string;
  let adminName: string;
  let demoName: string;
  before(async () => {
    t = await startSwiftCloud();
    const token = await t.cloud.request('GET', '/identity/v3/auth/tokens', { token: t.demoToken, headers: { 'x-subject-token': t.demoToken } });
    demoGrant = `${token.body.token.project.id}:${token.body.token.user.id}`;
    adminName = t.adminAccount.split('/').pop() as string;
    demoName = t.demoAccount.split('/').pop() as string;
    await t.swift('PUT', `${t.adminAccount}/private`);
    await t.swift('PUT', `${t.adminAccount}/private/doc`, { body: 'admin data' });
    await t.swift('PUT', `${t.adminAccount}/inbox`);
    await t.swift('PUT', `${t.demoAccount}/mine`, { token: t.demoToken });
    await t.swift('PUT', `${t.demoAccount}/mine/note`, { token: t.demoToken, body: 'demo note' });
  });
  after(() => t?.cloud.close());

  test('COPY with Destination-Account is refused without write rights there, and stores nothing', async () => {
    const copy = await t.swift('COPY', `${t.demoAccount}/mine/note`, {
      token: t.demoToken,
      headers: { destination: 'inbox/note', 'destination-account': adminName },
    });
    assert.equal(copy.status, 403);
    assert.equal((await t.swift('HEAD', `${t.adminAccount}/inbox/note`)).status, 404);
    // Nor does it fall back to the caller's own account.
    assert.equal((await t.swift('HEAD', `${t.demoAccount}/inbox/note`, { token: t.demoToken })).status, 404);
  });

  test('COPY with Destination-Account lands in that account once its container grants the caller writes', async () => {
    await t.swift('POST', `${t.adminAccount}/inbox`, { headers: { 'x-container-write': demoGrant } });
    const copy = await t.swift('COPY', `${t.demoAccount}/mine/note`, {
      token: t.demoToken,
      headers: { destination: '/inbox/note', 'destination-account': adminName },
    });
    assert.equal(copy.status, 201);
    assert.equal(copy.headers.get('x-copied-from-account'), demoName);
    assert.equal(copy.headers.get('x-copied-from'), 'mine/note');
    assert.equal((await t.swift('GET', `${t.adminAccount}/inbox/note`)).text, 'demo note');
  });

  test('PUT with X-Copy-From-Account is refused without read rights on the source', async () => {
    const put = await t.swift('PUT', `${t.demoAccount}/mine/stolen`, {
      token: t.demoToken,
      headers: { 'x-copy-from': 'private/doc', 'x-copy-from-account': adminName },
    });
    assert.equal(put.status, 403);
    assert.equal((await t.swift('HEAD', `${t.demoAccount}/mine/stolen`, { token: t.demoToken })).status, 404);
  });

  test('PUT with X-Copy-From-Account reads the other account once its container grants the caller reads', async () => {
    await t.swift('POST', `${t.adminAccount}/private`, { headers: { 'x-container-read': demoGrant } });
    const put = await t.swift('PUT', `${t.demoAccount}/mine/shared`, {
      token: t.demoToken,
      headers: { 'x-copy-from': 'private/doc', 'x-copy-from-account': adminName },
    });
    assert.equal(put.status, 201);
    assert.equal(put.headers.get('x-copied-from-account'), adminName);
    assert.equal((await t.swift('GET', `${t.demoAccount}/mine/shared`, { token: t.demoToken })).text, 'admin data');
    // A read grant is not a write grant: copying into that account stays refused.
    const back = await t.swift('PUT', `${t.adminAccount}/private/copy`, {
      token: t.demoToken,
      headers: { 'x-copy-from': 'mine/note', 'x-copy-from-account': demoName },
    });
    assert.equal(back.status, 403);
  });

  test('the account owner copies between its own containers as before; a missing source is 404', async () => {
    const copy = await t.swift('COPY', `${t.adminAccount}/private/doc`, { headers: { destination: 'inbox/doc', 'destination-account': adminName } });
    assert.equal(copy.status, 201);
    assert.equal((await t.swift('GET', `${t.adminAccount}/inbox/doc`)).text, 'admin data');
    assert.equal((await t.swift('PUT', `${t.adminAccount}/inbox/x`, { headers: { 'x-copy-from': 'mine/none', 'x-copy-from-account': demoName } })).status, 403);
  });

  test('an empty account or one with a slash is 412, as Swift checks the account header', async () => {
    const empty = await t.swift('COPY', `${t.adminAccount}/private/doc`, { headers: { destination: 'inbox/e', 'destination-account': '' } });
    assert.equal(empty.status, 412);
    assert.equal(empty.text, 'Account name cannot be empty');
    const slash = await t.swift('PUT', `${t.adminAccount}/inbox/s`, { headers: { 'x-copy-from': 'private/doc', 'x-copy-from-account': 'AUTH_a/b' } });
    assert.equal(slash.status, 412);
    assert.equal(slash.text, 'Account name cannot contain slashes');
  });
});
