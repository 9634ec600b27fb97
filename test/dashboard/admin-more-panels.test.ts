/** The admin panels that change the cloud, in a real browser, each change checked against the API a CLI would ask. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openPanel, screenshot, seriousAccessibilityViolations, signIn, skipBrowser, startDashboardRig, type DashboardRig } from './browser.js';

describe('dashboard admin panels that change the cloud', { skip: skipBrowser }, () => {
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

  async function projectOf(token: string): Promise<string> {
    return (await rig.cloud.request('GET', '/identity/v3/auth/tokens', { token, headers: { 'x-subject-token': token } })).body.token.project.id;
  }

  async function checkAccessibility(name: string) {
    await screenshot(page, name);
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
  }

  test('a flavor is created with its sizes, given an extra spec, and deleted', async () => {
    await openPanel(page, 'Flavors');
    const form = page.getByRole('form', { name: 'Create flavor' });
    await form.getByLabel('Flavor name').fill('ui.flavor');
    await form.getByLabel('vCPUs').fill('3');
    await form.getByLabel('RAM (MiB)').fill('768');
    await form.getByLabel('Root disk (GiB)').fill('5');
    await form.getByLabel('Ephemeral disk (GiB)').fill('2');
    await form.getByLabel('Swap (MiB)').fill('128');
    await form.getByLabel('Public').uncheck();
    await form.getByRole('button', { name: 'Create flavor' }).click();
    const row = page.getByRole('table', { name: 'Flavors' }).getByRole('row').filter({ hasText: 'ui.flavor' });
    await row.waitFor();
    const listed = await rig.cloud.request('GET', '/compute/v2.1/flavors/detail?is_public=None', { token: admin });
    const flavor = listed.body.flavors.find((f: { name: string }) => f.name === 'ui.flavor');
    assert.deepEqual(
      [flavor.vcpus, flavor.ram, flavor.disk, flavor['OS-FLV-EXT-DATA:ephemeral'], flavor.swap, flavor['os-flavor-access:is_public']],
      [3, 768, 5, 2, 128, false],
    );

    await row.getByRole('button', { name: 'Extra specs of ui.flavor' }).click();
    const specs = page.getByRole('region', { name: 'Extra specs of ui.flavor' });
    await specs.getByText('No extra specs yet').waitFor();
    await specs.getByLabel('Key').fill('hw:cpu_policy');
    await specs.getByLabel('Value').fill('dedicated');
    await specs.getByRole('button', { name: 'Set' }).click();
    await specs.getByRole('cell', { name: 'hw:cpu_policy', exact: true }).waitFor();
    const extra = await rig.cloud.request('GET', `/compute/v2.1/flavors/${flavor.id}/os-extra_specs`, { token: admin });
    assert.deepEqual(extra.body.extra_specs, { 'hw:cpu_policy': 'dedicated' });
    await checkAccessibility('admin-flavors');

    await row.getByRole('button', { name: 'Delete ui.flavor' }).click();
    await row.getByRole('button', { name: 'Confirm delete' }).click();
    await row.waitFor({ state: 'detached' });
    const gone = await rig.cloud.request('GET', `/compute/v2.1/flavors/${flavor.id}`, { token: admin });
    assert.equal(gone.status, 404);
  });

  test('an aggregate in its own zone gets the compute host and metadata', async () => {
    await openPanel(page, 'Host aggregates');
    await page.getByText('No host aggregates').waitFor();
    const form = page.getByRole('form', { name: 'Create host aggregate' });
    await form.getByLabel('Aggregate name').fill('fast-hosts');
    await form.getByLabel('Availability zone (optional)').fill('fast-zone');
    await form.getByRole('button', { name: 'Create aggregate' }).click();
    const row = page.getByRole('table', { name: 'Host aggregates' }).getByRole('row').filter({ hasText: 'fast-hosts' });
    await row.getByRole('button', { name: 'Add host to fast-hosts' }).click();
    await row.getByRole('button', { name: /^Remove .* from fast-hosts$/ }).waitFor();
    await row.getByRole('button', { name: 'Metadata of fast-hosts' }).click();
    const metadata = page.getByRole('region', { name: 'Metadata of fast-hosts' });
    await metadata.getByLabel('Key').fill('ssd');
    await metadata.getByLabel('Value').fill('true');
    await metadata.getByRole('button', { name: 'Set' }).click();
    await metadata.getByRole('cell', { name: 'ssd', exact: true }).waitFor();

    const services = await rig.cloud.request('GET', '/compute/v2.1/os-services?binary=nova-compute', { token: admin });
    const aggregates = await rig.cloud.request('GET', '/compute/v2.1/os-aggregates', { token: admin });
    const [aggregate] = aggregates.body.aggregates;
    assert.equal(aggregate.availability_zone, 'fast-zone');
    assert.deepEqual(aggregate.hosts, [services.body.services[0].host]);
    assert.equal(aggregate.metadata.ssd, 'true');
    await checkAccessibility('admin-aggregates');

    // Nova refuses to delete an aggregate that still has hosts; the page shows its message.
    await row.getByRole('button', { name: 'Delete fast-hosts' }).click();
    await row.getByRole('button', { name: 'Confirm delete' }).click();
    assert.match(await page.getByRole('alert').innerText(), /\(400\)|\(409\)/);
  });

  test('system information lists the catalog and agents, and disables a compute service', async () => {
    await openPanel(page, 'System information');
    await page
      .getByRole('table', { name: 'Service catalog' })
      .getByRole('row')
      .filter({ hasText: 'nova' })
      .getByText(/\/compute\/v2.1$/)
      .first()
      .waitFor();
    await page.getByRole('table', { name: 'Block storage services' }).getByRole('row').filter({ hasText: 'cinder-volume' }).first().waitFor();
    await page.getByRole('table', { name: 'Network agents' }).getByRole('row').filter({ hasText: 'DHCP agent' }).waitFor();
    const compute = page.getByRole('table', { name: 'Compute services' });
    await compute.getByLabel(/^Reason for disabling nova-compute on /).fill('maintenance');
    await compute.getByRole('button', { name: /^Disable nova-compute on / }).click();
    await compute.getByRole('button', { name: /^Enable nova-compute on / }).waitFor();
    const services = await rig.cloud.request('GET', '/compute/v2.1/os-services?binary=nova-compute', { token: admin });
    assert.equal(services.body.services[0].status, 'disabled');
    assert.equal(services.body.services[0].disabled_reason, 'maintenance');
    await compute.getByRole('cell', { name: 'maintenance', exact: true }).waitFor();
    await checkAccessibility('admin-system');
    await compute.getByRole('button', { name: /^Enable nova-compute on / }).click();
    await compute.getByRole('button', { name: /^Disable nova-compute on / }).waitFor();
  });

  test('the compute quota defaults are edited, and volume types get created with extra specs', async () => {
    await openPanel(page, 'Defaults');
    const compute = page.getByRole('form', { name: 'Compute quota defaults form' });
    await compute.getByLabel('instances', { exact: true }).fill('15');
    await compute.getByRole('button', { name: 'Save compute quota defaults' }).click();
    await page.getByRole('region', { name: 'Compute quota defaults' }).getByRole('status').filter({ hasText: 'Defaults saved.' }).waitFor();
    const defaults = await rig.cloud.request('GET', '/compute/v2.1/os-quota-class-sets/default', { token: admin });
    assert.equal(defaults.body.quota_class_set.instances, 15);
    const volume = page.getByRole('region', { name: 'Volume quota defaults' });
    await volume.getByLabel('volumes', { exact: true }).fill('20');
    await volume.getByRole('button', { name: 'Save volume quota defaults' }).click();
    await volume.getByRole('status').filter({ hasText: 'Defaults saved.' }).waitFor();
    const cinder = await rig.cloud.request('GET', `/volume/v3/${await projectOf(admin)}/os-quota-class-sets/default`, { token: admin });
    assert.equal(cinder.body.quota_class_set.volumes, 20);
    await checkAccessibility('admin-defaults');

    await openPanel(page, 'Volume types');
    const form = page.getByRole('form', { name: 'Create volume type' });
    await form.getByLabel('Type name').fill('gold');
    await form.getByRole('button', { name: 'Create volume type' }).click();
    const row = page.getByRole('table', { name: 'Volume types' }).getByRole('row').filter({ hasText: 'gold' });
    await row.getByRole('button', { name: 'Extra specs of gold' }).click();
    const specs = page.getByRole('region', { name: 'Extra specs of gold' });
    await specs.getByLabel('Key').fill('volume_backend_name');
    await specs.getByLabel('Value').fill('lvm');
    await specs.getByRole('button', { name: 'Set' }).click();
    await specs.getByRole('cell', { name: 'volume_backend_name', exact: true }).waitFor();
    const types = await rig.cloud.request('GET', `/volume/v3/${await projectOf(admin)}/types`, { token: admin });
    const gold = types.body.volume_types.find((t: { name: string }) => t.name === 'gold');
    assert.deepEqual(gold.extra_specs, { volume_backend_name: 'lvm' });
    await checkAccessibility('admin-volume-types');
    await row.getByRole('button', { name: 'Delete gold' }).click();
    await row.getByRole('button', { name: 'Confirm delete' }).click();
    await row.waitFor({ state: 'detached' });
  });

  test("all volumes shows another project's volume with its project", async () => {
    const demo = await rig.cloud.demoToken();
    const created = await rig.cloud.request('POST', `/volume/v3/${await projectOf(demo)}/volumes`, {
      token: demo,
      body: { volume: { name: 'demo-vol', size: 1 } },
    });
    assert.equal(created.status, 202, created.text);
    await openPanel(page, 'All volumes');
    await page.getByRole('table', { name: 'All volumes' }).getByRole('row').filter({ hasText: 'demo-vol' }).getByText('demo', { exact: true }).waitFor();
    await checkAccessibility('admin-volumes');
  });

  test('demo sees none of the admin links', async () => {
    const demo = await signIn(rig, 'demo');
    const nav = demo.getByRole('navigation', { name: 'Panels' });
    for (const name of ['Flavors', 'Host aggregates', 'All volumes', 'Volume types', 'Defaults', 'System information']) {
      assert.equal(await nav.getByRole('link', { name, exact: true }).count(), 0, name);
    }
    await demo.goto(`${rig.cloud.url}/dashboard/admin/system`);
    await demo.getByRole('table', { name: 'Compute services' }).or(demo.getByRole('alert').first()).first().waitFor();
    assert.match(await demo.getByRole('alert').first().innerText(), /Not allowed \(403\)/);
    await demo.close();
  });
});
