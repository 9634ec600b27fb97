/** A fresh server with zero fake delays, and helpers to call the compute API and wait on servers. */
import assert from 'node:assert/strict';
import type { NimbusConfig } from '../../src/config.js';
import { startPostgresTestServer } from '../support/postgres-server.js';
import { startTestServer, type TestResponse, type TestServer } from '../support/server.js';
import type { Json } from '../support/json.js';

export interface ComputeCloud {
  cloud: TestServer;
  admin: string;
  demo: string;
  imageId: string;
  privateNetwork: string;
  /** A compute API call (`path` under /compute/v2.1) at `version` (default 2.1). */
  call(method: string, path: string, options?: { body?: unknown; token?: string; version?: string }): Promise<TestResponse>;
  /** Polls GET /servers/{id} until `done` holds (or 404 when `status` is 'DELETED'); fails after ~10 s. */
  waitFor(id: string, status: string, token?: string): Promise<Json>;
  close(): Promise<void>;
}

/** A compute cloud on SQLite, or on its own PostgreSQL database with `{ postgres: true }` (NIMBUS_TEST_PG_URL). */
export async function startComputeCloud(configure?: (config: NimbusConfig) => void, options: { postgres?: boolean } = {}): Promise<ComputeCloud> {
  const start = options.postgres ? startPostgresTestServer : startTestServer;
  const cloud = await start((config) => {
    config.compute.devstack_defaults = true;
    config.compute.fake.hosts = 1;
    config.compute.fake.spawn_delay_ms = 0;
    config.compute.fake.action_delay_ms = 0;
    configure?.(config);
  });
  const admin = await cloud.adminToken();
  const demo = await cloud.demoToken();
  const images = await cloud.request('GET', '/image/v2/images?name=nimbus-blank-qcow2', { token: demo });
  const networks = await cloud.request('GET', '/network/v2.0/networks?name=private', { token: demo });
  const call: ComputeCloud['call'] = (method, path, options = {}) =>
    cloud.request(method, `/compute/v2.1${path}`, {
      token: options.token ?? demo,
      ...(options.body !== undefined ? { body: options.body } : {}),
      headers: { 'OpenStack-API-Version': `compute ${options.version ?? '2.1'}` },
    });
  const waitFor: ComputeCloud['waitFor'] = async (id, status, token = demo) => {
    let last: TestResponse | undefined;
    for (let i = 0; i < 400; i++) {
      last = await call('GET', `/servers/${id}`, { token, version: '2.79' });
      if (status === 'DELETED' && last.status === 404) return {};
      if (last.body.server?.status === status && last.body.server['OS-EXT-STS:task_state'] === null) return last.body.server;
      if (last.body.server?.status === 'ERROR' && status !== 'ERROR') assert.fail(`server went to ERROR: ${JSON.stringify(last.body.server.fault)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return assert.fail(`server ${id} never reached ${status}: ${last?.text}`);
  };
  return {
    cloud,
    admin,
    demo,
    imageId: images.body.images[0].id,
    privateNetwork: networks.body.networks[0].id,
    call,
    waitFor,
    close: () => cloud.close(),
  };
}

/** Nova's error body: one key naming the fault, with code and message. */
export function novaError(response: TestResponse, status: number, fault: string): string {
  assert.equal(response.status, status, response.text);
  const body = response.body[fault];
  assert.ok(body, `expected ${fault} in ${response.text}`);
  assert.equal(body.code, status);
  assert.equal(typeof body.message, 'string');
  return body.message as string;
}
