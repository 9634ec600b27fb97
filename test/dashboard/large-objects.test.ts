/**
 * The object store's large uploads and temporary URLs in a real browser, as the demo user: a file above the
 * segment size goes up as a static large object, comes back identical, is shared through a temporary URL
 * signed in the page, and is deleted with its segments; each step is checked against Swift's own API.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { downloaded, openPanel, screenshot, seriousAccessibilityViolations, signIn, skipBrowser, startDashboardRig, type DashboardRig } from './browser.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('dashboard large objects and temporary URLs (demo)', { skip: skipBrowser }, () => {
  let rig: DashboardRig;
  let page: Page;
  let token: string;
  let account: string;
  // 3.5 MiB with 1 MiB segments: three whole segments and a short last one.
  const content = Buffer.alloc(3.5 * 1024 * 1024);
  for (let i = 0; i < content.length; i += 4) content.writeUInt32BE(i, i);
  before(async () => {
    rig = await startDashboardRig();
    token = await rig.cloud.demoToken();
    const scope = await rig.cloud.request('GET', '/identity/v3/auth/tokens', { token, headers: { 'x-subject-token': token } });
    account = `/object-store/v1/AUTH_${scope.body.token.project.id}`;
    assert.equal((await rig.cloud.request('PUT', `${account}/media`, { token })).status, 201);
    page = await signIn(rig, 'demo');
  });
  after(async () => {
    await page?.close();
    await rig?.close();
  });

  const objects = () => page.getByRole('table', { name: 'Objects in media' });
  const swift = (method: string, path: string) => rig.cloud.request(method, `${account}${path}`, { token });

  test('a file above the segment size goes up in segments under an SLO manifest and downloads identical', async () => {
    await openPanel(page, 'Containers');
    await page.getByRole('link', { name: 'media', exact: true }).click();
    await page.getByRole('heading', { name: 'Container media' }).waitFor();
    const path = join(await mkdtemp(join(tmpdir(), 'nimbus-slo-')), 'film.bin');
    await writeFile(path, content);
    await page.getByLabel('Segment size (MiB)').fill('1');
    await page.getByLabel('File to upload').setInputFiles(path);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await objects().getByRole('row').filter({ hasText: 'film.bin' }).getByText('3.5 MiB').waitFor();
    assert.equal(await page.getByRole('progressbar', { name: 'Upload of film.bin' }).getAttribute('value'), '100');
    // One object in the container: the manifest; its four segments live in media_segments.
    assert.equal(await objects().getByRole('row').count(), 2);
    const head = await swift('HEAD', '/media/film.bin');
    assert.equal(head.headers.get('x-static-large-object'), 'True');
    assert.equal(Number(head.headers.get('content-length')), content.length);
    // The manifest as Swift stores it: each segment's name and size, in order.
    const manifest = await swift('GET', '/media/film.bin?multipart-manifest=get');
    assert.ok(manifest.body.every((segment: { name: string }) => segment.name.startsWith('/media_segments/film.bin/slo/')));
    assert.deepEqual(
      manifest.body.map((segment: { bytes: number }) => segment.bytes),
      [1, 1, 1, 0.5].map((mib) => mib * 1024 * 1024),
    );
    const segments = await swift('GET', '/media_segments?format=json');
    assert.equal(segments.body.length, 4);
    assert.ok(segments.body.every((s: { name: string }) => s.name.startsWith('film.bin/slo/')));

    const { body } = await downloaded(page, () => page.getByRole('button', { name: 'Download film.bin' }).click());
    assert.equal(sha256(body), sha256(content));
    await screenshot(page, 'container-large-object');
    assert.deepEqual(await seriousAccessibilityViolations(page), []);
  });

  test('a temporary URL signed in the page downloads the object without a token until it expires', async () => {
    await objects().getByRole('button', { name: 'Temporary URL for film.bin' }).click();
    const region = page.getByRole('region', { name: 'Temporary URL for film.bin' });
    await region.getByRole('button', { name: 'Create a Temp-URL-Key' }).click();
    await region.getByLabel('Expires at').waitFor();
    const key = (await swift('HEAD', '')).headers.get('x-account-meta-temp-url-key');
    assert.match(String(key), /^[0-9a-f]{64}$/);
    await region.getByRole('button', { name: 'Generate URL' }).click();
    const url = new URL(await region.getByLabel('Temporary URL (GET, no token needed)').inputValue());
    assert.match(url.searchParams.get('temp_url_sig') ?? '', /^[0-9a-f]{64}$/);
    // The default expiry is a day away.
    const expires = Number(url.searchParams.get('temp_url_expires'));
    assert.ok(Math.abs(expires - (Date.now() / 1000 + 86_400)) < 120, String(expires));
    assert.deepEqual(await seriousAccessibilityViolations(page), []);

    const anonymous = await fetch(url);
    assert.equal(anonymous.status, 200);
    assert.equal(sha256(Buffer.from(await anonymous.arrayBuffer())), sha256(content));
    // The signature covers the method: the same URL does not let anyone delete.
    assert.equal((await fetch(url, { method: 'DELETE' })).status, 401);

    // The picked expiry is the one signed: a URL for a minute ahead works, and changing its expiry breaks the signature.
    const soon = new Date(Date.now() + 60_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await region.getByLabel('Expires at').fill(soon);
    await region.getByRole('button', { name: 'Generate URL' }).click();
    await page.waitForFunction((previous) => (document.querySelector('input[readonly]') as HTMLInputElement | null)?.value !== previous, url.toString());
    const short = new URL(await region.getByLabel('Temporary URL (GET, no token needed)').inputValue());
    assert.ok(Number(short.searchParams.get('temp_url_expires')) < expires);
    assert.equal((await fetch(short)).status, 200);
    short.searchParams.set('temp_url_expires', String(expires));
    assert.equal((await fetch(short)).status, 401);
  });

  test('deleting the large object deletes its segments', async () => {
    const row = objects().getByRole('row').filter({ hasText: 'film.bin' });
    await row.getByRole('button', { name: 'Delete film.bin' }).click();
    await row.getByRole('button', { name: 'Confirm delete' }).click();
    await page.getByText('No objects yet: upload a file above.').waitFor();
    assert.equal((await swift('HEAD', '/media/film.bin')).status, 404);
    const segments = await swift('GET', '/media_segments?format=json');
    assert.deepEqual(segments.status === 204 ? [] : segments.body, []);
  });
});
