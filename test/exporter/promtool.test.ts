/**
 * A real scraper's checker on the page: Debian's `promtool check metrics`
 * (package prometheus) parses it without error, and its lint finds nothing
 * but the names that others fixed and that dashboards query as they are.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { PollingAgent } from '../../src/metering/agent.js';
import { startTestServer, type TestServer } from '../support/server.js';

const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
const skip = promtool.error ? 'promtool is not installed (Debian package prometheus)' : false;

/** promtool's exit status when the page parsed and only lint findings remain. */
const LINT_ONLY = 3;

/**
 * Names kept as their owners made them: prom-client's default gauges,
 * openstack-exporter's status counters, its agent states' camelCase labels
 * (`adminState`, `disabledReason`), its cinder limits in `_gb` and its
 * placement gauge ending in `_total`.
 */
const NAMES_OF_OTHERS = new Set([
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
  'openstack_cinder_agent_state',
  'openstack_cinder_limits_backup_max_gb',
  'openstack_cinder_limits_backup_used_gb',
  'openstack_cinder_limits_volume_max_gb',
  'openstack_cinder_limits_volume_used_gb',
  'openstack_cinder_volume_status_counter',
  'openstack_heat_stack_status_counter',
  'openstack_neutron_agent_state',
  'openstack_nova_agent_state',
  'openstack_placement_resource_total',
]);

describe('promtool check metrics', { skip }, () => {
  let cloud: TestServer;
  before(async () => {
    cloud = await startTestServer((config) => {
      config.compute.fake.hosts = 1;
      config.metering.enabled = false;
    });
  });
  after(() => cloud.close());

  test('parses the page and lints nothing but names fixed by others', async () => {
    await cloud.request('GET', '/identity/v3');
    // A polling cycle, so that Ceilometer's meters (storage.* of every project) are on the page too.
    const agent = cloud.server.services.metering!.internals as PollingAgent;
    await agent.pollCycle(Math.floor(Date.now() / agent.intervalMs));
    const page = await cloud.request('GET', '/metrics');
    assert.equal(page.status, 200);
    assert.match(page.text, /^ceilometer_storage_objects\{/m);
    const checked = spawnSync('promtool', ['check', 'metrics'], { input: page.text, encoding: 'utf8' });
    const report = `${checked.stdout}${checked.stderr}`;
    assert.ok(checked.status === 0 || checked.status === LINT_ONLY, `promtool (${checked.status}): ${report}`);
    const findings = report.split('\n').filter((line) => line.trim() !== '');
    for (const finding of findings) assert.ok(NAMES_OF_OTHERS.has(finding.split(' ')[0]!), `promtool: ${finding}`);
  });
});
