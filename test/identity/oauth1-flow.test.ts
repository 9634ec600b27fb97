/**
 * OS-OAUTH1 over HTTP with real HMAC-SHA1 signatures (a small RFC 5849 signer
 * of the test's own): request token, authorization, access token, the oauth1
 * auth method and the token it gives, a user's access tokens and their roles,
 * and Keystone's answers to the usual mistakes. The cloud's clock moves last,
 * to expire a request token.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestResponse, type TestServer } from '../support/server.js';

const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

interface Signer {
  consumerKey: string;
  consumerSecret: string;
  token?: string;
  tokenSecret?: string;
  extra?: Record<string, string>;
  /** Seconds since the epoch on the cloud's clock (default: now). */
  now?: number;
}

/** An `Authorization: OAuth ...` header for a POST to `url`, signed with HMAC-SHA1. */
function oauthHeader(url: string, s: Signer): string {
  const params: Record<string, string> = {
    oauth_consumer_key: s.consumerKey,
    oauth_nonce: BigInt(`0x${randomBytes(8).toString('hex')}`).toString(),
    oauth_timestamp: String(Math.floor(s.now ?? Date.now() / 1000)),
    oauth_signature_method: 'HMAC-SHA1',
    oauth_version: '1.0',
    ...(s.token && { oauth_token: s.token }),
    ...s.extra,
  };
  const normalized = Object.entries(params)
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .sort()
    .join('&');
  const base = `POST&${enc(url)}&${enc(normalized)}`;
  params.oauth_signature = createHmac('sha1', `${enc(s.consumerSecret)}&${enc(s.tokenSecret ?? '')}`)
    .update(base)
    .digest('base64');
  return `OAuth ${Object.entries(params)
    .map(([k, v]) => `${k}="${enc(v)}"`)
    .join(', ')}`;
}

describe('identity: OS-OAUTH1 delegation flow', () => {
  let cloud: TestServer;
  let admin: string;
  let adminUserId: string;
  let adminProject: string;
  let demoProject: string;
  let consumer: { id: string; secret: string };
  const V3 = '/identity/v3';
  const url = (path: string) => `${cloud.identityUrl}/v3${path}`;

  const requestToken = (signer: Signer, project: string | undefined): Promise<TestResponse> =>
    cloud.request('POST', `${V3}/OS-OAUTH1/request_token`, {
      headers: {
        authorization: oauthHeader(url('/OS-OAUTH1/request_token'), { extra: { oauth_callback: 'oob' }, ...signer }),
        ...(project && { 'requested-project-id': project }),
      },
    });
  const form = (response: TestResponse) => Object.fromEntries(new URLSearchParams(response.text));
  const authorize = (token: string, id: string, roles: unknown[]) => cloud.request('PUT', `${V3}/OS-OAUTH1/authorize/${id}`, { token, body: { roles } });
  const accessToken = (signer: Signer) =>
    cloud.request('POST', `${V3}/OS-OAUTH1/access_token`, { headers: { authorization: oauthHeader(url('/OS-OAUTH1/access_token'), signer) } });
  const oauthAuth = (signer: Signer) =>
    cloud.request('POST', `${V3}/auth/tokens`, {
      headers: { authorization: oauthHeader(url('/auth/tokens'), signer) },
      body: { auth: { identity: { methods: ['oauth1'], oauth1: {} } } },
    });
  const asConsumer = (): Signer => ({ consumerKey: consumer.id, consumerSecret: consumer.secret });

  /** Request token → authorization (by admin, of `roles` on `project`) → access token. */
  async function delegate(project: string, roles: unknown[]) {
    const request = form(await requestToken(asConsumer(), project));
    const verifier = (await authorize(admin, request.oauth_token as string, roles)).body.token.oauth_verifier as string;
    const access = form(
      await accessToken({ ...asConsumer(), token: request.oauth_token, tokenSecret: request.oauth_token_secret, extra: { oauth_verifier: verifier } }),
    );
    return { key: access.oauth_token as string, secret: access.oauth_token_secret as string };
  }

  before(async () => {
    cloud = await startTestServer();
    admin = await cloud.adminToken();
    const me = (await cloud.request('GET', `${V3}/auth/tokens`, { token: admin, headers: { 'x-subject-token': admin } })).body.token;
    adminUserId = me.user.id;
    adminProject = me.project.id;
    demoProject = (await cloud.request('GET', `${V3}/projects?name=demo`, { token: admin })).body.projects[0].id;
    consumer = (await cloud.request('POST', `${V3}/OS-OAUTH1/consumers`, { token: admin, body: { consumer: { description: 'flow' } } })).body.consumer;
  });
  after(() => cloud.close());

  test('the whole flow gives a project token with the delegated roles and the OS-OAUTH1 section', async () => {
    const issued = await requestToken(asConsumer(), adminProject);
    assert.equal(issued.status, 201, issued.text);
    assert.match(issued.headers.get('content-type') ?? '', /application\/x-www-form-urlencoded/);
    const request = form(issued);
    assert.match(request.oauth_token as string, /^[0-9a-f]{32}$/);
    const lifetime = Date.parse(request.oauth_expires_at as string) - Date.now();
    assert.ok(Math.abs(lifetime - 28_800_000) < 60_000, `request token lives 8 h, not ${lifetime} ms`);

    const authorized = await authorize(admin, request.oauth_token as string, [{ name: 'member' }]);
    assert.equal(authorized.status, 200, authorized.text);
    const verifier = authorized.body.token.oauth_verifier as string;
    assert.match(verifier, /^[A-HJ-NP-Za-kmnp-z2-9]{8}$/);

    const exchanged = await accessToken({
      ...asConsumer(),
      token: request.oauth_token,
      tokenSecret: request.oauth_token_secret,
      extra: { oauth_verifier: verifier },
    });
    assert.equal(exchanged.status, 201, exchanged.text);
    const access = form(exchanged);
    assert.ok(Math.abs(Date.parse(access.oauth_expires_at as string) - Date.now() - 86_400_000) < 60_000);

    const auth = await oauthAuth({ ...asConsumer(), token: access.oauth_token, tokenSecret: access.oauth_token_secret });
    assert.equal(auth.status, 201, auth.text);
    const token = auth.body.token;
    assert.deepEqual(token.methods, ['oauth1']);
    assert.equal(token.user.id, adminUserId);
    assert.equal(token.project.id, adminProject);
    // member is delegated; reader comes with it (member implies reader), admin does not.
    assert.deepEqual(token.roles.map((r: { name: string }) => r.name).sort(), ['member', 'reader']);
    assert.deepEqual(token['OS-OAUTH1'], { access_token_id: access.oauth_token, consumer_id: consumer.id });
    const oauthToken = auth.headers.get('x-subject-token') as string;
    const validated = await cloud.request('GET', `${V3}/auth/tokens`, { token: admin, headers: { 'x-subject-token': oauthToken } });
    assert.deepEqual(validated.body.token['OS-OAUTH1'], token['OS-OAUTH1']);
    // An OAuth token acts with the delegated roles only: not an admin.
    assert.equal((await cloud.request('GET', `${V3}/users`, { token: oauthToken })).status, 403);
    const rescope = await cloud.request('POST', `${V3}/auth/tokens`, { body: { auth: { identity: { methods: ['token'], token: { id: oauthToken } } } } });
    assert.equal(rescope.status, 403);
    assert.match(rescope.body.error.message, /Using OAuth-scoped token to create another token/);
    // Nor can it delegate further: no trust, no application credential (Keystone's delegation guards).
    const trust = await cloud.request('POST', `${V3}/OS-TRUST/trusts`, {
      token: oauthToken,
      body: {
        trust: { trustor_user_id: adminUserId, trustee_user_id: adminUserId, project_id: adminProject, roles: [{ name: 'member' }], impersonation: false },
      },
    });
    assert.equal(trust.status, 403, trust.text);
    assert.match(trust.body.error.message, /Redelegation allowed for delegated by trust only/);
    const appCreds = `${V3}/users/${adminUserId}/application_credentials`;
    const made = await cloud.request('POST', appCreds, { token: oauthToken, body: { application_credential: { name: 'through-oauth' } } });
    assert.equal(made.status, 403, made.text);
    assert.equal(made.body.error.message, 'Cannot manage application credentials with a token issued via delegation.');
    assert.equal((await cloud.request('GET', appCreds, { token: oauthToken })).status, 403);

    // The user's access tokens and what they delegate.
    const base = `${V3}/users/${adminUserId}/OS-OAUTH1/access_tokens`;
    const listed = (await cloud.request('GET', base, { token: admin })).body.access_tokens;
    const entry = listed.find((t: { id: string }) => t.id === access.oauth_token);
    assert.deepEqual(Object.keys(entry).sort(), ['authorizing_user_id', 'consumer_id', 'expires_at', 'id', 'links', 'project_id']);
    assert.equal(entry.links.self, url(`/users/${adminUserId}/OS-OAUTH1/access_tokens/${access.oauth_token}`));
    assert.equal((await cloud.request('GET', `${base}/${access.oauth_token}`, { token: admin })).body.access_token.project_id, adminProject);
    const roles = (await cloud.request('GET', `${base}/${access.oauth_token}/roles`, { token: admin })).body.roles;
    assert.deepEqual(
      roles.map((r: { name: string }) => r.name),
      ['member'],
    );
    assert.equal(roles[0].description, undefined);
    assert.equal((await cloud.request('GET', `${base}/${access.oauth_token}/roles/${roles[0].id}`, { token: admin })).body.role.name, 'member');
    assert.equal((await cloud.request('GET', `${base}/${access.oauth_token}/roles/nope`, { token: admin })).status, 404);
    assert.equal((await cloud.request('GET', `${base}/nope`, { token: admin })).status, 404);
    assert.equal((await cloud.request('GET', base, { token: await cloud.demoToken() })).status, 403);

    // Deleting the access token voids the token issued from it.
    assert.equal((await cloud.request('DELETE', `${base}/${access.oauth_token}`, { token: admin })).status, 204);
    assert.equal((await cloud.request('GET', `${V3}/auth/tokens`, { token: admin, headers: { 'x-subject-token': oauthToken } })).status, 404);
    assert.equal((await oauthAuth({ ...asConsumer(), token: access.oauth_token, tokenSecret: access.oauth_token_secret })).status, 404);
  });

  test('a request token refuses a wrong secret (401), a missing project (400) and malformed requests (400)', async () => {
    const wrong = await requestToken({ ...asConsumer(), consumerSecret: 'not-the-secret' }, adminProject);
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error.message, 'Invalid signature');
    const noProject = await requestToken(asConsumer(), undefined);
    assert.equal(noProject.status, 400);
    assert.match(noProject.body.error.message, /^Expecting to find Requested-Project-Id in request/);
    assert.equal((await requestToken(asConsumer(), 'no-such-project')).status, 404);
    assert.equal((await requestToken({ ...asConsumer(), consumerKey: 'f'.repeat(32) }, adminProject)).body.error.message, 'Consumer not found');
    const stale = await requestToken({ ...asConsumer(), now: Math.floor(Date.now() / 1000) - 3600 }, adminProject);
    assert.equal(stale.status, 400);
    assert.equal(
      stale.body.error.message,
      'Validation failed with errors: invalid_request, detail message is: Timestamp given is invalid, differ from allowed by over 600 seconds..',
    );
    const noCallback = await cloud.request('POST', `${V3}/OS-OAUTH1/request_token`, {
      headers: { authorization: oauthHeader(url('/OS-OAUTH1/request_token'), asConsumer()), 'requested-project-id': adminProject },
    });
    assert.equal(noCallback.status, 400);
    assert.match(noCallback.body.error.message, /Missing callback URI/);
    assert.equal((await cloud.request('POST', `${V3}/OS-OAUTH1/request_token`, { headers: { 'requested-project-id': adminProject } })).status, 400);
    const get = await cloud.request('GET', `${V3}/OS-OAUTH1/request_token`);
    assert.equal(get.status, 405);
    assert.equal(get.body.error.title, 'Method Not Allowed');
  });

  test('authorizing needs the roles on the project (401), the policy (403) and a live request token (404)', async () => {
    const request = form(await requestToken(asConsumer(), demoProject));
    const notHeld = await authorize(admin, request.oauth_token as string, [{ name: 'admin' }]);
    assert.equal(notHeld.status, 401);
    assert.equal(notHeld.body.error.message, 'authorizing user does not have role required');
    assert.equal((await authorize(await cloud.demoToken(), request.oauth_token as string, [{ name: 'member' }])).status, 403);
    assert.equal((await authorize(admin, 'f'.repeat(32), [])).body.error.message, 'Request token not found');
    assert.equal((await authorize(admin, request.oauth_token as string, [{ id: 'x', name: 'y' }])).status, 400);
    assert.equal((await authorize(admin, request.oauth_token as string, [{ name: 'no-such-role' }])).status, 404);
  });

  test('an access token needs the right verifier (401), once (404), and a signature by the consumer (401)', async () => {
    const request = form(await requestToken(asConsumer(), adminProject));
    const signer = { ...asConsumer(), token: request.oauth_token, tokenSecret: request.oauth_token_secret };
    const unauthorized = await accessToken({ ...signer, extra: { oauth_verifier: 'abcdefgh' } });
    assert.equal(unauthorized.status, 401);
    assert.equal(unauthorized.body.error.message, 'Provided verifier does not match stored verifier');
    const verifier = (await authorize(admin, request.oauth_token as string, [{ name: 'reader' }])).body.token.oauth_verifier as string;
    const badSecret = await accessToken({ ...signer, tokenSecret: 'wrong', extra: { oauth_verifier: verifier } });
    assert.equal(badSecret.body.error.message, 'Invalid signature');
    const other = (await cloud.request('POST', `${V3}/OS-OAUTH1/consumers`, { token: admin, body: { consumer: {} } })).body.consumer;
    const otherConsumer = await accessToken({ ...signer, consumerKey: other.id, consumerSecret: other.secret, extra: { oauth_verifier: verifier } });
    assert.equal(otherConsumer.body.error.message, 'Provided consumer key does not match stored consumer key.');
    assert.equal((await accessToken({ ...signer, extra: {} })).status, 400);
    assert.equal((await accessToken({ ...signer, extra: { oauth_verifier: verifier } })).status, 201);
    const replayed = await accessToken({ ...signer, extra: { oauth_verifier: verifier } });
    assert.equal(replayed.status, 404);
    assert.equal(replayed.body.error.message, 'Request token not found');
  });

  test('the oauth1 method refuses a wrong access secret (401); deleting the consumer removes its tokens', async () => {
    const mine = (await cloud.request('POST', `${V3}/OS-OAUTH1/consumers`, { token: admin, body: { consumer: {} } })).body.consumer;
    const prior = consumer;
    consumer = mine;
    try {
      const access = await delegate(adminProject, [{ name: 'reader' }]);
      const bad = await oauthAuth({ ...asConsumer(), token: access.key, tokenSecret: 'wrong' });
      assert.equal(bad.status, 401);
      assert.equal(bad.body.error.message, 'Could not validate the access token');
      const good = await oauthAuth({ ...asConsumer(), token: access.key, tokenSecret: access.secret });
      assert.equal(good.status, 201);
      assert.equal((await cloud.request('DELETE', `${V3}/OS-OAUTH1/consumers/${mine.id}`, { token: admin })).status, 204);
      const base = `${V3}/users/${adminUserId}/OS-OAUTH1/access_tokens`;
      assert.equal((await cloud.request('GET', `${base}/${access.key}`, { token: admin })).status, 404);
      const validated = await cloud.request('GET', `${V3}/auth/tokens`, {
        token: admin,
        headers: { 'x-subject-token': good.headers.get('x-subject-token') as string },
      });
      assert.equal(validated.status, 404);
    } finally {
      consumer = prior;
    }
  });

  test('a request token expires after [oauth1] request_token_duration on the cloud clock (401)', async () => {
    const request = form(await requestToken(asConsumer(), adminProject));
    const verifier = (await authorize(admin, request.oauth_token as string, [{ name: 'reader' }])).body.token.oauth_verifier as string;
    const moved = await cloud.request('POST', '/_nimbus/clock', { token: admin, body: { advance_seconds: 28_801 } });
    assert.equal(moved.status, 200);
    try {
      const now = Math.floor(Date.parse(moved.body.now) / 1000);
      const fresh = await cloud.adminToken();
      const late = await authorize(fresh, request.oauth_token as string, [{ name: 'reader' }]);
      assert.equal(late.status, 401);
      assert.equal(late.body.error.message, 'Request token is expired');
      const exchange = await accessToken({
        ...asConsumer(),
        token: request.oauth_token,
        tokenSecret: request.oauth_token_secret,
        extra: { oauth_verifier: verifier },
        now,
      });
      assert.equal(exchange.status, 401);
      assert.equal(exchange.body.error.message, 'Request token is expired');
    } finally {
      await cloud.request('DELETE', '/_nimbus/clock', { token: await cloud.adminToken() });
    }
  });
});
