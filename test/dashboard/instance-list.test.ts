/**
 * The Instances list's server-side paging and sorting (Nova's limit, marker, sort_key, sort_dir, kept in the URL)
 * and its bulk actions with one result per server, in a real browser as the demo user, checked against Nova.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot, seriousAccessibilityViolations, signIn, skipBrowser, startDashboardRig, type DashboardRig } from './browser.js';

const NAMES = ['srv-a', 'srv-b', 'srv-c', 'srv-d', 'srv-e'];

describe('dashboard instance list paging, sorting and bulk actions (demo)', { skip: skipBrowser }, () => {
  let rig: DashboardRig;
  let token: string;
  let page: Page;
  before(async () => {
    rig = await startDashboardRig();
    token = await rig.cloud.demoToken();
    const flavors = await rig.cloud.request('GET', '/compute/v2.1/flavors', { token });
    const images = await rig.cloud.request('GET', '/image/v2/images', { token });
    for (const name of NAMES) {
      const created = await rig.cloud.request('POST', '/compute/v2.1/servers', {
        token,
        body: { server: { name, flavorRef: flavors.body.flavors[0].id, imageRef: images.body.images[0].id } },
      });
      assert.equal(created.status, 202, created.text);
    }
    await until(async () => (await servers('')).every((s) => s.status === 'ACTIVE'));
    page = await signIn(rig, 'demo');
  });
  after(async () => {
    await page?.close();
    await rig?.close();
  });

  async function servers(query: string): Promise<{ id: string; name: string; status: string }[]> {
    const listed = await rig.cloud.request('GET', `/compute/v2.1/servers/detail${query}`, { token });
    assert.equal(listed.status, 200, listed.text);
    return listed.body.servers;
  }

  /** The names in the table once it shows `expected` (Nova's answer for the same page). */
  async function showsPage(expected: { name: string }[]) {
    const names = expected.map((s) => s.name);
    const table = page.getByRole('table', { name: 'Instances' });
    await page.waitForFunction((want) => {
      const cells = [...document.querySelectorAll('table[aria-label="Instances"] tbody tr td:nth-child(2)')];
      return JSON.stringify(cells.map((c) => c.textContent)) === JSON.stringify(want);
    }, names);
    assert.equal(await table.getByRole('row').count(), names.length + 1);
  }

  test("pages forward and back through Nova's markers in the order picked, all in the URL", async () => {
    await page.goto(`${rig.cloud.url}/dashboard/instances?limit=2`);
    await page.getByLabel('Sort by').selectOption({ label: 'Name' });
    await page.getByLabel('Order').selectOption({ label: 'Descending' });
    await page.getByRole('button', { name: 'Filter' }).click();
    const pages = [await servers('?limit=2&sort_key=display_name&sort_dir=desc')];
    await showsPage(pages[0]!);
    assert.deepEqual(
      pages[0]!.map((s) => s.name),
      ['srv-e', 'srv-d'],
    );
    assert.match(page.url(), /sort_key=display_name/);
    pages.push(await servers(`?limit=2&sort_key=display_name&sort_dir=desc&marker=${pages[0]!.at(-1)!.id}`));
    pages.push(await servers(`?limit=2&sort_key=display_name&sort_dir=desc&marker=${pages[1]!.at(-1)!.id}`));
    assert.deepEqual(
      pages[2]!.map((s) => s.name),
      ['srv-a'],
    );

    const pager = page.getByRole('navigation', { name: 'Instance list pages' });
    await pager.getByRole('button', { name: 'Next page' }).click();
    await showsPage(pages[1]!);
    await pager.getByRole('button', { name: 'Next page' }).click();
    await showsPage(pages[2]!);
    // Nova gives no next link for a page that came back short.
    assert.equal(await pager.getByRole('button', { name: 'Next page' }).count(), 0);
    await pager.getByRole('button', { name: 'Previous page' }).click();
    await showsPage(pages[1]!);
    await pager.getByRole('button', { name: 'Previous page' }).click();
    await showsPage(pages[0]!);
    assert.equal(await pager.getByRole('button', { name: 'Previous page' }).count(), 0);
    // The browser's back button retraces the pages too.
    await page.goBack();
    await showsPage(pages[1]!);
    await screenshot(page, 'instances-paged');
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
  });

  test('bulk stop reports each server: stopping, or Nova\u2019s refusal; bulk delete removes the selected', async () => {
    await page.goto(`${rig.cloud.url}/dashboard/instances?limit=3&sort_key=display_name&sort_dir=asc`);
    await showsPage(await servers('?limit=3&sort_key=display_name&sort_dir=asc'));
    const select = (name: string) => page.getByLabel(`Select ${name}`).check();
    await select('srv-a');
    await select('srv-b');
    await page.getByRole('button', { name: 'Stop selected' }).click();
    const results = page.getByRole('list', { name: 'Results of stop' });
    await results.getByText('srv-a: stopping').waitFor();
    await results.getByText('srv-b: stopping').waitFor();
    await until(async () => (await servers('?name=^srv-[ab]$')).every((s) => s.status === 'SHUTOFF'));

    // srv-a is already stopped: Nova refuses it (409) while srv-c stops.
    await select('srv-a');
    await select('srv-c');
    await page.getByRole('button', { name: 'Stop selected' }).click();
    await results.getByText(/^srv-a: Error \(409\): .+/).waitFor();
    await results.getByText('srv-c: stopping').waitFor();
    await until(async () => (await servers('?name=^srv-c$'))[0]?.status === 'SHUTOFF');
    assert.deepEqual(await seriousAccessibilityViolations(page), []);

    for (const name of ['srv-a', 'srv-b', 'srv-c']) await select(name);
    await page.getByRole('button', { name: 'Delete 3 selected instances' }).click();
    await page.getByRole('button', { name: 'Confirm delete' }).click();
    await page.getByRole('list', { name: 'Results of delete' }).getByText('srv-c: deleting').waitFor();
    await until(async () => (await servers('')).length === 2);
    assert.deepEqual(
      (await servers('?sort_key=display_name&sort_dir=asc')).map((s) => s.name),
      ['srv-d', 'srv-e'],
    );
  });
});

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for Nova');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
