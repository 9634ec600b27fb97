/** The `/_nimbus/faults` calls the fault tests make, as the cloud admin. */
import assert from 'node:assert/strict';
import type { Json } from '../support/json.js';
import type { TestServer } from '../support/server.js';

export interface FaultRulesClient {
  /** Adds a rule; asserts the 201. */
  add(rule: Record<string, unknown>): Promise<Json>;
  list(): Promise<Json[]>;
  hitsOf(id: string): Promise<number>;
  clear(): Promise<void>;
}

export function faultRulesOf(cloud: () => TestServer, token: () => string): FaultRulesClient {
  const call = (method: string, path: string, body?: unknown) => cloud().request(method, `/_nimbus/faults${path}`, { token: token(), body });
  return {
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
}
