/**
 * Compute's request bodies checked by route schemas: Nova's wording of a
 * jsonschema violation, the schema of the request's microversion, and the
 * caller authenticated before the body is judged (401 before 400, as Nova).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

describe('compute: route schemas', () => {
  let c: ComputeCloud;
  before(async () => {
    c = await startComputeCloud();
  });
  after(() => c.close());

  test('a violation reads as Nova words it: field, value, jsonschema message', async () => {
    const extra = await c.call('POST', '/os-keypairs', { version: '2.2', body: { keypair: { name: 'k', colour: 'red' } } });
    assert.equal(
      novaError(extra, 400, 'badRequest'),
      "Invalid input for field/attribute keypair. Value: {'name': 'k', 'colour': 'red'}. Additional properties are not allowed ('colour' was unexpected)",
    );
    const type = await c.call('POST', '/os-keypairs', { version: '2.2', body: { keypair: { name: 'k', type: 'rsa' } } });
    assert.equal(novaError(type, 400, 'badRequest'), "Invalid input for field/attribute type. Value: rsa. 'rsa' is not one of ['ssh', 'x509']");
    const missing = await c.call('POST', '/os-keypairs', { body: { nothing: {} } });
    assert.match(novaError(missing, 400, 'badRequest'), /'keypair' is a required property/);
    const wrongType = await c.call('POST', '/os-aggregates', { token: c.admin, body: { aggregate: { name: 5 } } });
    assert.equal(novaError(wrongType, 400, 'badRequest'), "Invalid input for field/attribute name. Value: 5. 5 is not of type 'string'");
  });

  test('the schema is the one of the request microversion', async () => {
    // `type` exists from 2.2, `user_id` from 2.10.
    assert.match(
      novaError(await c.call('POST', '/os-keypairs', { body: { keypair: { name: 'k1', type: 'ssh' } } }), 400, 'badRequest'),
      /'type' was unexpected/,
    );
    assert.match(
      novaError(await c.call('POST', '/os-keypairs', { version: '2.9', body: { keypair: { name: 'k1', user_id: 'u' } } }), 400, 'badRequest'),
      /'user_id' was unexpected/,
    );
    assert.equal((await c.call('POST', '/os-keypairs', { version: '2.2', body: { keypair: { name: 'k1', type: 'ssh' } } })).status, 201);
    // Server groups: a `policies` list before 2.64, `policy` and `rules` from it; soft-* from 2.15.
    const soft = { server_group: { name: 'g', policies: ['soft-affinity'] } };
    assert.match(
      novaError(await c.call('POST', '/os-server-groups', { version: '2.14', body: soft }), 400, 'badRequest'),
      /is not one of \['anti-affinity', 'affinity'\]/,
    );
    assert.equal((await c.call('POST', '/os-server-groups', { version: '2.15', body: soft })).status, 200);
    assert.match(novaError(await c.call('POST', '/os-server-groups', { version: '2.64', body: soft }), 400, 'badRequest'), /'policy' is a required property/);
    const rules = { server_group: { name: 'g2', policy: 'affinity', rules: { max_server_per_host: 2 } } };
    assert.equal(
      novaError(await c.call('POST', '/os-server-groups', { version: '2.64', body: rules }), 400, 'badRequest'),
      'Only anti-affinity policy supports rules.',
    );
  });

  test('the caller is authenticated before the body is judged', async () => {
    const response = await c.cloud.request('POST', '/compute/v2.1/os-keypairs', { body: { keypair: { bad: true } } });
    assert.equal(response.status, 401);
    const aggregate = await c.cloud.request('POST', '/compute/v2.1/os-aggregates', { body: { nothing: 1 } });
    assert.equal(aggregate.status, 401);
  });

  test('checks a schema cannot make stay in code, with Nova messages', async () => {
    assert.equal(
      novaError(await c.call('POST', '/os-keypairs', { body: { keypair: { name: 'bad/name' } } }), 400, 'badRequest'),
      'Keypair data is invalid: Keypair name contains unsafe characters',
    );
    assert.equal(
      novaError(await c.call('POST', '/os-aggregates', { token: c.admin, body: { aggregate: { name: ' padded' } } }), 400, 'badRequest'),
      'Invalid input for field/attribute name. Value:  padded. An invalid name was given: leading/trailing whitespace or control characters are not allowed.',
    );
    const created = await c.call('POST', '/os-aggregates', { token: c.admin, body: { aggregate: { name: 'agg-schema' } } });
    assert.equal(created.status, 200, created.text);
    const id = created.body.aggregate.id;
    const colon = await c.call('POST', `/os-aggregates/${id}/action`, { token: c.admin, body: { set_metadata: { metadata: { availability_zone: 'a:b' } } } });
    assert.match(novaError(colon, 400, 'badRequest'), /does not match '\^\[\^:\]\*\$'/);
    assert.equal(
      novaError(await c.call('POST', `/os-aggregates/${id}/action`, { token: c.admin, body: { frobnicate: {} } }), 400, 'badRequest'),
      'There is no such action: frobnicate',
    );
    assert.equal(
      novaError(await c.call('PUT', `/os-aggregates/${id}`, { token: c.admin, body: { aggregate: {} } }), 400, 'badRequest'),
      'Invalid input for field/attribute aggregate. Value: {}. {} does not have enough properties',
    );
  });

  test('quota, flavor, metadata and tag bodies: per microversion, with the checks a schema cannot make', async () => {
    const demoProject = (await c.cloud.request('GET', '/identity/v3/projects?name=demo', { token: c.admin })).body.projects[0].id;
    const quota = (version: string, quota_set: unknown) => c.call('PUT', `/os-quota-sets/${demoProject}`, { token: c.admin, version, body: { quota_set } });
    assert.equal((await quota('2.1', { floating_ips: 5, instances: '12' })).status, 200);
    assert.match(novaError(await quota('2.36', { floating_ips: 5 }), 400, 'badRequest'), /'floating_ips' was unexpected/);
    assert.equal(novaError(await quota('2.79', { instances: '-2' }), 400, 'badRequest'), 'Invalid input for field/attribute instances. Value: -2.');
    assert.equal(
      novaError(await quota('2.79', { instances: -2 }), 400, 'badRequest'),
      'Invalid input for field/attribute instances. Value: -2. -2 is less than the minimum of -1',
    );

    const flavor = (version: string, body: unknown) => c.call('POST', '/flavors', { token: c.admin, version, body: { flavor: body } });
    assert.match(novaError(await flavor('2.1', { name: 'f', vcpus: 1, disk: 1 }), 400, 'badRequest'), /'ram' is a required property/);
    assert.match(
      novaError(await flavor('2.54', { name: 'f', ram: 64, vcpus: 1, disk: 1, description: 'd' }), 400, 'badRequest'),
      /'description' was unexpected/,
    );
    const created = await flavor('2.55', { name: 'schema-flavor', ram: '64', vcpus: 1, disk: 0, description: 'd' });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.flavor.ram, 64);
    assert.match(novaError(await flavor('2.55', { name: '   ', ram: 64, vcpus: 1, disk: 0 }), 400, 'badRequest'), /is too short/);

    const server = await c.call('POST', '/servers', {
      body: { server: { name: 'schema-server', imageRef: c.imageId, flavorRef: '42', networks: 'none' } },
      version: '2.37',
    });
    assert.equal(server.status, 202, server.text);
    const id = server.body.server.id;
    const badKey = await c.call('POST', `/servers/${id}/metadata`, { body: { metadata: { 'bad/key': 'v' } } });
    assert.equal(
      novaError(badKey, 400, 'badRequest'),
      "Invalid input for field/attribute metadata. Value: {'bad/key': 'v'}. 'bad/key' does not match any of the regexes: '^[a-zA-Z0-9-_:. ]{1,255}$'",
    );
    assert.equal(
      novaError(await c.call('PUT', `/servers/${id}/metadata/a`, { body: { meta: { b: 'v' } } }), 400, 'badRequest'),
      'Request body and URI mismatch',
    );
    // Tags exist from 2.26: before, 404 whoever asks; from it, a list of at most 50 tags without ',' or '/'.
    assert.equal((await c.cloud.request('PUT', `/compute/v2.1/servers/${id}/tags`, { body: { tags: [] } })).status, 404);
    assert.match(novaError(await c.call('PUT', `/servers/${id}/tags`, { version: '2.26', body: { tags: ['a,b'] } }), 400, 'badRequest'), /does not match/);
    assert.match(
      novaError(
        await c.call('PUT', `/servers/${id}/tags`, { version: '2.26', body: { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) } }),
        400,
        'badRequest',
      ),
      /is too long/,
    );
    assert.deepEqual((await c.call('PUT', `/servers/${id}/tags`, { version: '2.26', body: { tags: ['x', 'y'] } })).body.tags, ['x', 'y']);
  });

  test('server create: the keys and types of the request microversion', async () => {
    const create = (version: string, server: Record<string, unknown>, token = c.demo) =>
      c.call('POST', '/servers', { version, token, body: { server: { name: 'v', imageRef: c.imageId, flavorRef: '42', ...server } } });
    assert.match(novaError(await create('2.18', { description: 'd' }), 400, 'badRequest'), /'description' was unexpected/);
    assert.match(novaError(await create('2.36', { networks: 'none' }), 400, 'badRequest'), /is not of type 'array'/);
    assert.match(
      novaError(await create('2.37', {}), 400, 'badRequest'),
      /^Invalid input for field\/attribute server\. Value: .*'networks' is a required property$/,
    );
    assert.match(novaError(await create('2.52', { networks: 'none', tags: ['a/b'] }), 400, 'badRequest'), /does not match/);
    assert.match(novaError(await create('2.57', { networks: 'none', personality: [] }), 400, 'badRequest'), /'personality' was unexpected/);
    assert.match(novaError(await create('2.36', { networks: [{ uuid: c.privateNetwork, colour: 1 }] }), 400, 'badRequest'), /'colour' was unexpected/);
    // From 2.37 networks is a oneOf (a list, or 'auto' / 'none'): jsonschema reports the oneOf, as Nova shows it.
    assert.match(
      novaError(await create('2.37', { networks: [{ uuid: c.privateNetwork, colour: 1 }] }), 400, 'badRequest'),
      /is not valid under any of the given schemas$/,
    );
    assert.equal(
      novaError(await create('2.37', { networks: [{ fixed_ip: '10.0.0.3' }] }), 400, 'badRequest'),
      'Bad networks format: network uuid is not in proper format or a port id must be given',
    );
    assert.equal(novaError(await create('2.37', { networks: 'none', user_data: 'not base64!' }), 400, 'badRequest'), 'User data needs to be valid base 64.');
    assert.equal((await c.cloud.request('POST', '/compute/v2.1/servers', { body: { server: {} } })).status, 401);
    assert.equal((await create('2.74', { networks: 'none', description: null, tags: ['t'] })).status, 202);
  });
});
