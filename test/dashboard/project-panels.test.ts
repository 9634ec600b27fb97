/**
 * The project panels in a real browser, as the demo user: each step is done through the
 * dashboard and its result read on the page (the list updates without a reload).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openPanel, screenshot, seriousAccessibilityViolations, signIn, skipBrowser, startDashboardRig, type DashboardRig } from './browser.js';

describe('dashboard project panels (demo)', { skip: skipBrowser }, () => {
  let rig: DashboardRig;
  let page: Page;
  before(async () => {
    rig = await startDashboardRig();
    page = await signIn(rig, 'demo');
  });
  after(async () => rig?.close());

  const row = (table: string, text: string) => page.getByRole('table', { name: table }).getByRole('row').filter({ hasText: text });

  test('demo logs in and sees the project navigation without the admin one', async () => {
    await page.getByText('demo (Default)').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Hypervisors' }).count(), 0);
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
  });

  test('an instance launched from the form turns ACTIVE in the list without a reload', async () => {
    await page.getByRole('link', { name: 'Launch instance' }).click();
    await page.getByLabel('Name').fill('web-1');
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
    await screenshot(page, 'launch-instance');
    await page.getByRole('button', { name: 'Launch' }).click();
    await page.getByRole('heading', { name: 'Instances' }).waitFor();
    await row('Instances', 'web-1').getByText('ACTIVE', { exact: true }).waitFor({ timeout: 60_000 });
    await screenshot(page, 'instances');
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
  });

  test('the instance list filters by name in the URL, and the back button undoes it', async () => {
    await page.getByLabel('Filter by name').fill('no-such-server');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No instance matches "no-such-server".').waitFor();
    assert.match(page.url(), /\/dashboard\/instances\?name=no-such-server$/);
    await page.goBack();
    await row('Instances', 'web-1').waitFor();
  });

  test('the instance stops, starts, pauses and unpauses from its actions', async () => {
    await page.getByRole('button', { name: 'Stop web-1' }).click();
    await row('Instances', 'web-1').getByText('SHUTOFF', { exact: true }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Start web-1' }).click();
    await row('Instances', 'web-1').getByText('ACTIVE', { exact: true }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Pause web-1' }).click();
    await row('Instances', 'web-1').getByText('PAUSED', { exact: true }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Unpause web-1' }).click();
    await row('Instances', 'web-1').getByText('ACTIVE', { exact: true }).waitFor({ timeout: 60_000 });
  });

  test('a volume is created and attached to the instance', async () => {
    await openPanel(page, 'Volumes');
    await page.getByLabel('Volume name').fill('data-1');
    await page.getByRole('button', { name: 'Create volume' }).click();
    await page.getByRole('button', { name: 'Attach data-1' }).waitFor({ timeout: 60_000 });
    await page.getByLabel('Instance for data-1').selectOption({ label: 'web-1' });
    await page.getByRole('button', { name: 'Attach data-1' }).click();
    await row('Volumes', 'data-1').getByText('in-use', { exact: true }).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Detach data-1 from web-1' }).waitFor();
    await screenshot(page, 'volumes');
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
  });

  test('a network, its subnet and a router with a gateway and an interface show on the topology graph', async () => {
    await openPanel(page, 'Networks');
    await page.getByLabel('Network name').fill('backend');
    await page.getByLabel('Subnet name').fill('backend-subnet');
    await page.getByLabel('Subnet CIDR').fill('192.168.50.0/24');
    await page.getByRole('button', { name: 'Create network' }).click();
    await row('Networks', 'backend').getByText('backend-subnet 192.168.50.0/24').waitFor();
    assert.deepEqual(await seriousAccessibilityViolations(page), []);

    await openPanel(page, 'Routers');
    await page.getByLabel('Router name').fill('edge');
    await page.getByLabel('External gateway').selectOption({ label: 'public' });
    await page.getByLabel('Interface on subnet').selectOption({ label: 'backend-subnet (192.168.50.0/24)' });
    await page.getByRole('button', { name: 'Create router' }).click();
    await row('Routers', 'edge').getByText('public').waitFor();
    assert.deepEqual(await seriousAccessibilityViolations(page), []);

    await openPanel(page, 'Network topology');
    const graph = page.getByRole('img', { name: 'Network topology graph' });
    for (const name of ['backend', 'edge', 'public', 'private', 'router1', 'web-1']) await graph.locator('g.node', { hasText: name }).first().waitFor();
    // Edges: public–router1, private–router1, public–edge, backend–edge, private–web-1.
    assert.ok((await graph.locator('polyline.edge').count()) >= 5);
    await screenshot(page, 'topology');
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
  });

  test('a floating IP is allocated and associated with the instance', async () => {
    await openPanel(page, 'Floating IPs');
    await page.getByRole('button', { name: 'Allocate IP' }).click();
    const associate = page.getByRole('button', { name: /^Associate / });
    await associate.waitFor();
    const address = ((await associate.getAttribute('aria-label')) ?? '').replace('Associate ', '');
    await page.getByLabel(`Port for ${address}`).selectOption({ index: 0 });
    await associate.click();
    await page.getByRole('button', { name: `Disassociate ${address}` }).waitFor();
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
    await screenshot(page, 'floating-ips');
    await openPanel(page, 'Instances');
    await row('Instances', 'web-1').getByText(`${address} (private, floating)`).waitFor();
  });

  test('the dark theme passes the same accessibility check', async () => {
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
    await screenshot(page, 'instances-dark');
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
  });
});
