import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';

describe('identity: [security_compliance]', () => {
  let cloud: TestServer;
  let admin: string;
  before(async () => {
    cloud = await startTestServer((config) => {
      Object.assign(config.identity.security_compliance, {
        lockout_failure_attempts: 2,
        lockout_duration: 2,
        unique_last_password_count: 2,
        minimum_password_age: 0,
        password_regex: '^.{6,}$',
        password_regex_description: 'at least 6 characters',
      });
    });
    admin = await cloud.adminToken();
  });
  after(() => cloud.close());

  const createUser = async (name: string, password: string) =>
    (await cloud.request('POST', '/identity/v3/users', { token: admin, body: { user: { name, password } } })).body.user as { id: string };
  const auth = (id: string, password: string) =>
    cloud.request('POST', '/identity/v3/auth/tokens', {
      body: { auth: { identity: { methods: ['password'], password: { user: { id, password } } } } },
    });
  const change = (id: string, original: string, password: string) =>
    cloud.request('POST', `/identity/v3/users/${id}/password`, { body: { user: { original_password: original, password } } });

  test('lockout after 2 failures, lifted after lockout_duration', async () => {
    const user = await createUser('locky', 'secret-1');
    assert.equal((await auth(user.id, 'wrong')).status, 401);
    assert.equal((await auth(user.id, 'wrong')).status, 401);
    const locked = await auth(user.id, 'secret-1');
    assert.equal(locked.status, 401);
    assert.match(locked.body.error.message, /locked/);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    assert.equal((await auth(user.id, 'secret-1')).status, 201);
  });

  test('a login right after an admin password reset (its revocation event in the same second) is 201, as in Keystone', async () => {
    const user = await createUser('resetty', 'secret-1');
    const reset = (password: string) => cloud.request('PATCH', `/identity/v3/users/${user.id}`, { token: admin, body: { user: { password } } });
    // Start just past a second's boundary so that the resets and the login share their second.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
    assert.equal((await reset('secret-2')).status, 200);
    assert.equal((await reset('secret-2')).status, 200);
    assert.equal((await reset('secret-1')).status, 200);
    assert.equal((await auth(user.id, 'secret-1')).status, 201);
    // Past the event's second (Keystone's precision), a new token validates.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const subject = (await auth(user.id, 'secret-1')).headers.get('x-subject-token') as string;
    assert.equal((await cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': subject } })).status, 200);
  });

  test('password regex on create and change', async () => {
    const weak = await cloud.request('POST', '/identity/v3/users', { token: admin, body: { user: { name: 'weak', password: 'abc' } } });
    assert.equal(weak.status, 400);
    assert.match(weak.body.error.message, /at least 6 characters/);
    const user = await createUser('strong', 'secret-1');
    assert.equal((await change(user.id, 'secret-1', 'abc')).status, 400);
  });

  test('self-service change: wrong original 401, history of 2 refuses the current and previous passwords', async () => {
    const user = await createUser('histo', 'secret-1');
    assert.equal((await change(user.id, 'nope-nope', 'secret-2')).status, 401);
    const same = await change(user.id, 'secret-1', 'secret-1');
    assert.equal(same.status, 400);
    assert.match(same.body.error.message, /cannot be identical to a previous password/);
    assert.equal((await change(user.id, 'secret-1', 'secret-2')).status, 204);
    assert.equal((await change(user.id, 'secret-2', 'secret-1')).status, 400, 'the current and the previous password are remembered');
    assert.equal((await change(user.id, 'secret-2', 'secret-3')).status, 204);
    assert.equal((await change(user.id, 'secret-3', 'secret-1')).status, 204, 'a count of 2 forgets the third password back');
    // Fernet tokens count time in whole seconds and a password change revokes
    // the user's tokens issued up to and including that second, as in Keystone.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const login = await auth(user.id, 'secret-1');
    assert.equal(login.status, 201, login.text);
  });

  test('an admin reset is not held to the password history', async () => {
    const user = await createUser('reset', 'secret-1');
    const reset = await cloud.request('PATCH', `/identity/v3/users/${user.id}`, { token: admin, body: { user: { password: 'secret-1' } } });
    assert.equal(reset.status, 200);
  });

  test("a password change revokes the user's tokens", async () => {
    const user = await createUser('revokee', 'secret-1');
    const token = (await auth(user.id, 'secret-1')).headers.get('x-subject-token') as string;
    assert.equal((await change(user.id, 'secret-1', 'secret-9')).status, 204);
    const check = await cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': token } });
    assert.equal(check.status, 404);
  });
});

describe('identity: password expiry, minimum age, change upon first use', () => {
  let cloud: TestServer;
  let admin: string;
  before(async () => {
    cloud = await startTestServer((config) => {
      Object.assign(config.identity.security_compliance, {
        minimum_password_age: 1,
        password_expires_days: 90,
        change_password_upon_first_use: true,
      });
    });
    admin = await cloud.adminToken();
  });
  after(() => cloud.close());

  test('a new user must change the admin-set password before authenticating', async () => {
    const user = (await cloud.request('POST', '/identity/v3/users', { token: admin, body: { user: { name: 'fresh', password: 'first-pw' } } })).body.user;
    assert.ok(user.password_expires_at, 'the admin-set password is already expired');
    const denied = await cloud.request('POST', '/identity/v3/auth/tokens', {
      body: { auth: { identity: { methods: ['password'], password: { user: { id: user.id, password: 'first-pw' } } } } },
    });
    assert.equal(denied.status, 401);
    assert.match(denied.body.error.message, /expired/);
    const changed = await cloud.request('POST', `/identity/v3/users/${user.id}/password`, {
      body: { user: { original_password: 'first-pw', password: 'second-pw' } },
    });
    assert.equal(changed.status, 204);
    const shown = (await cloud.request('GET', `/identity/v3/users/${user.id}`, { token: admin })).body.user;
    const days = (Date.parse(shown.password_expires_at) - Date.now()) / 86_400_000;
    assert.ok(days > 89 && days <= 90, `expires in ${days} days`);
    const again = await cloud.request('POST', `/identity/v3/users/${user.id}/password`, {
      body: { user: { original_password: 'second-pw', password: 'third-pw' } },
    });
    assert.equal(again.status, 400, 'minimum password age');
    assert.match(again.body.error.message, /minimum password age/);
  });
});
