/**
 * Static web as Swift's staticweb middleware serves it: index objects,
 * trailing-slash redirects, HTML listings with their style sheet and label,
 * `<status><suffix>` error pages, directory markers, `X-Web-Mode` for token
 * holders (test/clients/object-store-cli.test.ts drives it with `swift post -m web-index:...`).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { humanReadable } from '../../src/object-store/middleware/staticweb.js';
import { startSwiftCloud, type SwiftTestCloud } from './support.js';

describe('object store: static web', () => {
  let t: SwiftTestCloud;
  let site: string;
  const anonymous = (path: string, headers: Record<string, string> = {}) => t.swift('GET', path, { token: null, headers });
  const noFollow = async (path: string) => {
    const response = await fetch(`${t.cloud.url}${path}`, { redirect: 'manual' });
    return { status: response.status, location: response.headers.get('location') };
  };

  before(async () => {
    t = await startSwiftCloud();
    site = `${t.adminAccount}/site`;
    await t.swift('PUT', site, { headers: { 'x-container-read': '.r:*,.rlistings' } });
    await t.swift('PUT', `${site}/index.html`, { body: '<h1>home</h1>', headers: { 'content-type': 'text/html' } });
    await t.swift('PUT', `${site}/docs/index.html`, { body: '<h1>docs</h1>', headers: { 'content-type': 'text/html' } });
    await t.swift('PUT', `${site}/files/a.txt`, { body: 'a', headers: { 'content-type': 'text/plain' } });
    await t.swift('PUT', `${site}/files/sub/b.txt`, { body: 'bb', headers: { 'content-type': 'text/plain' } });
    await t.swift('PUT', `${site}/404error.html`, { body: 'custom missing page', headers: { 'content-type': 'text/html' } });
    await t.swift('PUT', `${site}/marker`, { body: '', headers: { 'content-type': 'application/directory' } });
    await t.swift('PUT', `${site}/marker/m.txt`, { body: 'm', headers: { 'content-type': 'text/plain' } });
  });
  after(() => t?.cloud.close());

  test('without web metadata a container is a plain container; /info announces staticweb', async () => {
    assert.equal((await anonymous(site)).text.split('\n').includes('index.html'), true);
    assert.deepEqual((await t.cloud.request('GET', '/object-store/info')).body.staticweb, {});
  });

  test('web-index: the container redirects to its slash form and serves index.html; so do pseudo-directories', async () => {
    await t.swift('POST', site, { headers: { 'x-container-meta-web-index': 'index.html' } });
    const redirect = await noFollow(site);
    assert.equal(redirect.status, 301);
    assert.equal(redirect.location, `${t.cloud.url}${site}/`);
    assert.equal((await anonymous(`${site}/`)).text, '<h1>home</h1>');
    assert.equal((await anonymous(site)).text, '<h1>home</h1>');
    assert.equal((await noFollow(`${site}/docs`)).status, 301);
    assert.equal((await anonymous(`${site}/docs/`)).text, '<h1>docs</h1>');
    // A token holder sees Swift's plain answers unless asking for web mode.
    assert.equal((await t.swift('GET', site)).status, 200);
    assert.match((await t.swift('GET', site)).text, /^404error.html\n/);
    assert.equal((await t.swift('GET', `${site}/`, { headers: { 'x-web-mode': 'true' } })).text, '<h1>home</h1>');
  });

  test('listings: HTML with subdirectories, sizes, types, the parent link, a style sheet and a label', async () => {
    await t.swift('POST', site, { headers: { 'x-container-meta-web-listings': 'true', 'x-container-meta-web-listings-css': 'style.css' } });
    const page = await anonymous(`${site}/files/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.text, /<title>Listing of \/v1\/AUTH_[0-9a-f]+\/site\/files\/<\/title>/);
    assert.match(page.text, /<link rel="stylesheet" type="text\/css" href="\.\.\/style\.css" \/>/);
    assert.match(page.text, /<tr id="parent" class="item">/);
    assert.match(page.text, /<tr class="item subdir">\n {4}<td class="colname"><a href=".\/sub\/">sub\/<\/a><\/td>/);
    assert.match(
      page.text,
      /<tr class="item type-text type-plain">\n {4}<td class="colname"><a href=".\/a%2Etxt">a.txt<\/a><\/td>\n {4}<td class="colsize">1<\/td>/,
    );
    assert.equal((await noFollow(`${site}/files`)).status, 301);
    await t.swift('POST', site, { headers: { 'x-container-meta-web-listings-label': 'example.com' } });
    assert.match((await anonymous(`${site}/files/`)).text, /<title>Listing of example.com\/files\/<\/title>/);
    // A directory marker is a directory, not an object.
    assert.match((await anonymous(`${site}/marker/`)).text, /m%2Etxt/);
  });

  test('web-error: a missing path serves 404<suffix> with status 404; listings off say so', async () => {
    await t.swift('POST', site, { headers: { 'x-container-meta-web-error': 'error.html' } });
    const missing = await anonymous(`${site}/nothing-here`);
    assert.equal(missing.status, 404);
    assert.equal(missing.text, 'custom missing page');
    await t.swift('POST', site, { headers: { 'x-container-meta-web-error': '', 'x-container-meta-web-listings': 'false' } });
    const disabled = await anonymous(`${site}/files/`);
    assert.equal(disabled.status, 404);
    assert.match(disabled.text, /Web Listing Disabled/);
  });

  test('a container without .rlistings refuses the anonymous site with 401 (its 401 page when named)', async () => {
    await t.swift('PUT', `${t.adminAccount}/closed`, { headers: { 'x-container-read': '.r:*', 'x-container-meta-web-index': 'index.html' } });
    assert.equal((await anonymous(`${t.adminAccount}/closed/`)).status, 401);
    await t.swift('PUT', `${t.adminAccount}/closed/401e.html`, { body: 'who are you', headers: { 'content-type': 'text/html' } });
    await t.swift('POST', `${t.adminAccount}/closed`, { headers: { 'x-container-meta-web-error': 'e.html' } });
    const refused = await anonymous(`${t.adminAccount}/closed/`);
    assert.deepEqual([refused.status, refused.text], [401, 'who are you']);
  });

  test("Swift's human_readable sizes", () => {
    assert.deepEqual([0, 1023, 1024, 1536, 1048576, 5 * 1024 ** 4].map(humanReadable), ['0', '1023', '1Ki', '2Ki', '1Mi', '5Ti']);
  });
});
