/**
 * The metrics, alarms and ports panels in a real browser, as the demo user: measures pushed
 * through Gnocchi's API are drawn by the chart, an alarm made through the form is listed,
 * toggled and shows its history, a port is made, edited and deleted, and refusals show the
 * APIs' own words.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openPanel, screenshot, seriousAccessibilityViolations, signIn, skipBrowser, startDashboardRig, type DashboardRig } from './browser.js';

describe('dashboard metrics, alarms and ports (demo)', { skip: skipBrowser }, () => {
  let rig: DashboardRig;
  let page: Page;
  let token: string;
  const resourceId = randomUUID();
  before(async () => {
    rig = await startDashboardRig();
    token = await rig.cloud.demoToken();
    page = await signIn(rig, 'demo');
  });
  after(async () => {
    await rig?.close();
  });

  const row = (table: string, text: string) => page.getByRole('table', { name: table }).getByRole('row').filter({ hasText: text });
  const noSeriousViolations = async () => assert.deepEqual(await seriousAccessibilityViolations(page), []);
  const call = async (method: string, path: string, body?: unknown) => rig.cloud.request(method, path, { token, body });

  test("a metric's measures are drawn at the policy's granularities and aggregations; a metric without measures says so", async () => {
    const created = await call('POST', '/metric/v1/resource/generic', {
      id: resourceId,
      metrics: { 'cpu.util': { archive_policy_name: 'medium' }, 'disk.usage': { archive_policy_name: 'low' } },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const metrics = (created.body as { metrics: Record<string, string> }).metrics;
    // A value every quarter hour within the last hour: four points at the `medium` policy's finest granularity (1 minute).
    const now = Date.now();
    const values = [10, 30, 20, 40];
    const measures = values.map((value, n) => ({ timestamp: new Date(now - (50 - n * 15) * 60_000).toISOString(), value }));
    assert.equal((await call('POST', `/metric/v1/metric/${metrics['cpu.util']}/measures`, measures)).status, 202);

    const missing = randomUUID();
    await page.goto(`${rig.cloud.url}/dashboard/metrics/${missing}`);
    await page.getByRole('alert').getByText(`Error (404): Metric ${missing} does not exist`).waitFor();

    await openPanel(page, 'Metrics');
    await row('Resources', resourceId).waitFor();
    await noSeriousViolations();
    await page.getByRole('link', { name: `Chart of cpu.util of ${resourceId}` }).click();
    await page.getByRole('heading', { name: 'Metric cpu.util', level: 1 }).waitFor();
    const figure = page.getByRole('figure', { name: 'mean of cpu.util every 1 min' });
    await figure.locator('canvas').waitFor();
    const summary = figure.getByLabel('Summary');
    assert.match(await summary.innerText(), /Points\s+4\s+Last\s+40 at .*Min\s+10\s+Max\s+40/s);
    // uPlot's legend shows the value under the cursor: one of the pushed values.
    const box = await figure.locator('canvas').boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const shown = await figure.locator('.u-legend .u-series').nth(1).locator('.u-value').innerText();
    assert.ok(values.map(String).includes(shown), `legend shows ${shown}`);
    assert.deepEqual(await page.getByLabel('Granularity').locator('option').allInnerTexts(), ['1 min', '1 h']);
    await noSeriousViolations();
    await screenshot(page, 'metric-chart');
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await figure.locator('canvas').waitFor();
    await noSeriousViolations();
    await page.getByRole('button', { name: 'Switch to light theme' }).click();

    await page.getByLabel('Aggregation').selectOption('count');
    await page.getByRole('figure', { name: 'count of cpu.util every 1 min' }).waitFor();
    assert.match(await page.getByRole('figure').getByLabel('Summary').innerText(), /Max\s+1\b/);

    await page.getByRole('link', { name: 'Create an alarm on cpu.util' }).click();
    await page.getByRole('heading', { name: 'Alarms', level: 1 }).waitFor();
    assert.equal(await page.getByLabel('Resource ID').inputValue(), resourceId);
    assert.equal(await page.getByLabel('Metric name').inputValue(), 'cpu.util');
    assert.equal(await page.getByLabel('Aggregation method').inputValue(), 'count');
    assert.equal(await page.getByLabel('Granularity (s)').inputValue(), '60');

    await openPanel(page, 'Metrics');
    await page.getByRole('link', { name: `Chart of disk.usage of ${resourceId}` }).click();
    await page.getByText(/No measures in this time range at 5 min granularity/).waitFor();
  });

  test('an alarm is created through the form, listed with its state, shows its history, disables and deletes; a duplicate name shows Aodh’s refusal', async () => {
    await openPanel(page, 'Alarms');
    await page.getByText('No alarms in this project').waitFor();
    const fillForm = async (name: string) => {
      await page.getByLabel('Alarm name').fill(name);
      await page.getByLabel('Resource ID').fill(resourceId);
      await page.getByLabel('Metric name').fill('cpu.util');
      await page.getByLabel('Granularity (s)').fill('300');
      await page.getByLabel('Threshold').fill('25');
      await page.getByLabel('Severity').selectOption('critical');
      await page.getByRole('button', { name: 'Create alarm' }).click();
    };
    await fillForm('cpu-high');
    await row('Alarms', 'cpu-high').getByText('insufficient data').waitFor();
    await row('Alarms', 'cpu-high').getByText('critical').waitFor();
    const [alarm] = (await call('GET', '/alarming/v2/alarms')).body as { alarm_id: string; gnocchi_resources_threshold_rule: Record<string, unknown> }[];
    assert.ok(alarm);
    assert.deepEqual(alarm.gnocchi_resources_threshold_rule, {
      granularity: 300,
      comparison_operator: 'gt',
      threshold: 25,
      aggregation_method: 'mean',
      evaluation_periods: 1,
      metric: 'cpu.util',
      resource_id: resourceId,
      resource_type: 'generic',
    });

    await fillForm('cpu-high');
    const refusal = page.getByRole('alert');
    await refusal.getByText("Error (409): Alarm with name='cpu-high' exists").waitFor();
    assert.match(await refusal.innerText(), /Request ID: req-/);
    await noSeriousViolations();
    await screenshot(page, 'alarms');

    assert.equal((await call('PUT', `/alarming/v2/alarms/${alarm.alarm_id}/state`, 'alarm')).status, 200);
    await page.getByRole('link', { name: 'cpu-high' }).click();
    await page.getByRole('heading', { name: 'Alarm cpu-high', level: 1 }).waitFor();
    await row('Alarm history', 'creation').waitFor();
    await row('Alarm history', 'state transition').getByText('alarm').first().waitFor();
    await noSeriousViolations();

    await page.getByRole('link', { name: 'All alarms' }).click();
    await row('Alarms', 'cpu-high').getByText('alarm', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Disable cpu-high' }).click();
    await page.getByRole('button', { name: 'Enable cpu-high' }).waitFor();
    await row('Alarms', 'cpu-high').getByRole('cell', { name: 'No', exact: true }).waitFor();
    assert.equal(((await call('GET', `/alarming/v2/alarms/${alarm.alarm_id}`)).body as { enabled: boolean }).enabled, false);
    await page.getByRole('button', { name: 'Delete cpu-high' }).click();
    await page.getByRole('button', { name: 'Confirm delete' }).click();
    await page.getByText('No alarms in this project').waitFor();
  });

  test('a port is created on a network, renamed and set down, deleted; a fixed IP outside the subnets shows Neutron’s refusal', async () => {
    await openPanel(page, 'Ports');
    await page.getByLabel('Network').selectOption({ label: 'private' });
    await page.getByLabel('Port name').fill('probe');
    await page.getByLabel('Fixed IP (optional)').fill('10.0.0.40');
    await page.getByLabel('Security groups').selectOption({ label: 'default' });
    await page.getByRole('button', { name: 'Create port' }).click();
    await row('Ports', 'probe').getByText('10.0.0.40').waitFor();
    await noSeriousViolations();
    await screenshot(page, 'ports');

    await page.getByRole('button', { name: 'Edit probe' }).click();
    await page.getByLabel('New name of probe').fill('probe-2');
    await page.getByLabel('Admin state up').uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await row('Ports', 'probe-2').getByText('Down', { exact: true }).waitFor();
    const ports = (await call('GET', '/network/v2.0/ports?name=probe-2')).body as { ports: { admin_state_up: boolean }[] };
    assert.equal(ports.ports[0]?.admin_state_up, false);

    await page.getByLabel('Network').selectOption({ label: 'private' });
    await page.getByLabel('Fixed IP (optional)').fill('192.0.2.99');
    await page.getByRole('button', { name: 'Create port' }).click();
    const network = ((await call('GET', '/network/v2.0/networks?name=private')).body as { networks: { id: string }[] }).networks[0];
    const direct = await call('POST', '/network/v2.0/ports', { port: { network_id: network?.id, fixed_ips: [{ ip_address: '192.0.2.99' }] } });
    assert.equal(direct.status, 400);
    const message = (direct.body as { NeutronError: { message: string } }).NeutronError.message;
    await page.getByRole('alert').getByText(`Error (400): ${message}`).waitFor();

    await page.getByRole('button', { name: 'Delete probe-2' }).click();
    await page.getByRole('button', { name: 'Confirm delete' }).click();
    await row('Ports', 'probe-2').waitFor({ state: 'detached' });
  });
});
