/** Aodh v2 under /alarming: alarms of each type, their validation errors, state, history, queries, quotas, as python-aodhclient and Tempest call them. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

const RESOURCE_RULE = {
  metric: 'cpu',
  resource_id: '6868da77-fa82-4e67-aba9-270c5ae8cbca',
  resource_type: 'instance',
  threshold: 80,
  aggregation_method: 'mean',
};

describe('alarming API', () => {
  let cloud: TestServer;
  let demo: string;
  let admin: string;

  before(async () => {
    cloud = await startTestServer();
    demo = await cloud.demoToken();
    admin = await cloud.adminToken();
  });
  after(() => cloud.close());

  const create = (token: string, body: Record<string, unknown>) => cloud.request('POST', '/alarming/v2/alarms', { token, body });

  test('a gnocchi_resources_threshold alarm gets Aodh defaults, a Location and shows as created', async () => {
    const response = await create(demo, { name: 'cpu-high', type: 'gnocchi_resources_threshold', gnocchi_resources_threshold_rule: RESOURCE_RULE });
    assert.equal(response.status, 201, response.text);
    const alarm = response.body;
    assert.match(alarm.alarm_id, /^[0-9a-f-]{36}$/);
    assert.equal(response.headers.get('location'), `${cloud.url}/alarming/v2/alarms/${alarm.alarm_id}`);
    assert.equal(alarm.state, 'insufficient data');
    assert.equal(alarm.state_reason, 'Not evaluated yet');
    assert.equal(alarm.severity, 'low');
    assert.equal(alarm.enabled, true);
    assert.equal(alarm.repeat_actions, false);
    assert.equal(alarm.description, 'gnocchi_resources_threshold alarm rule');
    assert.deepEqual(alarm.gnocchi_resources_threshold_rule, { ...RESOURCE_RULE, granularity: 60, comparison_operator: 'eq', evaluation_periods: 1 });
    assert.match(alarm.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    const shown = await cloud.request('GET', `/alarming/v2/alarms/${alarm.alarm_id}`, { token: demo });
    assert.deepEqual(shown.body, alarm);
    const history = await cloud.request('GET', `/alarming/v2/alarms/${alarm.alarm_id}/history`, { token: demo });
    assert.equal(history.body.length, 1);
    assert.equal(history.body[0].type, 'creation');
    assert.equal(JSON.parse(history.body[0].detail).name, 'cpu-high');
  });

  test('every type is accepted with its rule', async () => {
    const bodies = [
      {
        type: 'gnocchi_aggregation_by_metrics_threshold',
        gnocchi_aggregation_by_metrics_threshold_rule: { metrics: ['a', 'b'], threshold: 1, aggregation_method: 'max', comparison_operator: 'gt' },
      },
      {
        type: 'gnocchi_aggregation_by_resources_threshold',
        gnocchi_aggregation_by_resources_threshold_rule: {
          metric: 'cpu',
          query: '{"=": {"server_group": "g"}}',
          resource_type: 'instance',
          threshold: 1,
          aggregation_method: 'rate:mean',
        },
      },
      {
        type: 'composite',
        composite_rule: {
          or: [
            { type: 'gnocchi_resources_threshold', ...RESOURCE_RULE },
            {
              and: [
                { type: 'gnocchi_aggregation_by_metrics_threshold', metrics: ['m'], threshold: 2, aggregation_method: 'sum' },
                { type: 'gnocchi_resources_threshold', ...RESOURCE_RULE, threshold: 3 },
              ],
            },
          ],
        },
      },
      { type: 'event', event_rule: { event_type: 'compute.instance.update', query: [{ field: 'traits.state', op: 'eq', value: 'error', type: 'string' }] } },
    ];
    for (const [i, body] of bodies.entries()) {
      const response = await create(demo, { name: `typed-${i}`, ...body });
      assert.equal(response.status, 201, response.text);
    }
    const list = await cloud.request('GET', '/alarming/v2/alarms?q.field=type&q.op=eq&q.value=event', { token: demo });
    assert.equal(list.body.length, 1);
    assert.equal(list.body[0].description, 'Alarm when compute.instance.update event occurred.');
    const byResources = await cloud.request('GET', '/alarming/v2/alarms?q.field=name&q.value=typed-1', { token: demo });
    // A project member's search is held to its project, as Aodh rewrites it.
    const query = JSON.parse(byResources.body[0].gnocchi_aggregation_by_resources_threshold_rule.query);
    assert.deepEqual(query.and[1], { '=': { server_group: 'g' } });
    const composite = await cloud.request('GET', '/alarming/v2/alarms?q.field=type&q.value=composite', { token: demo });
    assert.equal(composite.body[0].composite_rule.or[1].and[0].granularity, 60);
  });

  test('validation answers Aodh 400s, 401s, 409 and 501 in its error body', async () => {
    const cases: Array<[Record<string, unknown>, number, RegExp]> = [
      [{ type: 'gnocchi_resources_threshold', gnocchi_resources_threshold_rule: RESOURCE_RULE }, 400, /field\/attribute name.*Mandatory field missing/],
      [{ name: 'x', type: 'threshold' }, 400, /field\/attribute type. Value: 'threshold'. Value should be one of/],
      [{ name: 'x', type: 'gnocchi_resources_threshold' }, 400, /^gnocchi_resources_threshold_rule must be set for gnocchi_resources_threshold type alarm$/],
      [{ name: 'x', type: 'event', event_rule: {}, composite_rule: { and: [] } }, 400, /^composite_rule and event_rule cannot be set at the same time$/],
      [
        { name: 'x', type: 'gnocchi_resources_threshold', gnocchi_resources_threshold_rule: { ...RESOURCE_RULE, aggregation_method: 'avg' } },
        400,
        /^aggregation_method should be in \['mean'.* not avg$/,
      ],
      [
        { name: 'x', type: 'gnocchi_resources_threshold', gnocchi_resources_threshold_rule: { ...RESOURCE_RULE, comparison_operator: 'over' } },
        400,
        /comparison_operator/,
      ],
      [
        { name: 'x', type: 'gnocchi_resources_threshold', gnocchi_resources_threshold_rule: { ...RESOURCE_RULE, evaluation_periods: 0 } },
        400,
        /evaluation_periods/,
      ],
      [
        { name: 'x', type: 'gnocchi_resources_threshold', gnocchi_resources_threshold_rule: { ...RESOURCE_RULE, threshold: undefined } },
        400,
        /threshold.*Mandatory field missing/,
      ],
      [
        {
          name: 'x',
          type: 'gnocchi_aggregation_by_resources_threshold',
          gnocchi_aggregation_by_resources_threshold_rule: {
            metric: 'cpu',
            query: '{bad',
            resource_type: 'instance',
            threshold: 1,
            aggregation_method: 'mean',
          },
        },
        400,
        /rule\/query/,
      ],
      [{ name: 'x', type: 'composite', composite_rule: { xor: [] } }, 400, /^Threshold rules should be combined with "and" or "or"$/],
      [
        {
          name: 'x',
          type: 'composite',
          composite_rule: {
            and: [
              { threshold: 1, granularity: 60 },
              { threshold: 2, granularity: 60 },
            ],
          },
        },
        400,
        /^type must be set in every rule$/,
      ],
      [{ name: 'x', type: 'composite', composite_rule: { and: [{ type: 'event' }] } }, 400, /^Unsupported sub-rule type :event in composite rule/],
      [{ name: 'x', type: 'event', event_rule: {}, alarm_actions: ['ftp://x'] }, 400, /^Unsupported action ftp:\/\/x$/],
      [{ name: 'x', type: 'event', event_rule: {}, alarm_actions: ['log://'] }, 401, /^You are not authorized to create action: log:\/\/$/],
      [{ name: 'x', type: 'event', event_rule: {}, alarm_actions: ['trust+http://some-trust@127.0.0.1/hook'] }, 400, /^trust URL cannot contain a trust ID\.$/],
      [{ name: 'x', type: 'event', event_rule: {}, project_id: 'another' }, 401, /^Not Authorized to access project another$/],
      [
        { name: 'x', type: 'event', event_rule: {}, time_constraints: [{ name: 'tc', start: '0 23 * * *', duration: 60, timezone: 'Mars/Olympus' }] },
        400,
        /^Timezone Mars\/Olympus is not valid$/,
      ],
      [{ name: 'x', type: 'event', event_rule: {}, time_constraints: [{ name: 'tc', start: 'every day', duration: 60 }] }, 400, /field\/attribute start/],
      [
        {
          name: 'x',
          type: 'event',
          event_rule: {},
          time_constraints: [
            { name: 'a', start: '* * * * *', duration: 1 },
            { name: 'a', start: '* * * * *', duration: 1 },
          ],
        },
        400,
        /^Time constraint names must be unique for a given alarm.$/,
      ],
      [{ name: 'x', type: 'event', event_rule: {}, severity: 'huge' }, 400, /severity/],
    ];
    for (const [body, status, message] of cases) {
      const response = await create(demo, body);
      assert.equal(response.status, status, `${JSON.stringify(body)}: ${response.text}`);
      assert.equal(response.body.error_message.faultcode, status >= 500 ? 'Server' : 'Client');
      assert.match(response.body.error_message.faultstring, message);
    }
    await create(demo, { name: 'unique', type: 'event', event_rule: {} });
    const twin = await create(demo, { name: 'unique', type: 'event', event_rule: {} });
    assert.equal(twin.status, 409);
    assert.equal(twin.body.error_message.faultstring, "Alarm with name='unique' exists");
    assert.equal((await cloud.request('GET', '/alarming/v2/alarms')).status, 401);
    const admins = await create(admin, { name: 'admin-log', type: 'event', event_rule: {}, alarm_actions: ['log://'] });
    assert.equal(admins.status, 201, admins.text);
  });

  test('projects see their own alarms; admin sees all; sort, limit and marker page', async () => {
    const adminAlarm = await create(admin, { name: 'admins-own', type: 'event', event_rule: {} });
    const hidden = await cloud.request('GET', `/alarming/v2/alarms/${adminAlarm.body.alarm_id}`, { token: demo });
    assert.equal(hidden.status, 404);
    assert.match(hidden.body.error_message.faultstring, new RegExp(`^Alarm ${adminAlarm.body.alarm_id} not found in project `));
    const mine = await cloud.request('GET', '/alarming/v2/alarms', { token: demo });
    assert.ok(mine.body.every((a: { project_id: string }) => a.project_id === mine.body[0].project_id));
    // Admins list their own project too, unless they ask for every project or name one.
    const adminsOwn = await cloud.request('GET', '/alarming/v2/alarms', { token: admin });
    assert.ok(adminsOwn.body.every((a: { project_id: string }) => a.project_id === adminAlarm.body.project_id));
    const all = await cloud.request('GET', '/alarming/v2/alarms?q.field=all_projects&q.value=true', { token: admin });
    assert.equal(all.body.length, adminsOwn.body.length + mine.body.length);
    const demos = await cloud.request('GET', `/alarming/v2/alarms?q.field=project_id&q.value=${mine.body[0].project_id}`, { token: admin });
    assert.equal(demos.body.length, mine.body.length);
    assert.equal((await cloud.request('GET', '/alarming/v2/alarms?q.field=all_projects&q.value=true', { token: demo })).status, 403);
    const foreign = await cloud.request('GET', `/alarming/v2/alarms?q.field=project_id&q.value=${adminAlarm.body.project_id}`, { token: demo });
    assert.equal(foreign.status, 401);

    const sorted = await cloud.request('GET', '/alarming/v2/alarms?sort=name:desc', { token: demo });
    const names = sorted.body.map((a: { name: string }) => a.name);
    assert.deepEqual(names, [...names].sort().reverse());
    const first = await cloud.request('GET', '/alarming/v2/alarms?sort=name:asc&limit=2', { token: demo });
    assert.equal(first.body.length, 2);
    const next = await cloud.request('GET', `/alarming/v2/alarms?sort=name:asc&limit=2&marker=${first.body[1].alarm_id}`, { token: demo });
    assert.equal(next.body[0].name, names[names.length - 3]);
    assert.equal((await cloud.request('GET', '/alarming/v2/alarms?sort=color', { token: demo })).status, 400);
    assert.equal((await cloud.request('GET', '/alarming/v2/alarms?limit=0', { token: demo })).status, 400);
    const unknownField = await cloud.request('GET', '/alarming/v2/alarms?q.field=color&q.value=red', { token: demo });
    assert.equal(unknownField.status, 400);
    assert.match(
      unknownField.body.error_message.faultstring,
      /^Invalid input for field\/attribute field. Value: '\{'color'\}'. only fields \{'all_projects', /,
    );
    assert.equal((await cloud.request('GET', '/alarming/v2/alarms?q.field=name&q.op=ne&q.value=x', { token: demo })).status, 400);
    const enabled = await cloud.request('GET', '/alarming/v2/alarms?q.field=enabled&q.value=True', { token: demo });
    assert.equal(enabled.body.length, mine.body.length);
  });

  test('update, state get/put, history with q, delete keeps the history', async () => {
    const created = (await create(demo, { name: 'to-change', type: 'gnocchi_resources_threshold', gnocchi_resources_threshold_rule: RESOURCE_RULE })).body;
    const path = `/alarming/v2/alarms/${created.alarm_id}`;
    const changed = await cloud.request('PUT', path, {
      token: demo,
      body: { ...created, severity: 'critical', gnocchi_resources_threshold_rule: { ...RESOURCE_RULE, threshold: 90 } },
    });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.severity, 'critical');
    assert.equal(changed.body.gnocchi_resources_threshold_rule.threshold, 90);

    const state = await cloud.request('PUT', `${path}/state`, { token: demo, rawBody: '"alarm"' });
    assert.equal(state.status, 200, state.text);
    assert.equal(state.body, 'alarm');
    assert.equal(JSON.parse((await cloud.request('GET', `${path}/state`, { token: demo })).text), 'alarm');
    assert.equal((await cloud.request('GET', path, { token: demo })).body.state_reason, 'Manually set via API');
    assert.equal((await cloud.request('PUT', `${path}/state`, { token: demo, rawBody: '"broken"' })).status, 400);

    const history = await cloud.request('GET', `${path}/history`, { token: demo });
    assert.deepEqual(
      history.body.map((h: { type: string }) => h.type),
      ['state transition', 'rule change', 'creation'],
    );
    assert.deepEqual(JSON.parse(history.body[1].detail), { severity: 'critical', rule: { ...changed.body.gnocchi_resources_threshold_rule } });
    const transitions = await cloud.request('GET', `${path}/history?q.field=type&q.op=eq&q.value=state%20transition`, { token: demo });
    assert.equal(transitions.body.length, 1);

    assert.equal((await cloud.request('DELETE', path, { token: demo })).status, 204);
    assert.equal((await cloud.request('GET', path, { token: demo })).status, 404);
    assert.equal((await cloud.request('DELETE', path, { token: demo })).status, 404);
    const after = await cloud.request('GET', `${path}/history`, { token: demo });
    assert.equal(after.body[0].type, 'deletion');
  });

  test('complex queries over alarms and history, held to the caller project', async () => {
    const query = await cloud.request('POST', '/alarming/v2/query/alarms', {
      token: demo,
      body: { filter: JSON.stringify({ and: [{ '=': { type: 'event' } }, { in: { name: ['typed-3', 'unique'] } }] }), orderby: '[{"name": "desc"}]', limit: 5 },
    });
    assert.equal(query.status, 200, query.text);
    assert.deepEqual(
      query.body.map((a: { name: string }) => a.name),
      ['unique', 'typed-3'],
    );
    const regex = await cloud.request('POST', '/alarming/v2/query/alarms', { token: demo, body: { filter: '{"=~": {"name": "^typed-"}}' } });
    assert.equal(regex.body.length, 4);
    const other = await cloud.request('POST', '/alarming/v2/query/alarms', { token: demo, body: { filter: '{"=": {"project_id": "another"}}' } });
    assert.equal(other.status, 401);
    const bad = await cloud.request('POST', '/alarming/v2/query/alarms', { token: demo, body: { filter: '{"between": {"name": 1}}' } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error_message.faultstring, /^Filter expression not valid/);
    assert.equal((await cloud.request('POST', '/alarming/v2/query/alarms', { token: demo, body: { limit: 0 } })).status, 400);
    const history = await cloud.request('POST', '/alarming/v2/query/alarms/history', {
      token: demo,
      body: { filter: '{"=": {"type": "creation"}}', limit: 3 },
    });
    assert.equal(history.status, 200);
    assert.equal(history.body.length, 3);
    assert.ok(history.body.every((h: { type: string }) => h.type === 'creation'));
  });

  test('capabilities and the version document', async () => {
    const caps = await cloud.request('GET', '/alarming/v2/capabilities', { token: demo });
    assert.equal(caps.body.api['alarms:query:complex'], true);
    const root = await cloud.request('GET', '/alarming/');
    assert.equal(root.body.versions.values[0].id, 'v2');
  });

  test('quotas: admin sets a project limit, the project is held to it, members cannot set them', async () => {
    const project = (await cloud.request('GET', '/alarming/v2/quotas', { token: demo })).body;
    assert.deepEqual(project.quotas, [{ resource: 'alarms', limit: -1 }]);
    const refused = await cloud.request('POST', '/alarming/v2/quotas', {
      token: demo,
      body: { project_id: project.project_id, quotas: [{ resource: 'alarms', limit: 1 }] },
    });
    assert.equal(refused.status, 403);
    const set = await cloud.request('POST', '/alarming/v2/quotas', {
      token: admin,
      body: { project_id: project.project_id, quotas: [{ resource: 'alarms', limit: 1 }] },
    });
    assert.equal(set.status, 201, set.text);
    assert.deepEqual(set.body.quotas, [{ resource: 'alarms', limit: 1 }]);
    const over = await create(demo, { name: 'one-too-many', type: 'event', event_rule: {} });
    assert.equal(over.status, 403);
    assert.match(over.body.error_message.faultstring, /^Alarm quota exceeded for user .* on project /);
    const badResource = await cloud.request('POST', '/alarming/v2/quotas', {
      token: admin,
      body: { project_id: project.project_id, quotas: [{ resource: 'cpus', limit: 1 }] },
    });
    assert.equal(badResource.status, 400);
    assert.equal((await cloud.request('DELETE', `/alarming/v2/quotas/${project.project_id}`, { token: admin })).status, 204);
    assert.equal((await create(demo, { name: 'one-too-many', type: 'event', event_rule: {} })).status, 201);
  });
});
