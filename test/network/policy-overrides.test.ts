/** Operator overrides in <data-dir>/policy.yaml change Neutron's personas: widen, narrow, or forbid. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { startTestServer } from '../support/server.js';
import { userWithRole } from './personas.js';
import { expectError, useCloud } from './support.js';
import type { Json } from '../support/json.js';

type Body = Json;

const OVERRIDES = {
  // Readers may make networks in their project.
  'network:create_network': 'rule:network:context_is_admin or (role:reader and project_id:%(project_id)s)',
  // Only admins see routers.
  'network:get_router': 'rule:network:context_is_admin',
  // Nobody deletes ports.
  'network:delete_port': '!',
};

describe('network: operator policy overrides', () => {
  const cloud = useCloud(() =>
    startTestServer((config) => {
      // YAML is a superset of JSON.
      writeFileSync(join(config.server.data_dir as string, 'policy.yaml'), JSON.stringify(OVERRIDES));
    }),
  );
  let reader = '';
  before(async () => {
    reader = await userWithRole(cloud.server, cloud.admin, 'override-reader', 'reader', 'demo');
  });

  test('a widened rule lets a reader create a network, the others still hold', async () => {
    const created = await cloud.call('POST', '/v2.0/networks', { network: { name: 'by-reader' } }, reader);
    assert.equal(created.status, 201, created.text);
    expectError(await cloud.call('POST', '/v2.0/routers', { router: { name: 'nope' } }, reader), 403, 'PolicyNotAuthorized');
  });

  test('a narrowed read rule hides the resource (404), a forbidden action is a 403', async () => {
    const routers = ((await cloud.call('GET', '/v2.0/routers')).body as Body).routers as unknown[];
    assert.deepEqual(routers, []);
    const router1 = ((await cloud.call('GET', '/v2.0/routers?name=router1', undefined, cloud.admin)).body as Body).routers[0];
    assert.ok(router1);
    expectError(await cloud.call('GET', `/v2.0/routers/${router1.id}`), 404, 'RouterNotFound');
    const network = ((await cloud.call('GET', '/v2.0/networks?name=private')).body as Body).networks[0];
    const port = await cloud.call('POST', '/v2.0/ports', { port: { network_id: network.id } });
    assert.equal(port.status, 201, port.text);
    expectError(await cloud.call('DELETE', `/v2.0/ports/${(port.body as Body).port.id}`), 403, 'PolicyNotAuthorized');
    assert.equal(
      (await cloud.call('DELETE', `/v2.0/ports/${(port.body as Body).port.id}`, undefined, cloud.admin)).status,
      403,
      'the override binds admins too',
    );
  });
});
