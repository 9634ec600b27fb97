/** The admin panels in a real browser: the admin sees them with every project's data; the demo user gets the APIs' refusal. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { screenshot, seriousAccessibilityViolations, signIn, skipBrowser, startDashboardRig, type DashboardRig } from './browser.js';

describe('dashboard admin panels', { skip: skipBrowser }, () => {
  let rig: DashboardRig;
  before(async () => {
    rig = await startDashboardRig();
    // An instance of another project than admin's, made through the API as any client would.
    const token = await rig.cloud.demoToken();
    const flavors = await rig.cloud.request('GET', '/compute/v2.1/flavors', { token });
    const images = await rig.cloud.request('GET', '/image/v2/images', { token });
    const created = await rig.cloud.request('POST', '/compute/v2.1/servers', {
      token,
      body: { server: { name: 'demo-vm', flavorRef: flavors.body.flavors[0].id, imageRef: images.body.images[0].id } },
    });
    assert.equal(created.status, 202, created.text);
  });
  after(async () => rig?.close());

  test('admin sees the hypervisors with their usage and the instances of all projects', async () => {
    const page = await signIn(rig, 'admin');
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('link', { name: 'Hypervisors' }).click();
    const hypervisors = page.getByRole('table', { name: 'Hypervisors' });
    await hypervisors.getByRole('row').nth(1).waitFor();
    assert.match(await hypervisors.innerText(), /\d+ \/ \d+ vCPU/);
    await screenshot(page, 'admin-hypervisors');
    assert.deepEqual(await seriousAccessibilityViolations(page), []);

    await page.getByRole('link', { name: 'All instances' }).click();
    const row = page.getByRole('table', { name: 'All instances' }).getByRole('row').filter({ hasText: 'demo-vm' });
    await row.getByText('demo', { exact: true }).waitFor();
    await screenshot(page, 'admin-instances');
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
    await page.close();
  });

  test('demo gets no admin navigation, and an admin URL shows the API refusal', async () => {
    const page = await signIn(rig, 'demo');
    assert.equal(await page.getByRole('heading', { name: 'Admin' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Hypervisors' }).count(), 0);
    for (const [path, heading] of [
      ['/dashboard/admin/hypervisors', 'Hypervisors'],
      ['/dashboard/admin/instances', 'All instances'],
    ]) {
      await page.goto(`${rig.cloud.url}${path}`);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.match(await alert.innerText(), /Not allowed \(403\)/);
      assert.match(await alert.innerText(), /Request ID: req-/);
    }
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
    await page.close();
  });
});
