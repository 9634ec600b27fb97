/**
 * The autoscaling loop end to end on one Nimbus, as Heat's autoscaling example
 * runs it: a stack's AutoScalingGroup of fake servers tagged
 * `metering.server_group`, a scale-out and a scale-in ScalingPolicy with
 * cooldowns, and two GnocchiAggregationByResourcesAlarms on `cpu` `rate:mean`
 * posting to the policies' `trust+` signal URLs. Nothing is posted to a policy
 * by the test: it only changes the servers' `fake:cpu_load` metadata, and the
 * metering agent (1 s polling), the metric service's aggregation, the alarm
 * evaluator (1 s rounds) and Heat do the rest.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { heatApi, type HeatApi } from '../orchestration/support/heat-api.js';
import { startComputeCloud, type ComputeCloud } from '../compute/support.js';
import type { Json } from '../support/json.js';

const POLICY = 'loop-autoscaling-2s';
/**
 * Two-second points over one-second polls: each point averages two samples, so a poll that a loaded machine runs late
 * (its sample is stamped at the cycle boundary but counts the CPU time up to when it ran) moves a point by half as much,
 * and a point goes missing only when two polls in a row do.
 */
const GRANULARITY = 2;
/** One vCPU fully busy adds 1e9 ns of CPU time a second. */
const BUSY_NS_PER_POINT = GRANULARITY * 1e9;
/**
 * The group grows above 70 % of one busy vCPU and shrinks under 20 %. One busy member of two averages 50 %, so a late
 * poll has to push a point up by 40 % (twice in a row: evaluation_periods) before the group grows by mistake; two busy
 * members of three average 67 %, still under.
 */
const SCALE_OUT_ABOVE = 0.7 * BUSY_NS_PER_POINT;
const SCALE_IN_BELOW = 0.2 * BUSY_NS_PER_POINT;
/** Long enough for a new member's first measures to reach the group's mean before the high alarm may add another. */
const SCALE_OUT_COOLDOWN = 10;
const SCALE_IN_COOLDOWN = 6;

const alarm = (policy: string, operator: 'gt' | 'lt', threshold: number) => ({
  type: 'OS::Aodh::GnocchiAggregationByResourcesAlarm',
  properties: {
    metric: 'cpu',
    aggregation_method: 'rate:mean',
    granularity: GRANULARITY,
    // Two points in a row: a poll that slips makes one rate point too high (and the next too low), which alone must not scale.
    evaluation_periods: 2,
    threshold,
    comparison_operator: operator,
    resource_type: 'instance',
    alarm_actions: [{ str_replace: { template: 'trust+url', params: { url: { get_attr: [policy, 'signal_url'] } } } }],
    query: { list_join: ['', [{ '=': { server_group: { get_param: 'OS::stack_id' } } }]] },
  },
});

const TEMPLATE = {
  heat_template_version: '2016-10-14',
  parameters: { image: { type: 'string' }, network: { type: 'string' } },
  resources: {
    asg: {
      type: 'OS::Heat::AutoScalingGroup',
      properties: {
        min_size: 1,
        max_size: 3,
        resource: {
          type: 'OS::Nova::Server',
          properties: {
            image: { get_param: 'image' },
            flavor: 'm1.tiny',
            networks: [{ network: { get_param: 'network' } }],
            metadata: { 'metering.server_group': { get_param: 'OS::stack_id' } },
          },
        },
      },
    },
    scaleup_policy: {
      type: 'OS::Heat::ScalingPolicy',
      properties: {
        adjustment_type: 'change_in_capacity',
        auto_scaling_group_id: { get_resource: 'asg' },
        cooldown: SCALE_OUT_COOLDOWN,
        scaling_adjustment: 1,
      },
    },
    scaledown_policy: {
      type: 'OS::Heat::ScalingPolicy',
      properties: {
        adjustment_type: 'change_in_capacity',
        auto_scaling_group_id: { get_resource: 'asg' },
        cooldown: SCALE_IN_COOLDOWN,
        scaling_adjustment: -1,
      },
    },
    cpu_alarm_high: alarm('scaleup_policy', 'gt', SCALE_OUT_ABOVE),
    cpu_alarm_low: alarm('scaledown_policy', 'lt', SCALE_IN_BELOW),
  },
  outputs: { asg_size: { value: { get_attr: ['asg', 'current_size'] } } },
};

describe('metering loop: CPU load scales a Heat group through Ceilometer, Gnocchi and Aodh', () => {
  let c: ComputeCloud;
  let heat: HeatApi;
  let stackUrl: string;
  let stackId: string;
  before(async () => {
    c = await startComputeCloud((config) => {
      config.metering.enabled = true;
      config.metering.polling.interval = 1;
      config.metering.publisher_gnocchi.archive_policy = POLICY;
      config.alarming.evaluation_interval = 1;
      // Measures reach the series up to one metricd pass (2 s) after the poll: look that much further back.
      config.alarming.additional_ingestion_lag = 3;
    });
    heat = await heatApi(c.cloud, c.demo);
  });
  after(() => c?.close());

  const sizeOf = async (): Promise<number> => {
    const stack = (await heat.call('GET', stackUrl)).body.stack as { outputs: Array<{ output_key: string; output_value: Json }> };
    return Number(stack.outputs.find((o) => o.output_key === 'asg_size')?.output_value);
  };
  /** Waits until the group has `size` members; returns when that was first seen. */
  const waitForSize = async (size: number, seconds = 60): Promise<number> => {
    const deadline = Date.now() + seconds * 1000;
    let seen = await sizeOf();
    while (seen !== size) {
      if (Date.now() > deadline) assert.fail(`the group stayed at ${seen}, never ${size}, within ${seconds} s`);
      await delay(200);
      seen = await sizeOf();
    }
    return Date.now();
  };
  const groupServers = async (): Promise<string[]> => {
    const listed = await c.call('GET', '/servers/detail');
    assert.equal(listed.status, 200, listed.text);
    const servers = listed.body.servers as Array<{ id: string; status: string; metadata: Record<string, string> }>;
    return servers.filter((s) => s.metadata['metering.server_group'] === stackId && s.status === 'ACTIVE').map((s) => s.id);
  };
  const setLoad = async (ids: string[], load: string) => {
    for (const id of ids) {
      const set = await c.call('POST', `/servers/${id}/metadata`, { body: { metadata: { 'fake:cpu_load': load } } });
      assert.equal(set.status, 200, set.text);
    }
  };
  const alarm = async (name: string): Promise<{ state: string; state_reason: string }> => {
    const resource = await heat.call('GET', `${stackUrl}/resources/${name}`);
    const shown = await c.cloud.request('GET', `/alarming/v2/alarms/${String(resource.body.resource.physical_resource_id)}`, { token: c.demo });
    assert.equal(shown.status, 200, shown.text);
    return { state: String(shown.body.state), state_reason: String(shown.body.state_reason) };
  };
  const alarmState = async (name: string): Promise<string> => (await alarm(name)).state;
  const waitForAlarm = async (name: string, state: string) => {
    for (let i = 0; i < 300 && (await alarmState(name)) !== state; i++) await delay(100);
    const last = await alarm(name);
    assert.equal(last.state, state, `${name} never went to ${state}: ${last.state_reason}`);
  };

  test('busy servers scale the group out, idle ones scale it in, one step per cooldown', { timeout: 240_000 }, async () => {
    const policy = await c.cloud.request('POST', '/metric/v1/archive_policy', {
      token: c.admin,
      body: { name: POLICY, back_window: 0, definition: [{ granularity: `${GRANULARITY}s`, timespan: '1 hour' }], aggregation_methods: ['mean', 'rate:mean'] },
    });
    assert.equal(policy.status, 201, policy.text);
    const created = await heat.call('POST', '/stacks', { stack_name: 'loop', template: TEMPLATE, parameters: { image: c.imageId, network: c.privateNetwork } });
    assert.equal(created.status, 201, created.text);
    stackId = String(created.body.stack.id);
    stackUrl = `/stacks/loop/${stackId}`;
    await heat.waitFor(stackUrl, 'CREATE_COMPLETE');
    assert.equal(await sizeOf(), 1);
    const [first] = await groupServers();
    assert.ok(first);

    // An idle group at its minimum: the low alarm fires (and repeats) but the group cannot shrink.
    await waitForAlarm('cpu_alarm_low', 'alarm');
    assert.equal(await alarmState('cpu_alarm_high'), 'ok');
    assert.equal(await sizeOf(), 1);

    // One busy server: the mean rate crosses the high threshold and the group grows by one.
    await setLoad([first], '1');
    await waitForSize(2);
    // The new member is idle, so the group's mean falls between both thresholds and it stays at two past the cooldown.
    await waitForAlarm('cpu_alarm_high', 'ok');
    assert.equal(await alarmState('cpu_alarm_low'), 'ok');
    await delay((SCALE_OUT_COOLDOWN + 1) * 1000);
    assert.equal(await sizeOf(), 2);

    // Both busy: out again, up to max_size.
    await setLoad(await groupServers(), '1');
    await waitForSize(3);

    // All idle: the low alarm repeats every second, yet the group shrinks one member per cooldown, down to min_size.
    await setLoad(await groupServers(), '0.01');
    const atTwo = await waitForSize(2);
    const atOne = await waitForSize(1, 60);
    assert.ok(atOne - atTwo >= (SCALE_IN_COOLDOWN - 1) * 1000, `two scale-ins ${atOne - atTwo} ms apart, under the ${SCALE_IN_COOLDOWN} s cooldown`);
    await delay(3000);
    assert.equal(await sizeOf(), 1, 'min_size holds');
    assert.equal((await groupServers()).length, 1);
  });
});
