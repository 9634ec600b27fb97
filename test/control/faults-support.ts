/** The `/_nimbus/faults` calls the fault tests make, as the cloud admin. */
import assert from 'node:assert/strict';
import { afterEach } from 'node:test';
import type { Json } from '../support/json.js';
import type { TestServer } from '../support/server.js';

export interface FaultRulesClient {
  /** Adds a rule; asserts the 201. */
  add(rule: Record<string, unknown>): Promise<Json>;
  list(): Promise<Json[]>;
  hitsOf(id: string): Promise<number>;
  clear(): Promise<void>;
}

/** The client, with every rule removed after each test of the file or suite it is made in. */
export function faultRulesOf(cloud: () => TestServer, token: () => string): FaultRulesClient {
  const call = (method: string, path: string, body?: unknown) => cloud().request(method, `/_nimbus/faults${path}`, { token: token(), body });
  const client: FaultRulesClient = {
    async add(rule) {
      const response = await call('POST', '', rule);
      assert.equal(response.status, 201, response.text);
      return response.body;
    },
    list: async () => (await call('GET', '')).body.faults,
    hitsOf: async (id) => (await call('GET', `/${id}`)).body.hits,
    async clear() {
      assert.equal((await call('DELETE', '')).status, 204);
    },
  };
  afterEach(() => client.clear());
  return client;
}
