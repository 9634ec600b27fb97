/** The project overview in a real browser: quota bars for compute, volume and network that follow the APIs, and usage over a period. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openPanel, screenshot, seriousAccessibilityViolations, signIn, skipBrowser, startDashboardRig, type DashboardRig } from './browser.js';

/** The accessible name of one quota bar, e.g. "Instances: 1 of 10 used". */
async function bar(page: Page, section: string, label: string): Promise<string> {
  const progress = page.getByRole('region', { name: section }).getByRole('progressbar', { name: new RegExp(`^${label}:`) });
  return (await progress.getAttribute('aria-label')) ?? '';
}

describe('dashboard project overview', { skip: skipBrowser }, () => {
  let rig: DashboardRig;
  let token: string;
  let projectId: string;
  before(async () => {
    rig = await startDashboardRig();
    token = await rig.cloud.demoToken();
    const me = await rig.cloud.request('GET', '/identity/v3/auth/tokens', { token, headers: { 'x-subject-token': token } });
    projectId = me.body.token.project.id;
  });
  after(async () => rig?.close());

  test('the bars move when a server and a volume are created, matching the APIs', async () => {
    const page = await signIn(rig, 'demo');
    await openPanel(page, 'Overview');
    await page.getByRole('progressbar', { name: /^Instances:/ }).waitFor();
    assert.equal(await bar(page, 'Compute', 'Instances'), 'Instances: 0 of 10 used');
    assert.equal(await bar(page, 'Volume', 'Volumes'), `Volumes: 0 of ${await volumeLimit()} used`);
    await screenshot(page, 'overview');
    assert.deepEqual(await seriousAccessibilityViolations(page), []);

    const flavors = await rig.cloud.request('GET', '/compute/v2.1/flavors/detail', { token });
    const tiny = flavors.body.flavors.find((f: { name: string }) => f.name === 'm1.tiny');
    const images = await rig.cloud.request('GET', '/image/v2/images', { token });
    const server = await rig.cloud.request('POST', '/compute/v2.1/servers', {
      token,
      body: { server: { name: 'overview-vm', flavorRef: tiny.id, imageRef: images.body.images[0].id } },
    });
    assert.equal(server.status, 202, server.text);
    const volume = await rig.cloud.request('POST', `/volume/v3/${projectId}/volumes`, { token, body: { volume: { name: 'overview-vol', size: 2 } } });
    assert.equal(volume.status, 202, volume.text);

    await page.reload();
    await page.getByRole('progressbar', { name: 'Instances: 1 of 10 used' }).waitFor();
    const compute = await rig.cloud.request('GET', `/compute/v2.1/os-quota-sets/${projectId}/detail`, { token });
    assert.equal(await bar(page, 'Compute', 'vCPUs'), `vCPUs: ${compute.body.quota_set.cores.in_use} of ${compute.body.quota_set.cores.limit} used`);
    assert.equal(await bar(page, 'Compute', 'RAM'), `RAM: ${tiny.ram} of ${compute.body.quota_set.ram.limit} MiB used`);
    const cinder = await rig.cloud.request('GET', `/volume/v3/${projectId}/os-quota-sets/${projectId}?usage=true`, { token });
    assert.equal(cinder.body.quota_set.volumes.in_use, 1);
    assert.equal(await bar(page, 'Volume', 'Volumes'), `Volumes: 1 of ${cinder.body.quota_set.volumes.limit} used`);
    assert.equal(await bar(page, 'Volume', 'Volume storage'), `Volume storage: 2 of ${cinder.body.quota_set.gigabytes.limit} GiB used`);
    const neutron = await rig.cloud.request('GET', `/network/v2.0/quotas/${projectId}/details.json`, { token });
    const ports = neutron.body.quota.port;
    assert.equal(await bar(page, 'Network', 'Ports'), `Ports: ${ports.used} of ${ports.limit} used`);

    // The server is in the period's usage, one row per instance.
    await page.getByRole('table', { name: 'Usage by instance' }).getByRole('row').filter({ hasText: 'overview-vm' }).waitFor();
    // Half an hour later on the cloud's clock, the daily chart's numbers add up to Nova's total for the period.
    const admin = await rig.cloud.adminToken();
    const moved = await rig.cloud.request('POST', '/_nimbus/clock', { token: admin, body: { advance_seconds: 1800 } });
    assert.equal(moved.status, 200, moved.text);
    const day = (offset: number) => new Date(Date.parse(moved.body.now) + offset * 86_400_000).toISOString().slice(0, 10);
    await page.goto(`${rig.cloud.url}/dashboard/overview?start=${day(-1)}&end=${day(1)}`);
    const chart = page.getByRole('figure', { name: 'vCPU hours per day' });
    await chart.locator('canvas').first().waitFor();
    await chart.getByText('Daily values').click();
    const cells = await chart.getByRole('table', { name: 'vCPU hours per day' }).getByRole('row').locator('td:nth-child(2)').allInnerTexts();
    assert.equal(cells.length, 2, 'the days up to the cloud clock');
    const usage = await rig.cloud.request('GET', `/compute/v2.1/os-simple-tenant-usage/${projectId}?start=${day(-1)}T00:00:00&end=${day(2)}T00:00:00`, {
      token,
    });
    const total = usage.body.tenant_usage.total_vcpus_usage;
    assert.ok(total >= 0.5 && total < 0.6, String(total));
    const charted = cells.reduce((sum, cell) => sum + Number(cell), 0);
    assert.ok(Math.abs(charted - total) < 0.03, `${charted} vs ${total}`);
    await page.close();
  });

  test('an unlimited quota says so, and a period with no instance says what it means', async () => {
    const admin = await rig.cloud.adminToken();
    const set = await rig.cloud.request('PUT', `/compute/v2.1/os-quota-sets/${projectId}`, { token: admin, body: { quota_set: { instances: -1 } } });
    assert.equal(set.status, 200, set.text);
    const page = await signIn(rig, 'demo');
    await page.goto(`${rig.cloud.url}/dashboard/overview?start=2020-01-01&end=2020-01-31`);
    await page.getByText(/^1 used, unlimited$/).waitFor();
    assert.equal(await page.getByRole('progressbar', { name: /^Instances:/ }).count(), 0);
    await page.getByText('No instance ran in this project during the period.').waitFor();
    assert.equal(await page.getByLabel('From').inputValue(), '2020-01-01');
    await page.close();
  });

  async function volumeLimit(): Promise<number> {
    const cinder = await rig.cloud.request('GET', `/volume/v3/${projectId}/os-quota-sets/${projectId}?usage=true`, { token });
    return cinder.body.quota_set.volumes.limit;
  }
});
