/**
 * The index on PostgreSQL (the cluster configuration): the filter language's
 * attribute, creator and time comparisons compiled for PostgreSQL, sorts
 * with markers, history. Runs when NIMBUS_TEST_PG_URL names a server where
 * the test may create databases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postgresSkip, startPostgresTestServer } from '../support/postgres-server.js';
import type { TestServer } from '../support/server.js';

describe('metric index on PostgreSQL', { skip: postgresSkip }, () => {
  let cloud: TestServer;
  let token: string;

  before(async () => {
    cloud = await startPostgresTestServer();
    token = await cloud.adminToken();
  });
  after(() => cloud?.close());

  test('search over attributes, creator and times; sorted pages; history', { timeout: 120_000 }, async () => {
    for (const [name, port] of [
      ['sw-a', 1],
      ['sw-b', 7],
      ['sw-c', null],
    ] as const) {
      const body = { id: name, switch: name, controller: 'c1', started_at: '2024-01-02T00:00:00Z', ...(port === null ? {} : { port_number_on_switch: port }) };
      const created = await cloud.request('POST', '/metric/v1/resource/switch_port', { token, body });
      assert.equal(created.status, 201, created.text);
    }
    const search = async (filter: unknown, query = '') => {
      const response = await cloud.request('POST', `/metric/v1/search/resource/switch_port${query}`, { token, body: filter });
      assert.equal(response.status, 200, response.text);
      return (response.body as unknown as { original_resource_id: string }[]).map((r) => r.original_resource_id);
    };
    assert.deepEqual(await search({ '>': { port_number_on_switch: 2 } }), ['sw-b']);
    assert.deepEqual(await search({ like: { switch: 'sw-%' } }, '?sort=switch:desc'), ['sw-c', 'sw-b', 'sw-a']);
    assert.deepEqual(await search({ '=': { port_number_on_switch: null } }), ['sw-c']);
    const project = (await cloud.request('GET', '/metric/v1/resource/switch_port/sw-a', { token })).body.created_by_project_id;
    assert.equal((await search({ and: [{ '=': { created_by_project_id: project } }, { '>=': { started_at: '2024-01-01' } }] })).length, 3);
    const first = await cloud.request('GET', '/metric/v1/resource/switch_port?sort=port_number_on_switch:asc-nullslast&limit=2', { token });
    assert.deepEqual(
      (first.body as unknown as { original_resource_id: string }[]).map((r) => r.original_resource_id),
      ['sw-a', 'sw-b'],
    );
    const link = first.headers.get('link') ?? '';
    const rest = await cloud.request('GET', link.slice(1, link.indexOf('>')), { token });
    assert.deepEqual(
      (rest.body as unknown as { original_resource_id: string }[]).map((r) => r.original_resource_id),
      ['sw-c'],
    );
    assert.equal((await cloud.request('PATCH', '/metric/v1/resource/switch_port/sw-a', { token, body: { controller: 'c2' } })).status, 200);
    const history = await cloud.request('GET', '/metric/v1/resource/switch_port/sw-a/history', { token });
    assert.deepEqual(
      (history.body as unknown as { controller: string }[]).map((r) => r.controller),
      ['c1', 'c2'],
    );
  });
});
