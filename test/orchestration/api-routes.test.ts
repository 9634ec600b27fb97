/**
 * heat-api's wire format over a stand-in stack service (the engine room is
 * tested on its own): status codes, Location headers, the name lookup's
 * redirects, bodies, Heat's fault body, and the cfn signal endpoint's
 * signature check. The software routes run on a real SQLite store.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { CallerContext } from '../../src/core/context.js';
import { NotFound } from '../../src/core/errors.js';
import { createHttpApp } from '../../src/core/http/app.js';
import { installErrorHandlers } from '../../src/core/http/service-scope.js';
import { createLogger } from '../../src/core/logger.js';
import { migrateService } from '../../src/core/db/migrate.js';
import { PolicyEnforcer } from '../../src/core/policy/index.js';
import type { Json } from '../../src/orchestration/json.js';
import { orchestrationRoutes, cfnSignalUrl, cfnWaitconditionUrl, type HeatApi } from '../../src/orchestration/api/index.js';
import { templateCatalog } from '../../src/orchestration/api/template-catalog.js';
import { renderHeatFault } from '../../src/orchestration/errors/api.js';
import { orchestrationAuthorizer, orchestrationPolicyDefaults } from '../../src/orchestration/policies.js';
import { cfnKeyMigrations, cfnKeys } from '../../src/orchestration/software/cfn-keys.js';
import { softwareMigrations } from '../../src/orchestration/software/migrations.js';
import { softwareService } from '../../src/orchestration/software/service.js';
import { softwareDb } from '../../src/orchestration/software/store.js';
import type { ResourceRecord, StackRecord, StackRequest, StackService } from '../../src/orchestration/service/types.js';
import { eachDialect, type TestDatabase } from '../support/databases.js';
import { authContext } from '../support/identity-deps.js';

const ROOT = 'http://nimbus.test/orchestration/v1';
const caller = authContext(['member', 'reader']);

function stackRecord(request: StackRequest, id: string): StackRecord {
  return {
    id,
    name: request.name,
    projectId: 'p1',
    ownerUserId: 'u1',
    ownerUserName: 'u1',
    action: 'CREATE',
    status: 'COMPLETE',
    statusReason: 'Stack CREATE completed successfully',
    description: '',
    template: request.template,
    environment: { parameters: {}, parameter_defaults: {}, resource_registry: {}, event_sinks: [], encrypted_param_names: [] },
    files: request.files ?? {},
    parameters: {},
    tags: request.tags ?? [],
    timeoutMins: null,
    disableRollback: true,
    parentId: null,
    parentResourceName: null,
    nestedDepth: 0,
    createdAt: '2026-01-01T00:00:00.123Z',
    updatedAt: null,
    deletedAt: null,
  };
}

/** What the stand-in records of the calls it got. */
interface Calls {
  signals: Array<{ caller: CallerContext | null; stackId: string; name: string; details: Json }>;
  actions: string[];
}

/** An in-memory stack service answering the calls these tests make. */
function standInStacks(calls: Calls): StackService {
  const stacks = new Map<string, StackRecord>();
  const missing = (name: string) => new NotFound(`The Stack (${name}) could not be found.`, { type: 'EntityNotFound' });
  const resource: ResourceRecord = {
    uuid: 'r-1',
    name: 'test',
    type: 'OS::Heat::TestResource',
    physicalId: 'phys-1',
    action: 'CREATE',
    status: 'COMPLETE',
    statusReason: 'state changed',
    stackId: 's-1',
    stackName: 'mystack',
    dependsOn: [],
    requiredBy: [],
    nestedStackId: null,
    metadata: {},
    description: '',
    createdAt: '2026-01-01T00:00:01Z',
    updatedAt: null,
  };
  const service: Partial<StackService> = {
    async create(_caller, request) {
      const stack = stackRecord(request, `s-${stacks.size + 1}`);
      stacks.set(stack.id, stack);
      return stack;
    },
    async find(_caller, nameOrId) {
      const stack = stacks.get(nameOrId) ?? [...stacks.values()].find((s) => s.name === nameOrId);
      if (!stack) throw missing(nameOrId);
      return stack;
    },
    async get(_caller, name, id) {
      const stack = stacks.get(id);
      if (!stack || stack.name !== name) throw missing(name);
      return stack;
    },
    async list() {
      return [...stacks.values()];
    },
    async count() {
      return stacks.size;
    },
    async outputs() {
      return [{ key: 'out', description: 'No description given', value: 'v' }];
    },
    async output(_caller, _id, key) {
      if (key !== 'out') throw new NotFound(`Specified output key ${key} not found.`, { type: 'NotFound' });
      return { key: 'out', description: 'No description given', value: 'v' };
    },
    async resources() {
      return [resource];
    },
    async resource() {
      return { ...resource, attributes: { output: 'test' }, properties: {} };
    },
    async signal(signalCaller, stackId, name, details) {
      calls.signals.push({ caller: signalCaller, stackId, name, details });
    },
    async action(_caller, _id, action) {
      calls.actions.push(action);
    },
    async delete(_caller, id) {
      stacks.delete(id);
    },
  };
  return service as StackService;
}

describe('heat-api routes', () => {
  let app: FastifyInstance;
  let db: TestDatabase;
  const calls: Calls = { signals: [], actions: [] };
  let keys: ReturnType<typeof cfnKeys>;

  before(async () => {
    db = await eachDialect()[0]!.open();
    await migrateService(db, 'orchestration', { ...softwareMigrations, ...cfnKeyMigrations });
    const policy = new PolicyEnforcer();
    policy.registerDefaults(orchestrationPolicyDefaults);
    const authz = orchestrationAuthorizer(policy);
    keys = cfnKeys(db);
    const stacks = standInStacks(calls);
    const api: HeatApi = {
      stacks,
      software: softwareService(softwareDb(db), authz),
      authenticate: async (request) => {
        if (request.headers['x-auth-token'] !== 'good') throw new NotFound('no token');
        return caller;
      },
      isAdmin: (c) => authz.isAdmin(c),
      authorize: (c, rule, target) => authz.authorize(c, rule, target),
      root: () => ROOT,
      fetchTemplate: async () => 'heat_template_version: 2016-04-08\n',
      templates: templateCatalog,
      buildInfo: () => ({ api: { revision: 'test' }, engine: { revision: 'test' } }),
      engines: () => [],
    };
    app = createHttpApp(createLogger('silent', 'json'));
    await app.register(
      async (scope) => {
        installErrorHandlers(scope, { renderError: renderHeatFault });
        orchestrationRoutes(scope, api, { keys, stacks });
      },
      { prefix: '/orchestration' },
    );
    await app.ready();
  });

  after(async () => {
    await app.close();
    await db.close();
  });

  const request = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
    app.inject({ method, url: `/orchestration/v1/p1${url}`, headers: { 'x-auth-token': 'good' }, ...(body === undefined ? {} : { payload: body as object }) });

  test('create answers 201 with the stack link and Location', async () => {
    const response = await request('POST', '/stacks', { stack_name: 'mystack', template: { heat_template_version: '2016-04-08' } });
    assert.equal(response.statusCode, 201);
    const href = `${ROOT}/p1/stacks/mystack/s-1`;
    assert.equal(response.headers.location, href);
    assert.deepEqual(response.json(), { stack: { id: 's-1', links: [{ href, rel: 'self' }] } });
  });

  test('a stack name, or its sub-path, redirects to the canonical URL with the query kept', async () => {
    const show = await request('GET', '/stacks/mystack');
    assert.equal(show.statusCode, 302);
    assert.equal(show.headers.location, `${ROOT}/p1/stacks/mystack/s-1`);
    const resources = await request('GET', '/stacks/mystack/resources?nested_depth=2');
    assert.equal(resources.headers.location, `${ROOT}/p1/stacks/mystack/s-1/resources?nested_depth=2`);
    const del = await request('DELETE', '/stacks/mystack');
    assert.equal(del.statusCode, 302);
  });

  test("an unknown stack is Heat's 404 fault body", async () => {
    const response = await request('GET', '/stacks/nope');
    assert.equal(response.statusCode, 404);
    assert.deepEqual(response.json(), {
      explanation: 'The resource could not be found.',
      code: 404,
      error: { message: 'The Stack (nope) could not be found.', traceback: null, type: 'EntityNotFound' },
      title: 'Not Found',
    });
  });

  test("show has status, outputs and Heat's times", async () => {
    const body = (await request('GET', '/stacks/mystack/s-1')).json() as { stack: Record<string, Json> };
    assert.equal(body.stack['stack_status'], 'CREATE_COMPLETE');
    assert.equal(body.stack['creation_time'], '2026-01-01T00:00:00Z');
    assert.deepEqual(body.stack['outputs'], [{ output_key: 'out', description: 'No description given', output_value: 'v' }]);
    const output = (await request('GET', '/stacks/mystack/s-1/outputs/out')).json();
    assert.deepEqual(output, { output: { output_key: 'out', description: 'No description given', output_value: 'v' } });
  });

  test('list, with count, as application/json without a charset', async () => {
    const response = await request('GET', '/stacks?with_count=true');
    assert.equal(response.headers['content-type'], 'application/json');
    const body = response.json() as { stacks: Array<Record<string, Json>>; count: number };
    assert.equal(body.count, 1);
    assert.equal(body.stacks[0]!['stack_name'], 'mystack');
    assert.equal(body.stacks[0]!['tags'], null);
  });

  test('resources: list, show with attributes, unknown filters refused', async () => {
    const list = (await request('GET', '/stacks/mystack/s-1/resources')).json() as { resources: Array<Record<string, Json>> };
    assert.equal(list.resources[0]!['logical_resource_id'], 'test');
    assert.equal(list.resources[0]!['resource_status'], 'CREATE_COMPLETE');
    const show = (await request('GET', '/stacks/mystack/s-1/resources/test')).json() as { resource: Record<string, Json> };
    assert.deepEqual(show.resource['attributes'], { output: 'test' });
    const bad = await request('GET', '/stacks/mystack/s-1/resources?bogus=1');
    assert.equal(bad.statusCode, 400);
    assert.equal((bad.json() as { error: { message: string } }).error.message, "Invalid filter parameters ['bogus']");
  });

  test('actions: exactly one known action', async () => {
    assert.equal((await request('POST', '/stacks/mystack/s-1/actions', { check: null })).statusCode, 200);
    assert.deepEqual(calls.actions, ['check']);
    const two = await request('POST', '/stacks/mystack/s-1/actions', { check: null, suspend: null });
    assert.equal((two.json() as { error: { message: string } }).error.message, 'Multiple actions specified');
    const unknown = await request('POST', '/stacks/mystack/s-1/actions', { explode: null });
    assert.equal((unknown.json() as { error: { message: string } }).error.message, 'Invalid action explode specified');
  });

  test('template versions and functions', async () => {
    const versions = (await request('GET', '/template_versions')).json() as { template_versions: Array<{ version: string; type: string }> };
    assert.ok(versions.template_versions.some((v) => v.version === 'heat_template_version.2016-04-08' && v.type === 'hot'));
    const functions = (await request('GET', '/template_versions/heat_template_version.2016-04-08/functions')).json() as {
      template_functions: Array<{ functions: string; description: string }>;
    };
    assert.equal(functions.template_functions.find((f) => f.functions === 'get_file')?.description, 'A function for including a file inline.');
    assert.equal((await request('GET', '/template_versions/nope/functions')).statusCode, 404);
  });

  test('software configs and deployments', async () => {
    const created = await request('POST', '/software_configs', { name: 'c', group: 'script', config: 'echo', inputs: [{ name: 'x' }] });
    assert.equal(created.statusCode, 200);
    const config = (created.json() as { software_config: Record<string, Json> }).software_config;
    assert.equal(config['config'], 'echo');
    const deployment = await request('POST', '/software_deployments', { config_id: config['id'], server_id: 'srv', action: 'CREATE', status: 'IN_PROGRESS' });
    const id = (deployment.json() as { software_deployment: { id: string } }).software_deployment.id;
    const updated = await request('PUT', `/software_deployments/${id}`, { status: 'COMPLETE', output_values: { a: 1 } });
    assert.equal((updated.json() as { software_deployment: { status: string } }).software_deployment.status, 'COMPLETE');
    const metadata = (await request('GET', '/software_deployments/metadata/srv')).json() as { metadata: Array<{ id: string }> };
    assert.deepEqual(
      metadata.metadata.map((m) => m.id),
      [config['id']],
    );
    assert.equal((await request('DELETE', `/software_deployments/${id}`)).statusCode, 204);
    assert.equal((await request('DELETE', `/software_configs/${String(config['id'])}`)).statusCode, 204);
  });

  test('a presigned cfn URL signals its resource without a token; a changed one is refused', async () => {
    const url = new URL(
      await cfnSignalUrl(keys, cfnWaitconditionUrl('http://localhost:80/orchestration'), { projectId: 'p1', name: 'mystack', id: 's-1' }, 'wait'),
    );
    const path = `${url.pathname}${url.search}`;
    const post = (target: string) =>
      app.inject({ method: 'POST', url: target, headers: { host: url.host, 'content-type': 'application/json' }, payload: '{"status": "SUCCESS"}' });
    const good = await post(path);
    assert.equal(good.statusCode, 200, good.body);
    assert.deepEqual(calls.signals.at(-1), { caller: null, stackId: 's-1', name: 'wait', details: { status: 'SUCCESS' } });
    const forged = await post(path.replace('wait', 'other'));
    assert.equal(forged.statusCode, 403);
    assert.equal((forged.json() as { error: { type: string } }).error.type, 'SignatureDoesNotMatch');
    const query = url.search;
    // The router refuses a malformed escape before the handler sees it.
    assert.equal((await post(`/orchestration/cfn/v1/signal/%E0%A4%A${query}`)).statusCode, 400);
    assert.equal((await post('/orchestration/cfn/v1/signal/arn')).statusCode, 403);
  });
});
