/**
 * Debian's Horizon (openstack-dashboard 23) pointed at a fresh Nimbus by scripts/horizon/run.sh,
 * driven in Chromium: signed in as admin it visits every panel its navigation lists (project,
 * admin, identity), the Create Volume form and an instance's Console tab, over a cloud seeded with
 * a server, a volume and a network behind a router, and fails on any error Horizon shows.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { skipBrowser, startDashboardRig, type DashboardRig } from '../dashboard/browser.js';

const RUN = join(import.meta.dirname, '..', '..', '..', 'scripts', 'horizon', 'run.sh');
const HORIZON_PACKAGE = '/usr/lib/python3/dist-packages/openstack_dashboard';
const skip = skipBrowser || (existsSync(HORIZON_PACKAGE) ? false : 'openstack-dashboard is not installed (apt-get install openstack-dashboard)');

interface Horizon {
  url: string;
  log: string;
  process: ChildProcess;
}

/** run.sh against the test's Nimbus; resolves once it printed "ready" (its KEY=VALUE lines before). */
async function startHorizon(nimbusUrl: string): Promise<Horizon> {
  const child = spawn('bash', [RUN, '--nimbus-url', nimbusUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
  const values = new Map<string, string>();
  for await (const line of createInterface({ input: child.stdout })) {
    if (line === 'ready') break;
    const eq = line.indexOf('=');
    if (eq > 0) values.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const url = values.get('HORIZON_URL');
  if (!url) throw new Error(`scripts/horizon/run.sh exited (${child.exitCode}) before Horizon was ready`);
  return { url: url.replace(/\/$/, ''), log: values.get('HORIZON_LOG') ?? '', process: child };
}

async function stopHorizon(horizon: Horizon): Promise<void> {
  if (horizon.process.exitCode !== null) return;
  const exited = new Promise((resolve) => horizon.process.once('exit', resolve));
  horizon.process.kill('SIGTERM');
  await exited;
}

/** What Horizon shows as an error: its alert banners and toasts, Django's 500 page, "Unable to ..." texts. */
async function visibleErrors(page: Page): Promise<string[]> {
  const banners = await page.locator('.alert-danger, .messages .error').allInnerTexts();
  const body = await page.locator('body').innerText();
  const unable = body.match(/Unable to [^\n]*/g) ?? [];
  const crashed = /Something went wrong|Server error \(500\)/.test(body) ? ['the 500 page'] : [];
  return [...new Set([...banners.map((b) => b.trim().replace(/\s+/g, ' ')), ...unable, ...crashed])];
}

describe('real Horizon against Nimbus', { skip }, () => {
  let rig: DashboardRig;
  let horizon: Horizon;
  let context: BrowserContext;
  let page: Page;
  let serverId: string;
  let projectId: string;
  /** Per tab, 5xx answers to the page and to the calls of Horizon's Angular panels since its last visit. */
  const failedCalls = new Map<Page, string[]>();
  async function newTab(): Promise<Page> {
    const tab = await context.newPage();
    tab.setDefaultTimeout(60_000);
    failedCalls.set(tab, []);
    tab.on('response', (response) => {
      if (response.status() >= 500) failedCalls.get(tab)?.push(`${response.status()} ${response.request().method()} ${response.url()}`);
    });
    return tab;
  }
  const shots = skip ? '' : mkdtempSync(join(tmpdir(), 'nimbus-horizon-shots-'));

  before(async () => {
    rig = await startDashboardRig();
    ({ serverId, projectId } = await seed(rig));
    horizon = await startHorizon(rig.cloud.url);
    context = await rig.browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await newTab();
    await page.goto(`${horizon.url}/auth/login/`);
    await page.locator('#id_username').fill('admin');
    await page.locator('#id_password').fill(rig.cloud.adminPassword);
    await Promise.all([page.waitForURL(/\/project\/$/), page.locator('button[type=submit]').click()]);
    console.log(`Horizon screenshots in ${shots}, its log in ${horizon.log}`);
  });
  after(async () => {
    if (horizon) await stopHorizon(horizon);
    await rig?.close();
  });

  /** Opens a Horizon path, waits until its calls settle, and returns the errors it shows. */
  async function visit(path: string, shot: string, tab = page): Promise<string[]> {
    failedCalls.set(tab, []);
    await tab.goto(`${horizon.url}${path}`);
    await tab.waitForLoadState('networkidle');
    await tab.screenshot({ path: join(shots, `${shot}.png`), fullPage: true });
    return [...(await visibleErrors(tab)), ...(failedCalls.get(tab) ?? [])];
  }

  test('the error detector sees what Horizon shows for a server that does not exist', async () => {
    const errors = await visit('/project/instances/00000000-0000-0000-0000-000000000000/', 'missing-instance');
    assert.ok(
      errors.some((e) => /Unable to retrieve details for instance/.test(e)),
      JSON.stringify(errors),
    );
  });

  test('every panel of the navigation, Create Volume and an instance Console tab show no error', async () => {
    await page.goto(`${horizon.url}/project/`);
    const panels = await page.locator('#sidebar a.openstack-panel').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    for (const group of ['/project/', '/admin/', '/identity/']) {
      assert.ok(panels.filter((p) => p.startsWith(group)).length >= 5, `${group} panels in the navigation: ${panels.join(' ')}`);
    }
    // The panels the issue names are in the navigation; Create Volume and the Console tab are not.
    for (const named of ['/project/volumes/', '/admin/volume_types/', '/admin/metadata_defs/', '/project/instances/']) assert.ok(panels.includes(named), named);
    const pages = [...panels, '/project/volumes/create/', `/project/instances/${serverId}/?tab=instance_details__console`];
    const failures: string[] = [];
    const logStart = statSync(horizon.log).size;
    // Two tabs of the same session take turns: most of a visit is waiting for the calls to settle.
    const queue = [...pages];
    const worker = async (tab: Page) => {
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
        const errors = await visit(path, path.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home', tab);
        if (errors.length) failures.push(`${path}: ${errors.join(' | ')}`);
      }
    };
    const second = await newTab();
    await Promise.all([worker(page), worker(second)]);
    await second.close();
    assert.deepEqual(failures, [], `screenshots in ${shots}`);
    // Errors Horizon swallows (a panel left empty) still reach its log.
    const logged = readFileSync(horizon.log).subarray(logStart).toString('utf8');
    assert.deepEqual(
      logged.split('\n').filter((line) => /^(ERROR|CRITICAL) |^Traceback/.test(line)),
      [],
      `Horizon's log ${horizon.log}`,
    );
  });

  test('the seeded rows are on the panels', async () => {
    await visit('/project/instances/', 'rows-instances');
    await page.locator('table#instances tbody tr', { hasText: 'horizon-vm' }).waitFor();
    await visit('/project/volumes/', 'rows-volumes');
    await page.locator('table#volumes tbody tr', { hasText: 'horizon-vol' }).waitFor();
    await visit('/project/routers/', 'rows-routers');
    await page.locator('table#routers tbody tr', { hasText: 'horizon-router' }).waitFor();
    // The console tab embeds the console Nova's API handed out.
    await visit(`/project/instances/${serverId}/?tab=instance_details__console`, 'rows-console');
    assert.ok(await page.locator('iframe#console_embed').count(), 'the console iframe');
  });

  test("the overview's figures are the APIs' (every security group counted, usage up to now)", async () => {
    await visit('/project/', 'figures-overview');
    const used = async (title: string) =>
      page
        .locator('.d3_quota_bar', { has: page.locator(`.quota_title[title="${title}"]`) })
        .locator('.quota_subtitle')
        .innerText();
    const token = await rig.cloud.adminToken();
    const groups = await rig.cloud.request('GET', `/network/v2.0/security-groups?project_id=${projectId}`, { token });
    assert.ok(groups.body.security_groups.length >= 2, 'default and horizon-sg');
    assert.match(await used('Security Groups'), new RegExp(`^Used ${groups.body.security_groups.length} of `));
    assert.match(await used('Instances'), /^Used 1 of /);
    // One m1.tiny up for a minute or two: far below one VCPU-hour (not billed to the end of the day).
    const vcpuHours = Number(await page.locator('dt', { hasText: 'VCPU-Hours' }).locator('xpath=following-sibling::dd[1]').innerText());
    assert.ok(vcpuHours > 0 && vcpuHours < 0.5, `VCPU-hours ${vcpuHours}`);
  });
});

/** As admin in project admin: a network with a subnet behind a router to `public`, a server on it, a volume, a security group. */
async function seed(rig: DashboardRig): Promise<{ serverId: string; projectId: string }> {
  const token = await rig.cloud.adminToken();
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await rig.cloud.request(method, path, { token, body });
    assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${response.text}`);
    return response.body;
  };
  const project = (await rig.cloud.request('GET', '/identity/v3/auth/tokens', { token, headers: { 'x-subject-token': token } })).body.token.project.id;
  const network = (await call('POST', '/network/v2.0/networks', { network: { name: 'horizon-net' } })).network;
  const subnet = (
    await call('POST', '/network/v2.0/subnets', { subnet: { name: 'horizon-subnet', network_id: network.id, ip_version: 4, cidr: '10.20.0.0/24' } })
  ).subnet;
  const publicNet = (await call('GET', '/network/v2.0/networks?name=public')).networks[0];
  const router = (await call('POST', '/network/v2.0/routers', { router: { name: 'horizon-router', external_gateway_info: { network_id: publicNet.id } } }))
    .router;
  await call('PUT', `/network/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id });
  const flavor = (await call('GET', '/compute/v2.1/flavors')).flavors.find((f: { name: string }) => f.name === 'm1.tiny');
  const image = (await call('GET', '/image/v2/images')).images[0];
  const server = (
    await call('POST', '/compute/v2.1/servers', { server: { name: 'horizon-vm', flavorRef: flavor.id, imageRef: image.id, networks: [{ uuid: network.id }] } })
  ).server;
  await call('POST', `/volume/v3/${project}/volumes`, { volume: { name: 'horizon-vol', size: 1 } });
  await call('POST', '/network/v2.0/security-groups', { security_group: { name: 'horizon-sg' } });
  for (let i = 0; i < 100; i++) {
    const status = (await call('GET', `/compute/v2.1/servers/${server.id}`)).server.status;
    if (status === 'ACTIVE') return { serverId: server.id, projectId: project };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the seeded server did not become ACTIVE');
}
