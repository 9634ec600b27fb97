/**
 * Issue 12's fuzz suite, defined once and run on each database engine
 * (write-routes.test.ts, write-routes-postgres.test.ts): every write route every service declares (read from
 * the server's own route table, so a new route is fuzzed without anyone
 * listing it) gets hostile requests from a member and from an admin. No
 * answer may be a 5xx (501, OpenStack's "not implemented", aside), the server
 * must stay up, its memory bounded, and what the fuzz created must settle.
 *
 * Deterministic: NIMBUS_FUZZ_SEED (default 12) and NIMBUS_FUZZ_RUNS requests
 * per route (default 16; four times as many for routes with example bodies,
 * whose mutations reach deepest, and for wildcard routes) reproduce a run exactly.
 * NIMBUS_FUZZ_TRACE=1 prints every request and its answer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { declaredRoutes, type DeclaredRoute } from '../../src/core/http/route-table.js';
import type { NimbusConfig } from '../../src/config.js';
import type { TestServer } from '../support/server.js';
import { EXAMPLE_PATHS, EXAMPLES, resolvePlaceholders, type Json } from './examples.js';
import { createFixtures, type Fixtures } from './fixtures.js';
import { everyConfusion } from './mutate.js';
import { requestsFor, routePathFor, type Caller, type FuzzRequest } from './requests.js';

const SEED = Number(process.env.NIMBUS_FUZZ_SEED ?? 12);
const RUNS = Number(process.env.NIMBUS_FUZZ_RUNS ?? 16);
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'COPY']);
/** What the whole run may add to the process's resident memory (server and test in one process). */
const RSS_GROWTH_LIMIT = 384 * 1024 * 1024;
/**
 * Volume states a task moves on by itself. `attaching`/`detaching` are not
 * among them: os-reserve and os-begin_detaching leave them until the client
 * says more, in Cinder too.
 */
const TASK_DRIVEN_VOLUME_STATES = new Set([
  'creating',
  'deleting',
  'extending',
  'downloading',
  'uploading',
  'backing-up',
  'restoring-backup',
  'retyping',
  'reverting',
]);

export interface FuzzSuiteOptions {
  /** Starts a fresh server (SQLite or PostgreSQL). */
  start(configure: (config: NimbusConfig) => void): Promise<TestServer>;
  /** The random property-based runs too (the systematic and reader runs always). */
  random: boolean;
}

export function defineFuzzSuite(name: string, options: FuzzSuiteOptions): void {
  describe(name, () => {
    let cloud: TestServer;
    let tokens: Record<Caller, string>;
    let fixtures: Fixtures;

    before(async () => {
      cloud = await options.start((config) => {
        config.compute.devstack_defaults = true;
        config.compute.fake.hosts = 1;
        config.compute.fake.spawn_delay_ms = 0;
        config.compute.fake.action_delay_ms = 0;
      });
      const member = await cloud.demoToken();
      fixtures = await createFixtures(cloud, member);
      tokens = { member, admin: await cloud.adminToken(), reader: await readerToken() };
    });

    const READER = { name: 'fuzz-reader', password: 'fuzz-reader-secret' };

    /** A user with only the reader role on demo, as secure RBAC's project reader. */
    async function readerToken(): Promise<string> {
      const admin = await cloud.adminToken();
      const user = await cloud.request('POST', '/identity/v3/users', { token: admin, body: { user: READER } });
      const role = await cloud.request('GET', '/identity/v3/roles?name=reader', { token: admin });
      const grant = await cloud.request('PUT', `/identity/v3/projects/${fixtures.projectId}/users/${user.body.user.id}/roles/${role.body.roles[0].id}`, {
        token: admin,
      });
      assert.equal(grant.status, 204, grant.text);
      return cloud.token(READER, { project: { id: fixtures.projectId } });
    }

    async function freshTokens(): Promise<Record<Caller, string>> {
      return { member: await cloud.demoToken(), admin: await cloud.adminToken(), reader: await cloud.token(READER, { project: { id: fixtures.projectId } }) };
    }
    after(() => cloud.close());

    /** Write routes, deletions last so that the other routes meet live fixtures. */
    function writeRoutes(): DeclaredRoute[] {
      const routes = declaredRoutes(cloud.server.app).filter((route) => WRITE_METHODS.has(route.method));
      return [...routes].sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
    }

    let sent = 0;
    const statuses = new Map<number, number>();

    /** Sends one request (placeholders resolved, `$unique` fresh): its status and a line describing it. */
    async function send(route: DeclaredRoute, request: FuzzRequest): Promise<{ status: number; line: string }> {
      const headers: Record<string, string> = { ...request.headers, 'x-auth-token': tokens[request.caller] };
      let body: string | Blob | undefined;
      if (request.body && 'json' in request.body) {
        body = JSON.stringify(resolvePlaceholders(request.body.json as Json, { ...fixtures.byName, unique: `fuzz-${sent}` }));
        headers['content-type'] ??= 'application/json';
      } else if (request.body) {
        body = new Blob([new Uint8Array(request.body.raw)]);
        headers['content-type'] ??= 'application/json';
      }
      let status: number;
      let text: string;
      try {
        const response = await fetch(`${cloud.url}${request.path}`, { method: request.method, headers, body });
        status = response.status;
        text = (await response.text()).slice(0, 300);
        // The fuzz may revoke a token (DELETE /v3/auth/tokens): the next request gets fresh ones.
        if (status === 401) tokens = await freshTokens();
      } catch (error) {
        status = 599;
        text = `no answer: ${String(error)}`;
      }
      sent++;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const line = `${route.method} ${route.url}: ${status} ${request.caller} ${request.method} ${request.path} ${JSON.stringify(request.headers)} ${typeof body === 'string' ? body.slice(0, 300) : '<raw bytes>'} -> ${text}`;
      if (process.env.NIMBUS_FUZZ_TRACE) console.log(line);
      return { status, line };
    }

    /** The line of a request that got a 5xx (OpenStack's 501 "not implemented" aside), else null. */
    async function sendAndCheck(route: DeclaredRoute, request: FuzzRequest): Promise<string | null> {
      const { status, line } = await send(route, request);
      return status >= 500 && status !== 501 ? line : null;
    }

    /**
     * What a reader may write, as the real services allow any user: issue and
     * revoke tokens (Keystone), and own key pairs (Nova's keypair policy is
     * "admin or owner", with no role asked: key pairs belong to users, not projects).
     * Gnocchi's policy knows no reader role (any user creates metrics, and a
     * project's users post measures to its metrics). Aodh's query POSTs are reads.
     */
    const READER_WRITES = new Set([
      'POST /identity/v3/auth/tokens',
      'DELETE /identity/v3/auth/tokens',
      'POST /compute/v2.1/os-keypairs',
      'DELETE /compute/v2.1/os-keypairs/:name',
      'POST /metric/v1/metric',
      'POST /metric/v1/batch/metrics/measures',
      'POST /metric/v1/batch/resources/metrics/measures',
      'POST /alarming/v2/query/alarms',
      'POST /alarming/v2/query/alarms/history',
    ]);

    test('every field of every example body, removed or of every wrong kind: no 5xx', { timeout: 15 * 60_000 }, async () => {
      const failures: string[] = [];
      const before = sent;
      for (const route of writeRoutes()) {
        const examples = EXAMPLES[`${route.method} ${route.url}`] ?? [];
        const wildcardPath = EXAMPLE_PATHS[`${route.method} ${route.url}`];
        const path = wildcardPath ? wildcardPath.replace('$project', fixtures.projectId) : routePathFor(route, fixtures);
        for (const example of examples) {
          for (const json of everyConfusion(example)) {
            // Admin reaches past every policy check (the same body from a member is in the random runs
            // below), but not into the member's Swift account, which is not a reseller admin's.
            const caller = route.url.startsWith('/object-store/') ? 'member' : 'admin';
            const failure = await sendAndCheck(route, { method: route.method, path, headers: {}, body: { json }, caller });
            if (failure) failures.push(failure);
          }
        }
      }
      console.log(`fuzz: ${sent - before} systematic requests over ${Object.keys(EXAMPLES).length} example routes, ${failures.length} 5xx`);
      assert.deepEqual(failures.slice(0, 40), [], `${failures.length} of ${sent - before} requests got a 5xx`);
    });

    test('a reader writes nowhere: no write route of any service answers a project reader with a 2xx', async () => {
      const accepted: string[] = [];
      for (const route of writeRoutes()) {
        if (READER_WRITES.has(`${route.method} ${route.url}`) || route.url.endsWith('/*')) continue;
        const bodies = EXAMPLES[`${route.method} ${route.url}`] ?? [{}];
        for (const json of bodies) {
          const { status, line } = await send(route, {
            method: route.method,
            path: routePathFor(route, fixtures),
            headers: {},
            body: { json },
            caller: 'reader',
          });
          if (status < 300) accepted.push(line);
        }
      }
      const account = `/object-store/v1/AUTH_${fixtures.projectId}`;
      for (const [method, path] of [
        ['PUT', `${account}/reader`],
        ['POST', `${account}/fuzz`],
        ['PUT', `${account}/fuzz/reader`],
        ['DELETE', `${account}/fuzz/object`],
        ['COPY', `${account}/fuzz/object`],
      ] as const) {
        const response = await cloud.request(method, path, { token: tokens.reader, headers: { destination: 'fuzz/copy' } });
        if (response.status < 300) accepted.push(`${response.status} ${method} ${path}`);
      }
      assert.deepEqual(accepted, []);
    });

    if (options.random)
      test('no write route of any service answers a hostile request with a 5xx', { timeout: 15 * 60_000 }, async () => {
        const routes = writeRoutes();
        assert.ok(routes.length > 200, `expected every service's write routes, found ${routes.length}`);
        const rssBefore = process.memoryUsage().rss;
        const failures: string[] = [];
        const before = sent;
        statuses.clear();
        for (const [index, route] of routes.entries()) {
          // Swift's four wildcard routes stand for its whole API: they get as many as the example routes.
          const runs = EXAMPLES[`${route.method} ${route.url}`] || route.url.endsWith('/*') ? RUNS * 4 : RUNS;
          const requests = fc.sample(requestsFor(route, fixtures), { numRuns: runs, seed: SEED + index });
          for (const request of requests) {
            const failure = await sendAndCheck(route, request);
            if (failure) failures.push(failure);
          }
        }
        const health = await cloud.request('GET', '/healthcheck');
        const growth = process.memoryUsage().rss - rssBefore;
        console.log(
          `fuzz: ${routes.length} write routes, ${sent - before} random requests, ${failures.length} 5xx, RSS +${Math.round(growth / 2 ** 20)} MiB; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`,
        );
        assert.deepEqual(failures.slice(0, 40), [], `${failures.length} of ${sent - before} requests got a 5xx`);
        assert.equal(health.status, 200);
        assert.ok(growth < RSS_GROWTH_LIMIT, `RSS grew by ${growth} bytes`);
      });

    test('what the fuzz created settles: no server, volume or image left in a transitional state', async () => {
      const settled = async () => {
        const servers = await cloud.request('GET', '/compute/v2.1/servers/detail?all_tenants=1', { token: tokens.admin });
        const volumes = await cloud.request('GET', `/volume/v3/${fixtures.projectId}/volumes/detail?all_tenants=1`, { token: tokens.admin });
        const busyServers = (servers.body.servers as Array<Record<string, unknown>>).filter((s) => s.status === 'BUILD' || s['OS-EXT-STS:task_state']);
        const busyVolumes = (volumes.body.volumes as Array<Record<string, unknown>>).filter((v) => TASK_DRIVEN_VOLUME_STATES.has(String(v.status)));
        return [...busyServers.map((s) => `server ${s.id} ${s.status}/${s['OS-EXT-STS:task_state']}`), ...busyVolumes.map((v) => `volume ${v.id} ${v.status}`)];
      };
      let busy = await settled();
      for (let i = 0; i < 100 && busy.length > 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        busy = await settled();
      }
      assert.deepEqual(busy, []);
    });
  });
}
