/**
 * heat-api on a test server as a client reaches it: the orchestration
 * endpoint from the caller's catalog, calls relative to it (or absolute, for
 * the Location a create answers), and a wait for a stack status.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Json } from '../../support/json.js';
import type { TestResponse, TestServer } from '../../support/server.js';

export interface HeatApi {
  /** The public orchestration endpoint, `.../orchestration/v1/<project>`. */
  base: string;
  call(method: string, path: string, body?: unknown): Promise<TestResponse>;
  /** GETs `url` (a stack's Location or path) until the stack reaches `status`; a FAILED status not waited for throws. */
  waitFor(url: string, status: string): Promise<Json>;
}

const POLL_MS = 100;
const POLLS = 200;

export async function heatApi(cloud: TestServer, token: string): Promise<HeatApi> {
  const catalog = await cloud.request('GET', '/identity/v3/auth/catalog', { token });
  const heat = (catalog.body.catalog as Json[]).find((entry) => entry.type === 'orchestration');
  const base = (heat?.endpoints as Json[]).find((endpoint) => endpoint.interface === 'public')?.url as string;
  const call = (method: string, path: string, body?: unknown) =>
    cloud.request(method, path.startsWith('http') ? path : `${base}${path}`, { token, ...(body === undefined ? {} : { body }) });
  const waitFor = async (url: string, status: string): Promise<Json> => {
    for (let i = 0; i < POLLS; i++) {
      const stack = (await call('GET', url)).body.stack as Json | undefined;
      if (stack?.stack_status === status) return stack;
      if (String(stack?.stack_status).endsWith('FAILED') && !status.endsWith('FAILED')) {
        throw new Error(`${url}: ${stack?.stack_status} ${stack?.stack_status_reason}`);
      }
      await delay(POLL_MS);
    }
    throw new Error(`${url} never reached ${status}`);
  };
  return { base, call, waitFor };
}
