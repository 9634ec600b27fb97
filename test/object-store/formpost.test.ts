/** Form POST uploads: a signed form stores its files under the prefix; a bad signature, expiry or size is refused. */
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSwiftCloud, type SwiftTestCloud } from './support.js';

describe('object store: formpost', () => {
  let t: SwiftTestCloud;
  before(async () => {
    t = await startSwiftCloud();
    await t.swift('PUT', `${t.adminAccount}/inbox`, { headers: { 'x-container-meta-temp-url-key': 'form-key' } });
  });
  after(() => t?.cloud.close());

  function form(options: { expires?: number; maxSize?: number; redirect?: string; key?: string; files: Array<[string, string]> }) {
    const path = `${t.adminAccount}/inbox/up-`;
    const expires = String(options.expires ?? Math.floor(Date.now() / 1000) + 600);
    const fields: Record<string, string> = { redirect: options.redirect ?? '', max_file_size: String(options.maxSize ?? 1024), max_file_count: '2', expires };
    fields.signature = createHmac('sha256', options.key ?? 'form-key')
      .update([path, fields.redirect, fields.max_file_size, fields.max_file_count, expires].join('\n'))
      .digest('hex');
    const boundary = 'xYzZY';
    const lines: string[] = [];
    for (const [name, value] of Object.entries(fields)) lines.push(`--${boundary}`, `Content-Disposition: form-data; name="${name}"`, '', value);
    for (const [filename, content] of options.files) {
      lines.push(`--${boundary}`, `Content-Disposition: form-data; name="file"; filename="${filename}"`, 'Content-Type: text/plain', '', content);
    }
    lines.push(`--${boundary}--`, '');
    return { path, body: lines.join('\r\n'), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
  }

  test('a signed form stores each file under the prefix, without a token', async () => {
    const { path, body, headers } = form({
      files: [
        ['a.txt', 'first file'],
        ['b.txt', 'x'.repeat(1000)],
      ],
    });
    const response = await t.swift('POST', path, { token: null, body, headers });
    assert.equal(response.status, 201, response.text);
    assert.equal((await t.swift('GET', `${t.adminAccount}/inbox/up-a.txt`)).text, 'first file');
    assert.equal((await t.swift('GET', `${t.adminAccount}/inbox/up-b.txt`)).body.length, 1000);
  });

  test('a wrong key or an expired form is 401; a file over max_file_size redirects with 400', async () => {
    const wrong = form({ key: 'other', files: [['c.txt', 'c']] });
    assert.equal((await t.swift('POST', wrong.path, { token: null, body: wrong.body, headers: wrong.headers })).status, 401);
    const expired = form({ expires: 1000, files: [['c.txt', 'c']] });
    assert.equal((await t.swift('POST', expired.path, { token: null, body: expired.body, headers: expired.headers })).status, 401);
    const big = form({ maxSize: 4, redirect: 'https://app.example/done', files: [['big.txt', 'too big']] });
    const response = await fetch(`${t.cloud.url}${big.path}`, { method: 'POST', body: Buffer.from(big.body), headers: big.headers, redirect: 'manual' });
    assert.equal(response.status, 303);
    assert.match(response.headers.get('location') ?? '', /^https:\/\/app\.example\/done\?status=400&message=/);
    assert.equal((await t.swift('GET', `${t.adminAccount}/inbox/up-big.txt`)).status, 404);
  });
});
