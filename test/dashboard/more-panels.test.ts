/**
 * The images, key pairs, security groups, object store, client configuration and application
 * credential panels in a real browser, as the demo user: each change is made through the
 * dashboard and checked both on the page and, where it matters, against the APIs themselves.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { parse } from 'yaml';
import { downloaded, openPanel, screenshot, seriousAccessibilityViolations, signIn, skipBrowser, startDashboardRig, type DashboardRig } from './browser.js';

/** An OpenSSH public key line for a fresh Ed25519 key (the wire form: length-prefixed type and key). */
function sshPublicKey(): string {
  const der = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' });
  const field = (bytes: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, bytes.length]), bytes]);
  return `ssh-ed25519 ${Buffer.concat([field(Buffer.from('ssh-ed25519')), field(der.subarray(-32))]).toString('base64')} demo@test`;
}

describe('dashboard images, key pairs, security groups, object store and credentials (demo)', { skip: skipBrowser }, () => {
  let rig: DashboardRig;
  let page: Page;
  let imageSource: Server;
  const diskBytes = Buffer.alloc(64 * 1024, 7);
  before(async () => {
    // Glance fetches web-download imports itself: the test serves one on loopback, on a port its filter must allow.
    imageSource = createServer((_request, response) => response.end(diskBytes));
    await new Promise<void>((resolve) => imageSource.listen(0, '127.0.0.1', resolve));
    rig = await startDashboardRig((config) => {
      config.image.import_filtering_opts.allowed_ports = [];
    });
    page = await signIn(rig, 'demo');
  });
  after(async () => {
    await rig?.close();
    imageSource?.close();
  });

  const row = (table: string, text: string) => page.getByRole('table', { name: table }).getByRole('row').filter({ hasText: text });
  const noSeriousViolations = async () => assert.deepEqual(await seriousAccessibilityViolations(page), []);
  /** Opens the user menu (it closes after each choice) and makes one choice in it. */
  const fromUserMenu = async (role: 'button' | 'link', name: string) => {
    await page.getByText('demo (Default)').click();
    await page.getByRole(role, { name }).click();
  };

  test('an image is uploaded from a file with a progress bar, another imported by web-download; visibility changes and delete', async () => {
    await openPanel(page, 'Images');
    await page.getByLabel('Image name').fill('tiny');
    await page.getByLabel('Disk format').selectOption('raw');
    await page.getByLabel('Image file').setInputFiles({ name: 'tiny.img', mimeType: 'application/octet-stream', buffer: Buffer.alloc(256 * 1024, 1) });
    await page.getByRole('button', { name: 'Create image' }).click();
    await row('Images', 'tiny').getByText('active', { exact: true }).waitFor();
    assert.equal(await page.getByRole('progressbar', { name: 'Upload of tiny.img' }).getAttribute('value'), '100');
    await row('Images', 'tiny').getByText('256.0 KiB').waitFor();

    const { port } = imageSource.address() as AddressInfo;
    await page.getByLabel('Image name').fill('fetched');
    await page.getByLabel('Disk format').selectOption('raw');
    await page.getByLabel('or image URL').fill(`http://127.0.0.1:${port}/disk.raw`);
    await page.getByRole('button', { name: 'Create image' }).click();
    await row('Images', 'fetched').getByText('active', { exact: true }).waitFor();
    await row('Images', 'fetched').getByText('64.0 KiB').waitFor();
    await noSeriousViolations();
    await screenshot(page, 'images');

    await page.getByLabel('Visibility of tiny').selectOption('shared');
    await page.getByLabel('Share tiny with project ID').waitFor();
    await page.getByRole('button', { name: 'Delete fetched' }).click();
    await page.getByRole('button', { name: 'Confirm delete' }).click();
    await row('Images', 'fetched').waitFor({ state: 'detached' });
  });

  test("the image list pages with Glance's markers, the page kept in the URL", async () => {
    const token = await rig.cloud.demoToken();
    // Glance answers 25 images a page by default: with these the list has a second page.
    for (let n = 10; n < 35; n++) assert.equal((await rig.cloud.request('POST', '/image/v2/images', { token, body: { name: `zz-${n}` } })).status, 201);
    await page.reload();
    await page.getByRole('heading', { name: 'Images', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Next page' }).click();
    await row('Images', 'zz-34').waitFor();
    assert.match(page.url(), /\/dashboard\/images\?marker=/);
    assert.equal(await row('Images', 'tiny').count(), 0);
    await page.getByRole('link', { name: 'First page' }).click();
    await row('Images', 'tiny').waitFor();
    await page.goBack();
    await row('Images', 'zz-34').waitFor();
  });

  test('a generated key pair offers its private key once; a public key is imported; both delete', async () => {
    await openPanel(page, 'Key pairs');
    await page.getByLabel('Key pair name').fill('generated');
    await page.getByRole('button', { name: 'Create key pair' }).click();
    const { download, body } = await downloaded(page, () => page.getByRole('button', { name: 'Download generated.pem' }).click());
    assert.equal(download.suggestedFilename(), 'generated.pem');
    assert.match(body.toString(), /^-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    await page.getByRole('button', { name: 'Done' }).click();
    assert.equal(await page.getByRole('button', { name: 'Download generated.pem' }).count(), 0);

    await page.getByLabel('Key pair name').fill('imported');
    await page.getByLabel(/Public key to import/).fill(sshPublicKey());
    await page.getByRole('button', { name: 'Create key pair' }).click();
    await row('Key pairs', 'imported').waitFor();
    assert.equal(await page.getByRole('button', { name: /^Download imported/ }).count(), 0);
    await noSeriousViolations();
    for (const name of ['generated', 'imported']) {
      await page.getByRole('button', { name: `Delete ${name}` }).click();
      await page.getByRole('button', { name: 'Confirm delete' }).click();
      await row('Key pairs', name).waitFor({ state: 'detached' });
    }
  });

  test('a security group gets a CIDR rule and a remote-group rule; a rule deletes', async () => {
    await openPanel(page, 'Security groups');
    await page.getByLabel('Group name').fill('web-sg');
    await page.getByRole('button', { name: 'Create security group' }).click();
    await noSeriousViolations();
    await page.getByRole('link', { name: 'web-sg' }).click();
    await page.getByRole('heading', { name: 'Rules of web-sg' }).waitFor();
    await page.getByLabel('From port (ICMP type)').fill('80');
    await page.getByLabel('Remote CIDR').fill('0.0.0.0/0');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await row('Rules of web-sg', '0.0.0.0/0').getByText('80', { exact: true }).waitFor();
    await page.getByLabel('Protocol').selectOption('any');
    await page.getByLabel('From port (ICMP type)').fill('');
    await page.getByRole('combobox', { name: /^Remote/ }).selectOption({ label: 'group default' });
    await page.getByRole('button', { name: 'Add rule' }).click();
    await row('Rules of web-sg', 'group default').waitFor();
    // ICMP echo request: type 8 and no code (Neutron's null, not the type again).
    await page.getByLabel('Protocol').selectOption('icmp');
    await page.getByLabel('From port (ICMP type)').fill('8');
    await page.getByRole('combobox', { name: /^Remote/ }).selectOption({ label: 'CIDR' });
    await page.getByRole('button', { name: 'Add rule' }).click();
    await row('Rules of web-sg', 'icmp').getByText('type 8', { exact: true }).waitFor();
    await noSeriousViolations();
    await screenshot(page, 'security-group-rules');
    await page.getByRole('button', { name: 'Delete ingress IPv4 tcp 80 0.0.0.0/0 rule' }).click();
    await page.getByRole('button', { name: 'Confirm delete' }).click();
    await row('Rules of web-sg', 'tcp').waitFor({ state: 'detached' });
  });

  test('a 20 MiB object goes up with a progress bar into a folder and comes back identical; public read toggles; Swift refuses to delete a full container', async () => {
    await openPanel(page, 'Containers');
    await page.getByLabel('Container name').fill('docs');
    await page.getByRole('button', { name: 'Create container' }).click();
    await page.getByRole('link', { name: 'docs' }).click();
    await page.getByRole('heading', { name: 'Container docs' }).waitFor();
    await page.getByLabel('Folder name').fill('reports');
    await page.getByRole('button', { name: 'Create folder' }).click();
    await page.getByRole('link', { name: 'reports/' }).click();
    await page.getByRole('heading', { name: 'Container docs: reports/' }).waitFor();

    const content = Buffer.alloc(20 * 1024 * 1024);
    for (let i = 0; i < content.length; i += 4096) content.writeUInt32BE(i, i);
    // From a file on disk: the browser reads it itself, where a buffer would cross the DevTools protocol slowly.
    const path = join(await mkdtemp(join(tmpdir(), 'nimbus-dashboard-')), 'big.bin');
    await writeFile(path, content);
    await page.getByLabel('File to upload').setInputFiles(path);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await row('Objects in docs', 'big.bin').getByText('20.0 MiB').waitFor({ timeout: 60_000 });
    // The folder's marker object is the folder itself, not a row of it.
    assert.equal(await page.getByRole('table', { name: 'Objects in docs' }).getByRole('row').count(), 2);
    assert.equal(await page.getByRole('progressbar', { name: 'Upload of big.bin' }).getAttribute('value'), '100');
    const { body } = await downloaded(page, () => page.getByRole('button', { name: 'Download reports/big.bin' }).click());
    assert.equal(createHash('sha256').update(body).digest('hex'), createHash('sha256').update(content).digest('hex'));
    await noSeriousViolations();
    await screenshot(page, 'container');

    const anonymous = async () =>
      (await fetch(`${rig.cloud.url}/object-store/v1/AUTH_${await projectId(page)}/docs/reports/big.bin`, { method: 'HEAD' })).status;
    await page.getByRole('button', { name: 'Make docs public' }).click();
    await page.getByRole('button', { name: 'Make docs private' }).waitFor();
    assert.equal(await anonymous(), 200);
    await page.getByRole('button', { name: 'Make docs private' }).click();
    await page.getByRole('button', { name: 'Make docs public' }).waitFor();
    assert.ok([401, 403].includes(await anonymous()));

    await page.getByRole('link', { name: 'Containers', exact: true }).first().click();
    await page.getByRole('heading', { name: 'Containers', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Delete docs' }).click();
    await page.getByRole('button', { name: 'Confirm delete' }).click();
    await page.getByRole('alert').filter({ hasText: 'Error (409)' }).waitFor();
    await noSeriousViolations();
  });

  test('the user menu gives a clouds.yaml and an openrc for the project, neither holding a password', async () => {
    const yamlFile = await downloaded(page, () => fromUserMenu('button', 'Download clouds.yaml'));
    const clouds = parse(yamlFile.body.toString()) as { clouds: Record<string, { auth: Record<string, string>; region_name?: string }> };
    const [entry] = Object.values(clouds.clouds);
    assert.ok(entry);
    assert.equal(entry.auth.auth_url, `${rig.cloud.url}/identity/v3`);
    assert.equal(entry.auth.project_name, 'demo');
    assert.equal(entry.auth.username, 'demo');
    assert.equal(entry.auth.password, undefined);
    assert.ok(!yamlFile.body.toString().includes(rig.cloud.demoPassword));

    const rc = await downloaded(page, () => fromUserMenu('button', 'Download openrc'));
    const script = rc.body.toString();
    assert.match(script, /^export OS_AUTH_URL='.*\/identity\/v3'$/m);
    assert.match(script, /read -rs OS_PASSWORD/);
    assert.ok(!script.includes(rig.cloud.demoPassword));

    // Sourced with the password typed at its prompt, the openrc gives the CLI's environment.
    const environment = await sourced((await rc.download.path()) ?? '', `${rig.cloud.demoPassword}\n`);
    assert.equal(environment.OS_PASSWORD, rig.cloud.demoPassword);
    assert.equal(environment.OS_PROJECT_ID, await projectId(page));
    assert.equal(environment.OS_AUTH_URL, `${rig.cloud.url}/identity/v3`);
    // The clouds.yaml's fields, with the password given apart, are a password login Keystone takes for the project
    // (the fields Debian's CLI reads from it; one CLI call would cost this shared test more than all the rest).
    const auth = entry.auth;
    const scoped = await fetch(`${auth.auth_url}/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: auth.username, domain: { name: auth.user_domain_name }, password: rig.cloud.demoPassword } },
          },
          scope: { project: { id: auth.project_id } },
        },
      }),
    });
    assert.equal(scoped.status, 201);
    assert.equal(((await scoped.json()) as { token: { project: { id: string } } }).token.project.id, environment.OS_PROJECT_ID);
  });

  test('an application credential shows its secret once, and the secret gets a token', async () => {
    await fromUserMenu('link', 'Application credentials');
    await page.getByRole('heading', { name: 'Application credentials', level: 1 }).waitFor();
    await page.getByLabel('Credential name').fill('ci-bot');
    await page.getByRole('button', { name: 'Create application credential' }).click();
    await row('Application credentials', 'ci-bot').waitFor();
    const secret = (await page.locator('.secret code').textContent()) ?? '';
    const yamlFile = await downloaded(page, () => page.getByRole('button', { name: /^Download clouds.yaml for / }).click());
    const [entry] = Object.values((parse(yamlFile.body.toString()) as { clouds: Record<string, { auth: Record<string, string> }> }).clouds);
    assert.equal(entry?.auth.application_credential_secret, secret);
    const token = await fetch(`${rig.cloud.url}/identity/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: { identity: { methods: ['application_credential'], application_credential: { id: entry?.auth.application_credential_id, secret } } },
      }),
    });
    assert.equal(token.status, 201);
    await noSeriousViolations();
    await page.getByRole('button', { name: 'Done' }).click();
    assert.equal(await page.locator('.secret').count(), 0);
    await page.getByRole('button', { name: 'Delete ci-bot' }).click();
    await page.getByRole('button', { name: 'Confirm delete' }).click();
    await row('Application credentials', 'ci-bot').waitFor({ state: 'detached' });
  });
});

/** The environment after `. script` in bash, `stdin` typed at its prompts. */
function sourced(script: string, stdin: string): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const bash = spawn('bash', ['-c', '. "$1" && env -0', 'bash', script], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let out = '';
    bash.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    bash.on('error', reject);
    bash.on('close', (code) => {
      if (code !== 0) reject(new Error(`sourcing ${script} failed (${code})`));
      else resolve(Object.fromEntries(out.split('\0').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])));
    });
    bash.stdin.end(stdin);
  });
}

/** The project of the page's session, as the dashboard keeps it. */
async function projectId(page: Page): Promise<string> {
  return page.evaluate(() => (JSON.parse(sessionStorage.getItem('nimbus.session') ?? '{}') as { project: { id: string } }).project.id);
}
