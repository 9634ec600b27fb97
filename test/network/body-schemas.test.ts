/**
 * Request bodies are checked by JSON schemas made from Neutron's attribute
 * maps, at the route and in operations.ts, and refused in Neutron's words.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NimbusError } from '../../src/core/errors.js';
import type { NetworkOperations } from '../../src/network/operations.js';
import { useCloud } from './support.js';

describe('network request bodies', () => {
  const cloud = useCloud();

  const refused = async (method: string, path: string, body: unknown, message: string) => {
    const response = await cloud.call(method, path, body);
    assert.equal(response.status, 400, response.text);
    assert.deepEqual(response.body, { NeutronError: { type: 'HTTPBadRequest', message, detail: '' } });
  };

  test('the envelope and the attributes a resource has', async () => {
    await refused('POST', '/v2.0/networks', {}, "Unable to find 'network' in request body");
    await refused('POST', '/v2.0/networks', [], "Unable to find 'network' in request body");
    await refused('POST', '/v2.0/networks', { networks: 'x' }, "Unable to find 'network' in request body");
    await refused('POST', '/v2.0/networks', { network: null }, 'Body of network must be an object.');
    await refused('POST', '/v2.0/networks', { network: { name: 'n', foo: 1, bar: 2 } }, "Unrecognized attribute(s) 'foo, bar'");
    await refused('POST', '/v2.0/routers', { router: { routes: [] } }, 'Cannot update read-only attribute routes');
    const made = await cloud.call('POST', '/v2.0/networks', { network: { name: 'schema-net' } });
    assert.equal(made.status, 201, made.text);
    await refused('PUT', `/v2.0/networks/${made.body.network.id}`, { network: { project_id: 'x' } }, 'Cannot update read-only attribute project_id');
    await refused('PUT', `/v2.0/networks/${made.body.network.id}`, {}, "Unable to find 'network' in request body");
  });

  test('values of the wrong type or size, quoted as neutron-lib does', async () => {
    const long = 'x'.repeat(300);
    await refused('POST', '/v2.0/networks', { network: { name: 5 } }, "Invalid input for name. Reason: '5' is not a valid string.");
    await refused(
      'POST',
      '/v2.0/networks',
      { network: { name: long } },
      `Invalid input for name. Reason: '${long.slice(0, 64)}...' exceeds maximum length of 255.`,
    );
    await refused(
      'POST',
      '/v2.0/networks',
      { network: { admin_state_up: 'maybe' } },
      "Invalid input for admin_state_up. Reason: 'maybe' cannot be converted to boolean.",
    );
    await refused(
      'POST',
      '/v2.0/networks',
      { network: { admin_state_up: null } },
      "Invalid input for admin_state_up. Reason: 'null' cannot be converted to boolean.",
    );
    await refused('POST', '/v2.0/networks', { network: { mtu: 'abc' } }, "Invalid input for mtu. Reason: 'abc' is not an integer.");
    await refused('POST', '/v2.0/networks', { network: { mtu: 1.5 } }, "Invalid input for mtu. Reason: '1.5' is not an integer.");
    await refused(
      'POST',
      '/v2.0/ports',
      { port: { network_id: 'n', security_groups: 'abc' } },
      'Invalid input for security_groups. Reason: \'"abc"\' is not a list.',
    );
    await refused(
      'POST',
      '/v2.0/ports',
      { port: { network_id: 'n', security_groups: [5] } },
      "Invalid input for security_groups. Reason: '5' is not a valid string.",
    );
    await refused(
      'POST',
      '/v2.0/ports',
      { port: { network_id: 'n', 'binding:profile': [] } },
      "Invalid input for binding:profile. Reason: '[]' is not a dictionary.",
    );
    const items = Array.from({ length: 1001 }, () => 'a');
    await refused(
      'POST',
      '/v2.0/ports',
      { port: { network_id: 'n', security_groups: items } },
      'Invalid input for security_groups. Reason: a list of 1001 items exceeds the maximum of 1000.',
    );
  });

  test("Neutron's conversions still apply: boolean spellings and digit strings", async () => {
    const made = await cloud.call('POST', '/v2.0/networks', { network: { name: 'converted', admin_state_up: 'off', mtu: '1400' } });
    assert.equal(made.status, 201, made.text);
    assert.equal(made.body.network.admin_state_up, false);
    assert.equal(made.body.network.mtu, 1400);
  });

  test('a bulk request is checked item by item and makes nothing when one is wrong', async () => {
    const before = (await cloud.call('GET', '/v2.0/networks')).body.networks.length as number;
    await refused('POST', '/v2.0/networks', { networks: [{ name: 'bulk-a' }, { bogus: 1 }] }, "Unrecognized attribute(s) 'bogus'");
    await refused('POST', '/v2.0/networks', { networks: [{ name: 'bulk-a' }, 7] }, 'Body of network must be an object.');
    assert.equal((await cloud.call('GET', '/v2.0/networks')).body.networks.length, before);
  });

  test('operations.ts refuses a typed request as the route refuses the same body', async () => {
    const ops = cloud.server.server.services.network?.operations as NetworkOperations;
    const identity = cloud.server.server.services.identity?.authenticator;
    assert.ok(ops && identity);
    const demo = await identity.authenticate(cloud.demo);
    await assert.rejects(ops.networks.create(demo, { name: 'y'.repeat(256) }), (error: unknown) => {
      assert.ok(error instanceof NimbusError);
      assert.equal(error.status, 400);
      assert.equal(error.message, `Invalid input for name. Reason: '${'y'.repeat(64)}...' exceeds maximum length of 255.`);
      return true;
    });
  });
});
