/**
 * The Overview's instance meters in a real browser, as the demo user: the project's instance resources'
 * `cpu` rate and `memory.usage`, aggregated by the metric API (Gnocchi) and drawn as charts whose figures
 * match what the API answers; with no metric service in the catalog the section is gone and nothing asks for it.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { openPanel, screenshot, seriousAccessibilityViolations, signIn, skipBrowser, startDashboardRig, type DashboardRig } from './browser.js';

const PERIOD_MS = 300_000;

describe('dashboard overview meters', { skip: skipBrowser }, () => {
  let rig: DashboardRig;
  let demo: string;
  let admin: string;
  let demoProject: string;
  before(async () => {
    rig = await startDashboardRig();
    demo = await rig.cloud.demoToken();
    admin = await rig.cloud.adminToken();
    const me = await rig.cloud.request('GET', '/identity/v3/auth/tokens', { token: demo, headers: { 'x-subject-token': demo } });
    demoProject = me.body.token.project.id;
  });
  after(async () => rig?.close());

  /** An instance resource with Ceilometer's metrics and policies, and its measures at the last four five-minute marks. */
  async function instance(token: string, project: string, cpuSeconds: number[], memoryMb: number) {
    const created = await rig.cloud.request('POST', '/metric/v1/resource/instance', {
      token,
      body: {
        id: randomUUID(),
        project_id: project,
        flavor_id: '1',
        flavor_name: 'm1.tiny',
        host: 'compute-1',
        display_name: 'vm',
        metrics: { cpu: { archive_policy_name: 'ceilometer-low-rate' }, 'memory.usage': { archive_policy_name: 'ceilometer-low' } },
      },
    });
    assert.equal(created.status, 201, created.text);
    const mark = Math.floor(Date.now() / PERIOD_MS) * PERIOD_MS;
    const at = (n: number) => new Date(mark - (cpuSeconds.length - 1 - n) * PERIOD_MS).toISOString();
    const push = async (metric: string, values: number[]) => {
      const measures = values.map((value, n) => ({ timestamp: at(n), value }));
      const pushed = await rig.cloud.request('POST', `/metric/v1/metric/${created.body.metrics[metric]}/measures`, { token, body: measures });
      assert.equal(pushed.status, 202, pushed.text);
    };
    await push(
      'cpu',
      cpuSeconds.map((s) => s * 1e9),
    );
    await push(
      'memory.usage',
      cpuSeconds.map(() => memoryMb),
    );
  }

  test("the project's instances' cpu rate and memory are charted as the metric API aggregates them", async () => {
    // Two demo instances (60 s, 60 s, then 30 s of CPU per five minutes each) and one of admin's that must not count.
    await instance(demo, demoProject, [0, 60, 120, 150], 512);
    await instance(demo, demoProject, [0, 60, 120, 150], 256);
    const adminMe = await rig.cloud.request('GET', '/identity/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': admin } });
    await instance(admin, adminMe.body.token.project.id, [0, 300, 600, 900], 8192);

    const page = await signIn(rig, 'demo');
    await openPanel(page, 'Overview');
    const cpu = page.getByRole('figure', { name: 'CPU of all instances (% of one vCPU) every 5 min' });
    const memory = page.getByRole('figure', { name: 'Memory used by all instances (MB) every 5 min' });
    await cpu.locator('canvas').waitFor();
    await memory.locator('canvas').waitFor();
    assert.match(await cpu.getByLabel('Summary').innerText(), /Points\s+3\s+Last\s+20 at /);
    assert.match(await memory.getByLabel('Summary').innerText(), /Points\s+4\s+Last\s+768 at /);

    // The same question put to the API: 2 × 30 s in 300 s is 20% of one vCPU.
    const asked = await rig.cloud.request('POST', '/metric/v1/aggregates?needed_overlap=0', {
      token: demo,
      body: { operations: '(aggregate sum (metric cpu rate:mean))', resource_type: 'instance', search: { '=': { project_id: demoProject } } },
    });
    assert.equal(asked.status, 200, asked.text);
    const aggregated: [string, number, number][] = asked.body.measures.aggregated;
    assert.deepEqual(
      aggregated.map(([, granularity, value]) => (value / (granularity * 1e9)) * 100),
      [40, 40, 20],
    );
    await screenshot(page, 'overview-meters');
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
    await page.close();
  });

  test('without a metric service in the catalog the meters are not shown and the metric API is not called', async () => {
    const services = await rig.cloud.request('GET', '/identity/v3/services?type=metric', { token: admin });
    const [metric] = services.body.services;
    const endpoints = await rig.cloud.request('GET', `/identity/v3/endpoints?service_id=${metric.id}`, { token: admin });
    for (const endpoint of endpoints.body.endpoints) {
      assert.equal((await rig.cloud.request('DELETE', `/identity/v3/endpoints/${endpoint.id}`, { token: admin })).status, 204);
    }
    const page = await signIn(rig, 'demo');
    const metricCalls: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/metric/')) metricCalls.push(request.url());
    });
    await openPanel(page, 'Overview');
    await page.getByRole('heading', { name: 'Usage', level: 2 }).waitFor();
    await page.getByRole('progressbar', { name: /^Instances:/ }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Instance meters' }).count(), 0);
    assert.deepEqual(metricCalls, []);
    await page.close();
  });
});
