/**
 * OS-OAUTH1 end to end through Debian's `openstack` CLI (keystoneclient's
 * oauth1 managers and keystoneauth1's `v3oauth1` plugin, both signing with
 * python3-oauthlib): consumer create, request token create, request token
 * authorize, access token create, then `token issue` as the consumer;
 * deleting the access token voids that token.
 * Skips (saying why) where the CLI is not installed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { openstackAvailable, openstackJson } from '../clients/openstack.js';

const skip = openstackAvailable() ? false : 'the openstack CLI is not installed (apt-get install python3-openstackclient)';

describe('openstack CLI: OAuth1 delegation', { skip }, () => {
  let cloud: TestServer;
  const admin = <T = Record<string, string>>(args: string[]) => openstackJson<T>(cloud.cloudsYaml, ['--os-cloud', 'nimbus', ...args]);

  before(async () => {
    cloud = await startTestServer();
  });
  after(() => cloud?.close());

  test('a consumer gets a token carrying the roles the admin delegated, and loses it with the access token', async () => {
    const consumer = await admin(['consumer', 'create', '--description', 'cli consumer']);
    const asConsumer = ['--consumer-key', consumer.id as string, '--consumer-secret', consumer.secret as string];
    const request = await admin(['request', 'token', 'create', ...asConsumer, '--project', 'admin']);
    assert.match(request.key as string, /^[0-9a-f]{32}$/);
    assert.match(request.expires as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    const authorized = await admin(['request', 'token', 'authorize', '--request-key', request.key as string, '--role', 'reader']);
    assert.match(authorized.oauth_verifier as string, /^[A-Za-z2-9]{8}$/);

    const access = await admin([
      'access',
      'token',
      'create',
      ...asConsumer,
      '--request-key',
      request.key as string,
      '--request-secret',
      request.secret as string,
      '--verifier',
      authorized.oauth_verifier as string,
    ]);
    assert.match(access.key as string, /^[0-9a-f]{32}$/);

    // keystoneauth1's v3oauth1 plugin signs POST /v3/auth/tokens with the access token.
    const oauthAuth = [
      '--os-auth-type',
      'v3oauth1',
      '--os-auth-url',
      `${cloud.identityUrl}/v3`,
      '--os-consumer-key',
      consumer.id as string,
      '--os-consumer-secret',
      consumer.secret as string,
      '--os-access-key',
      access.key as string,
      '--os-access-secret',
      access.secret as string,
      '--os-identity-api-version',
      '3',
    ];
    const issued = await openstackJson<Record<string, string>>('/dev/null', [...oauthAuth, 'token', 'issue']);
    assert.match(issued.id, /\S/);
    const validated = await cloud.request('GET', '/identity/v3/auth/tokens', { token: await cloud.adminToken(), headers: { 'x-subject-token': issued.id } });
    assert.equal(validated.status, 200);
    assert.deepEqual(validated.body.token.methods, ['oauth1']);
    assert.deepEqual(
      validated.body.token.roles.map((r: { name: string }) => r.name),
      ['reader'],
    );
    assert.deepEqual(validated.body.token['OS-OAUTH1'], { access_token_id: access.key, consumer_id: consumer.id });

    // The CLI has no access token delete: the REST call, then the token issued from it is void.
    const adminToken = await cloud.adminToken();
    const userId = validated.body.token.user.id as string;
    const deleted = await cloud.request('DELETE', `/identity/v3/users/${userId}/OS-OAUTH1/access_tokens/${access.key as string}`, { token: adminToken });
    assert.equal(deleted.status, 204);
    const after = await cloud.request('GET', '/identity/v3/auth/tokens', { token: adminToken, headers: { 'x-subject-token': issued.id } });
    assert.equal(after.status, 404);
  });
});
