/** What the network API suites share: a server per suite, the call helper, Neutron error checks, both databases. */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { postgresSkip, startPostgresTestServer } from '../support/postgres-server.js';
import { startTestServer, type TestResponse, type TestServer } from '../support/server.js';

export type Call = (method: string, path: string, body?: unknown, token?: string) => Promise<TestResponse>;

export interface SuiteCloud {
  readonly server: TestServer;
  /** Tokens of demo (member of demo) and admin (admin of admin). */
  readonly demo: string;
  readonly admin: string;
  /** A request under /network, as demo unless another token is given. */
  call: Call;
}

/** Starts a server before the suite's tests and closes it after them. */
export function useCloud(start: () => Promise<TestServer> = startTestServer): SuiteCloud {
  let server: TestServer | undefined;
  let demo = '';
  let admin = '';
  before(async () => {
    server = await start();
    demo = await server.demoToken();
    admin = await server.adminToken();
  });
  after(() => server?.close());
  const started = () => {
    if (!server) throw new Error('the suite server is not started');
    return server;
  };
  return {
    get server() {
      return started();
    },
    get demo() {
      return demo;
    },
    get admin() {
      return admin;
    },
    call: (method, path, body, token = demo) => started().request(method, `/network${path}`, { token, body }),
  };
}

/** Asserts Neutron's error body with the status and `type` expected. */
export function expectError(response: TestResponse, status: number, type: string): void {
  assert.equal(response.status, status, response.text);
  assert.equal((response.body as { NeutronError?: { type?: string } }).NeutronError?.type, type, response.text);
}

/** Defines the suite once on SQLite and once on PostgreSQL (skipped without NIMBUS_TEST_PG_URL). */
export function onBothDatabases(define: (database: string, start: () => Promise<TestServer>, skip: string | false) => void): void {
  define('SQLite', startTestServer, false);
  define('PostgreSQL', startPostgresTestServer, postgresSkip);
}
