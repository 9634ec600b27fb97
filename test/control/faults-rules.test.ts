/** FaultRules and the scope hook without a cloud: a clock and dice the test controls, paths per endpoint, the log of an injected fault. */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { pino } from 'pino';
import { FaultRules, injectFaults } from '../../src/control/index.js';
import { serviceCaller } from '../../src/core/context.js';
import { createHttpApp } from '../../src/core/http/app.js';
import { installErrorHandlers } from '../../src/core/http/service-scope.js';
import { renderWsgiFault } from '../../src/core/http/wsgi-fault.js';

const MODULES = [
  { name: 'compute', prefix: '/compute', catalog: [{ type: 'compute', name: 'nova', path: '/compute/v2.1' }] },
  { name: 'volume', prefix: '/volume', catalog: [{ type: 'block-storage', name: 'cinder', path: '/volume/v3/$(project_id)s' }] },
];
const quiet = pino({ level: 'silent' });

function rulesWith(options: { random?: () => number; now?: () => number } = {}) {
  return new FaultRules(MODULES, quiet, options.random, options.now);
}
const request = (service: string, method: string, url: string) => ({ service, method, url, caller: async () => null });

test('a rule expires when the clock passes expires_in', async () => {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const rules = rulesWith({ now: () => now });
  const rule = rules.add({ service: 'compute', status: 500, expires_in: 30 });
  assert.equal(rule.expires_at, '2026-01-01T00:00:30.000Z');
  assert.ok(await rules.matchRequest(request('compute', 'GET', '/compute/v2.1/servers')));
  now += 30_000;
  assert.equal(await rules.matchRequest(request('compute', 'GET', '/compute/v2.1/servers')), null);
  assert.deepEqual(rules.list(), []);
});

test('probability is rolled per request: a roll under it fires, one at or over it does not', async () => {
  let roll = 0.7;
  const rules = rulesWith({ random: () => roll });
  const rule = rules.add({ service: 'nova', status: 503, probability: 0.5 });
  assert.equal(await rules.matchRequest(request('compute', 'GET', '/compute/v2.1/servers')), null);
  roll = 0.2;
  assert.equal((await rules.matchRequest(request('compute', 'GET', '/compute/v2.1/servers')))?.id, rule.id);
  assert.equal(rules.get(rule.id)?.hits, 1);
});

test('paths match relative to the endpoint (any project) or to the prefix, and only for the rule service', async () => {
  const rules = rulesWith();
  rules.add({ service: 'cinder', method: 'POST', path: '/volumes', status: 413 });
  assert.ok(await rules.matchRequest(request('volume', 'POST', '/volume/v3/0123abcd/volumes?x=1')));
  assert.equal(await rules.matchRequest(request('volume', 'POST', '/volume/v3/0123abcd/volumes/detail')), null);
  assert.equal(await rules.matchRequest(request('compute', 'POST', '/compute/v2.1/volumes')), null);
  rules.add({ service: 'compute', path: '/v2.1/servers/**', status: 409 });
  assert.ok(await rules.matchRequest(request('compute', 'DELETE', '/compute/v2.1/servers/abc/action')));
});

test('driver rules match their point and host, and leave HTTP requests alone', async () => {
  const rules = rulesWith();
  const rule = rules.add({ driver_fault: 'build', host: 'compute-2', count: 1 });
  assert.equal(rule.service, 'compute');
  assert.equal(await rules.matchRequest(request('compute', 'POST', '/compute/v2.1/servers')), null);
  assert.equal(rules.take({ point: 'build', host: 'compute-1' }), null);
  assert.equal(rules.take({ point: 'slow_hypervisor', host: 'compute-2' }), null);
  const hit = rules.take({ point: 'build', host: 'compute-2' });
  assert.deepEqual(hit, { ruleId: rule.id, latencyMs: 0, fails: true, message: `Fault injected by rule ${rule.id} (build).` });
  assert.deepEqual(rules.list(), [], 'count 1 used up');
});

test("an injected fault is rendered by the service's own error handler and logged as a warning with the request id and rule id", async () => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  const app = createHttpApp(pino({ level: 'warn' }, sink));
  const rules = new FaultRules(MODULES, quiet);
  const rule = rules.add({ service: 'compute', path: '/servers', user_id: 'u-1', status: 500, message: 'boom' });
  await app.register(
    async (scope) => {
      injectFaults(scope, 'compute', rules, async () => serviceCaller('u-1', { id: 'p-1' }));
      installErrorHandlers(scope, { renderError: renderWsgiFault });
      scope.get('/v2.1/servers', async () => ({ servers: [] }));
    },
    { prefix: '/compute' },
  );
  const response = await app.inject({ method: 'GET', url: '/compute/v2.1/servers' });
  await app.close();
  assert.equal(response.statusCode, 500);
  assert.deepEqual(response.json(), { computeFault: { code: 500, message: 'boom' } });
  const logged = lines.find((line) => line.msg === 'injected fault');
  assert.equal(logged?.faultRule, rule.id);
  assert.equal(logged?.requestId, response.headers['x-openstack-request-id']);
  assert.equal(logged?.level, 40);
});
