import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import type { Json } from '../support/json.js';

describe('identity: federation (OS-FEDERATION)', () => {
  let cloud: TestServer;
  let admin: string;
  let demo: string;
  before(async () => {
    cloud = await startTestServer();
    admin = await cloud.adminToken();
    demo = await cloud.demoToken();
  });
  after(() => cloud.close());

  const call = (method: string, path: string, body?: unknown, token = admin) => cloud.request(method, `/identity/v3/OS-FEDERATION${path}`, { token, body });
  const rules = [{ local: [{ user: { name: '{0}' } }, { group: { id: 'g1' } }], remote: [{ type: 'REMOTE_USER' }] }];

  test('identity providers: PUT creates (disabled, with a domain of its own), PATCH updates, remote ids are unique', async () => {
    const created = await call('PUT', '/identity_providers/acme', { identity_provider: { remote_ids: ['https://idp.acme/'], description: 'Acme' } });
    assert.equal(created.status, 201);
    const idp = created.body.identity_provider;
    assert.deepEqual([idp.id, idp.enabled, idp.description, idp.remote_ids, idp.authorization_ttl], ['acme', false, 'Acme', ['https://idp.acme/'], null]);
    assert.match(idp.links.protocols, /\/v3\/OS-FEDERATION\/identity_providers\/acme\/protocols$/);
    const domain = await cloud.request('GET', `/identity/v3/domains/${idp.domain_id}`, { token: admin });
    assert.equal(domain.body.domain.description, 'Auto generated federated domain for Identity Provider: acme');

    assert.equal((await call('PUT', '/identity_providers/acme', { identity_provider: {} })).status, 409);
    const stolen = await call('PUT', '/identity_providers/other', { identity_provider: { remote_ids: ['https://idp.acme/'], domain_id: 'default' } });
    assert.equal(stolen.status, 409);
    assert.match(stolen.body.error.message, /Duplicate remote ID: https:\/\/idp\.acme\//);
    assert.equal((await call('PUT', '/identity_providers/bad', { identity_provider: { domain_id: 'no-such-domain' } })).status, 404);
    assert.equal((await call('PUT', '/identity_providers/bad', { identity_provider: { colour: 'red' } })).status, 400);

    const updated = await call('PATCH', '/identity_providers/acme', { identity_provider: { enabled: true, remote_ids: ['https://idp2.acme/'] } });
    assert.deepEqual([updated.body.identity_provider.enabled, updated.body.identity_provider.remote_ids], [true, ['https://idp2.acme/']]);
    assert.equal((await call('PATCH', '/identity_providers/acme', { identity_provider: { domain_id: 'default' } })).status, 400);
    assert.deepEqual(
      (await call('GET', '/identity_providers?enabled=true')).body.identity_providers.map((i: Json) => i.id),
      ['acme'],
    );
    assert.equal((await call('GET', '/identity_providers', undefined, demo)).status, 403);
    assert.equal((await call('PUT', '/identity_providers/mine', { identity_provider: {} }, demo)).status, 403);
  });

  test('mappings are checked against their schema; protocols name an existing mapping', async () => {
    const created = await call('PUT', '/mappings/acme-map', { mapping: { rules } });
    assert.equal(created.status, 201);
    assert.deepEqual([created.body.mapping.schema_version, created.body.mapping.rules], ['1.0', rules]);
    assert.equal((await call('PUT', '/mappings/broken', { mapping: { rules: [{ local: [] }] } })).status, 400);
    assert.equal((await call('PUT', '/mappings/broken', { mapping: { rules, schema_version: '7.0' } })).status, 400);
    assert.equal((await call('GET', '/mappings/broken')).status, 404);
    const patched = await call('PATCH', '/mappings/acme-map', { mapping: { rules: [{ ...rules[0], remote: [{ type: 'OIDC-sub' }] }] } });
    assert.equal(patched.body.mapping.rules[0].remote[0].type, 'OIDC-sub');

    const protocol = await call('PUT', '/identity_providers/acme/protocols/saml2', { protocol: { mapping_id: 'acme-map' } });
    assert.equal(protocol.status, 201);
    assert.equal(protocol.body.protocol.mapping_id, 'acme-map');
    assert.match(protocol.body.protocol.links.identity_provider, /identity_providers\/acme$/);
    const invalid = await call('PUT', '/identity_providers/acme/protocols/oidc', { protocol: { mapping_id: 'no-such-map' } });
    assert.equal(invalid.status, 400);
    assert.match(invalid.body.error.message, /Invalid mapping id: no-such-map/);
    assert.equal((await call('PUT', '/identity_providers/nobody/protocols/saml2', { protocol: { mapping_id: 'acme-map' } })).status, 404);
    const missing = await call('GET', '/identity_providers/acme/protocols/oidc');
    assert.equal(missing.body.error.message, 'Could not find federated protocol oidc for Identity Provider: acme.');
    assert.deepEqual(
      (await call('GET', '/identity_providers/acme/protocols')).body.protocols.map((p: Json) => p.id),
      ['saml2'],
    );
    assert.equal((await call('DELETE', '/identity_providers/acme')).status, 204);
    assert.equal((await call('GET', '/identity_providers/acme/protocols/saml2')).status, 404);
    assert.equal((await call('DELETE', '/mappings/acme-map')).status, 204);
  });

  test('service providers: created disabled with the default relay state prefix; enabled ones are listed in tokens', async () => {
    const body = {
      service_provider: {
        auth_url: 'https://sp.example/v3/OS-FEDERATION/identity_providers/us/protocols/saml2/auth',
        sp_url: 'https://sp.example/Shibboleth.sso/SAML2/ECP',
      },
    };
    const created = await call('PUT', '/service_providers/us', body);
    assert.equal(created.status, 201);
    assert.deepEqual([created.body.service_provider.enabled, created.body.service_provider.relay_state_prefix], [false, 'ss:mem:']);
    assert.equal((await call('PUT', '/service_providers/bad', { service_provider: { auth_url: 'x' } })).status, 400);
    const token = async () => (await cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': demo } })).body.token;
    assert.equal((await token()).service_providers, undefined);
    assert.equal((await call('PATCH', '/service_providers/us', { service_provider: { enabled: true } })).status, 200);
    assert.deepEqual((await token()).service_providers, [{ auth_url: body.service_provider.auth_url, id: 'us', sp_url: body.service_provider.sp_url }]);
    assert.equal((await call('DELETE', '/service_providers/us')).status, 204);
    assert.equal((await call('GET', '/service_providers/us')).body.error.message, 'Could not find Service Provider: us.');
  });
});
