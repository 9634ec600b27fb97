/** The admin's images, networks and routers panels in a real browser, each change checked against the API a CLI would ask. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openPanel, screenshot, seriousAccessibilityViolations, signIn, skipBrowser, startDashboardRig, type DashboardRig } from './browser.js';

describe('dashboard admin panels for images, networks and routers', { skip: skipBrowser }, () => {
  let rig: DashboardRig;
  let admin: string;
  let page: Page;
  before(async () => {
    rig = await startDashboardRig();
    admin = await rig.cloud.adminToken();
    page = await signIn(rig, 'admin');
  });
  after(async () => {
    await page?.close();
    await rig?.close();
  });

  async function checkAccessibility(name: string) {
    await screenshot(page, name);
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
  }

  test("another project's image is shown with its project, made public, protected and deleted", async () => {
    const demo = await rig.cloud.demoToken();
    const created = await rig.cloud.request('POST', '/image/v2/images', {
      token: demo,
      body: { name: 'demo-image', disk_format: 'raw', container_format: 'bare' },
    });
    assert.equal(created.status, 201, created.text);
    const id = created.body.id;
    const image = async () => (await rig.cloud.request('GET', `/image/v2/images/${id}`, { token: admin })).body;

    await openPanel(page, 'All images');
    const row = page.getByRole('table', { name: 'All images' }).getByRole('row').filter({ hasText: 'demo-image' });
    await row.getByRole('cell', { name: 'demo', exact: true }).waitFor();
    await row.getByLabel('Visibility of demo-image').selectOption('public');
    await waitUntil(async () => (await image()).visibility === 'public');
    // The checkbox shows Glance's state: it turns once the patch is accepted and the list fetched again.
    const protect = row.getByLabel('Protect demo-image');
    await protect.click();
    await waitUntil(async () => (await image()).protected === true);
    await row.locator('input[type=checkbox]:checked').waitFor();
    assert.equal(await row.getByRole('button', { name: 'Delete demo-image' }).isDisabled(), true);
    await checkAccessibility('admin-images');

    await protect.click();
    await waitUntil(async () => (await image()).protected === false);
    await row.getByRole('button', { name: 'Delete demo-image' }).and(page.locator(':enabled')).click();
    await row.getByRole('button', { name: 'Confirm delete' }).click();
    await row.waitFor({ state: 'detached' });
    assert.equal((await rig.cloud.request('GET', `/image/v2/images/${id}`, { token: admin })).status, 404);
  });

  test('a shared external VLAN network is created with its provider attributes and a subnet; Neutron refuses to delete one in use', async () => {
    await openPanel(page, 'All networks');
    const form = page.getByRole('form', { name: 'Create network' });
    await form.getByLabel('Network name').fill('provider-net');
    await form.getByLabel('Provider network type').selectOption('vlan');
    await form.getByLabel('Physical network').fill('physnet1');
    await form.getByLabel('Segmentation ID').fill('150');
    await form.getByLabel('Shared').check();
    await form.getByLabel('External').check();
    await form.getByRole('button', { name: 'Create network' }).click();
    const table = page.getByRole('table', { name: 'All networks' });
    const row = table.getByRole('row').filter({ hasText: 'provider-net' });
    await row.getByText('vlan / physnet1 / 150').waitFor();
    const listed = await rig.cloud.request('GET', '/network/v2.0/networks?name=provider-net', { token: admin });
    const [network] = listed.body.networks;
    assert.deepEqual(
      [network['provider:network_type'], network['provider:physical_network'], network['provider:segmentation_id'], network.shared, network['router:external']],
      ['vlan', 'physnet1', 150, true, true],
    );

    const subnet = page.getByRole('form', { name: 'Create subnet' });
    await subnet.getByLabel('Subnet of network').selectOption({ label: 'provider-net' });
    await subnet.getByLabel('Subnet name').fill('provider-subnet');
    await subnet.getByLabel('Subnet CIDR').fill('203.0.113.0/24');
    await subnet.getByRole('button', { name: 'Create subnet' }).click();
    await row.getByText('provider-subnet 203.0.113.0/24').waitFor();
    const subnets = await rig.cloud.request('GET', `/network/v2.0/subnets?network_id=${network.id}`, { token: admin });
    assert.deepEqual(
      subnets.body.subnets.map((s: { name: string; cidr: string }) => [s.name, s.cidr]),
      [['provider-subnet', '203.0.113.0/24']],
    );
    // The demo project's private network is listed too, with its project's name.
    await table.getByRole('row').filter({ hasText: 'private-subnet' }).getByRole('cell', { name: 'demo', exact: true }).waitFor();
    await checkAccessibility('admin-networks');

    // router1's gateway port is on public: Neutron answers NetworkInUse (409) and the page shows its message.
    const publicRow = table.getByRole('row').filter({ has: page.getByRole('cell', { name: 'public', exact: true }) });
    await publicRow.getByRole('button', { name: 'Delete public' }).click();
    await publicRow.getByRole('button', { name: 'Confirm delete' }).click();
    assert.match(await page.getByRole('alert').innerText(), /\(409\)[\s\S]*in use/);
    const stillThere = await rig.cloud.request('GET', '/network/v2.0/networks?name=public', { token: admin });
    assert.equal(stillThere.body.networks.length, 1);

    await row.getByRole('button', { name: 'Delete provider-net' }).click();
    await row.getByRole('button', { name: 'Confirm delete' }).click();
    await row.waitFor({ state: 'detached' });
    assert.equal((await rig.cloud.request('GET', `/network/v2.0/networks/${network.id}`, { token: admin })).status, 404);
  });

  test("all routers shows the demo project's router1 with its gateway address and interface", async () => {
    await openPanel(page, 'All routers');
    const row = page.getByRole('table', { name: 'All routers' }).getByRole('row').filter({ hasText: 'router1' });
    await row.getByRole('cell', { name: 'demo', exact: true }).waitFor();
    const [router] = (await rig.cloud.request('GET', '/network/v2.0/routers?name=router1', { token: admin })).body.routers;
    const gatewayIp = router.external_gateway_info.external_fixed_ips[0].ip_address;
    await row.getByText(`public (${gatewayIp}`).waitFor();
    const ports = await rig.cloud.request('GET', `/network/v2.0/ports?device_id=${router.id}&device_owner=network:router_interface`, { token: admin });
    await row.getByText(`private ${ports.body.ports[0].fixed_ips[0].ip_address}`).waitFor();
    await checkAccessibility('admin-routers');
  });

  test('demo sees none of these admin links', async () => {
    const demo = await signIn(rig, 'demo');
    const nav = demo.getByRole('navigation', { name: 'Panels' });
    for (const name of ['All images', 'All networks', 'All routers']) assert.equal(await nav.getByRole('link', { name, exact: true }).count(), 0, name);
    await demo.close();
  });
});

/** Polls the API until the page's change has landed (a select's change has no visible end of its own). */
async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the change to reach the API');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
