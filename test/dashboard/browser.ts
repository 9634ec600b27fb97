/**
 * What the dashboard's browser tests share: a Nimbus server with one simulated hypervisor and
 * DevStack's default content, Debian's Chromium driven by playwright-core (headless, one
 * browser per test file), login, axe-core's accessibility check and screenshots.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Download, type Page } from 'playwright-core';
import type { NimbusConfig } from '../../src/config.js';
import { startTestServer, type TestServer } from '../support/server.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or false when they can. */
export const skipBrowser: string | false = existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent (Debian's chromium package; .ci/run installs it)`;

export interface DashboardRig {
  cloud: TestServer;
  browser: Browser;
  close(): Promise<void>;
}

export async function startDashboardRig(configure?: (config: NimbusConfig) => void): Promise<DashboardRig> {
  const cloud = await startTestServer((config) => {
    config.compute.fake.hosts = 1;
    config.compute.devstack_defaults = true;
    configure?.(config);
  });
  // Chromium's sandbox needs user namespaces a root CI process does not get.
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  return {
    cloud,
    browser,
    async close() {
      await browser.close();
      await cloud.close();
    },
  };
}

/** A fresh page signed in as `user` at the dashboard's first page. */
export async function signIn(rig: DashboardRig, user: 'admin' | 'demo'): Promise<Page> {
  const page = await rig.browser.newPage({ viewport: { width: 1280, height: 800 } });
  // Generous: the shared CI machine runs other suites beside this one.
  page.setDefaultTimeout(30_000);
  await page.goto(`${rig.cloud.url}/`);
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password').fill(user === 'admin' ? rig.cloud.adminPassword : rig.cloud.demoPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Instances' }).waitFor();
  return page;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown }[];
}

/** axe-core's serious and critical findings on the page as it stands, one line each. */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

/** Kept as a CI artifact when NIMBUS_SCREENSHOT_DIR is set. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.NIMBUS_SCREENSHOT_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** Goes to a panel through the navigation, as a user does. */
export async function openPanel(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Panels' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

/** The file the page hands the browser when `click` runs, and its bytes. */
export async function downloaded(page: Page, click: () => Promise<void>): Promise<{ download: Download; body: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { download, body: await readFile((await download.path()) ?? '') };
}
