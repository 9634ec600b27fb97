/** Bulk operations: extract-archive (tar and tar.gz, account and container level) and bulk-delete. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSwiftCloud, type SwiftTestCloud } from './support.js';

describe('object store: bulk', () => {
  let t: SwiftTestCloud;
  let work: string;
  before(async () => {
    t = await startSwiftCloud();
    work = mkdtempSync(join(tmpdir(), 'nimbus-bulk-'));
    mkdirSync(join(work, 'tree', 'albums', 'deep'), { recursive: true });
    writeFileSync(join(work, 'tree', 'albums', 'one.txt'), 'one');
    writeFileSync(join(work, 'tree', 'albums', 'deep', `${'long-name-'.repeat(12)}.txt`), 'two');
    execFileSync('tar', ['-C', join(work, 'tree'), '-cf', join(work, 'a.tar'), 'albums']);
    execFileSync('tar', ['-C', join(work, 'tree', 'albums'), '-czf', join(work, 'b.tar.gz'), '.']);
  });
  after(async () => {
    await t?.cloud.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('a tar at the account level makes containers from the first path part', async () => {
    const put = await t.swift('PUT', `${t.adminAccount}?extract-archive=tar`, {
      body: readFileSync(join(work, 'a.tar')),
      headers: { accept: 'application/json' },
    });
    assert.equal(put.status, 200);
    const summary = JSON.parse(put.text);
    assert.equal(summary['Number Files Created'], 2);
    assert.equal(summary['Response Status'], '201 Created');
    const names = (await t.swift('GET', `${t.adminAccount}/albums`)).text.split('\n').filter(Boolean);
    assert.deepEqual(names, [`deep/${'long-name-'.repeat(12)}.txt`, 'one.txt']);
  });

  test('a tar.gz at the container level lands under that container', async () => {
    await t.swift('PUT', `${t.adminAccount}/unpacked`);
    const put = await t.swift('PUT', `${t.adminAccount}/unpacked?extract-archive=tar.gz`, { body: readFileSync(join(work, 'b.tar.gz')) });
    assert.match(put.text, /Number Files Created: 2/);
    assert.equal((await t.swift('GET', `${t.adminAccount}/unpacked/one.txt`)).text, 'one');
    const garbage = await t.swift('PUT', `${t.adminAccount}/unpacked?extract-archive=tar.gz`, { body: 'not gzip' });
    assert.match(garbage.text, /Response Status: 400 Bad Request/);
  });

  test('bulk-delete removes objects, then their container, and counts what was not found', async () => {
    const body = ['/unpacked/one.txt', `/unpacked/deep/${'long-name-'.repeat(12)}.txt`, '/unpacked/missing', '/unpacked'].map(encodeURI).join('\n');
    const response = await t.swift('POST', `${t.adminAccount}?bulk-delete`, { body, headers: { 'content-type': 'text/plain', accept: 'application/json' } });
    const summary = JSON.parse(response.text);
    assert.equal(summary['Number Deleted'], 3);
    assert.equal(summary['Number Not Found'], 1);
    assert.deepEqual(summary.Errors, []);
    assert.equal((await t.swift('HEAD', `${t.adminAccount}/unpacked`)).status, 404);
    const denied = await t.swift('DELETE', `${t.adminAccount}?bulk-delete`, { token: t.demoToken, body: '/albums/one.txt' });
    assert.match(denied.text, /albums\/one.txt, 403 Forbidden/);
  });
});
