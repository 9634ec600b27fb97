/** ETag, Last-Modified and conditional requests on a resource, as Gnocchi answers them (412, bodiless 304). */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';

let cloud: TestServer;
let admin: string;
const ID = '2f0e1b5c-4b8a-4c0e-9d1e-7a7d6b0c1f11';
const PATH = `/metric/v1/resource/generic/${ID}`;
const OLD = new Date('2000-01-01T00:00:00Z').toUTCString();

before(async () => {
  cloud = await startTestServer();
  admin = await cloud.adminToken();
});
after(() => cloud.close());

const get = (headers: Record<string, string>, path = PATH) => cloud.request('GET', path, { token: admin, headers });

test('a resource carries the ETag and Last-Modified of its revision; GET honours the four conditions', async () => {
  const created = await cloud.request('POST', '/metric/v1/resource/generic', { token: admin, body: { id: ID, project_id: ID, user_id: ID } });
  assert.equal(created.status, 201, created.text);
  const etag = createHash('sha1').update(ID).update(created.body.revision_start).digest('hex');
  assert.equal(created.headers.get('etag'), `"${etag}"`);
  const shown = await get({});
  assert.equal(shown.headers.get('etag'), `"${etag}"`);
  const lastModified = shown.headers.get('last-modified')!;
  assert.equal(Date.parse(lastModified), Math.floor(Date.parse(created.body.revision_start) / 1000) * 1000);

  const expect = async (headers: Record<string, string>, status: number, path?: string) => {
    const response = await get(headers, path);
    assert.equal(response.status, status, `${JSON.stringify(headers)} → ${response.status} ${response.text}`);
    return response;
  };
  const failed = await expect({ 'if-match': 'fake' }, 412);
  assert.deepEqual(failed.body, { code: 412, description: '', title: 'Precondition Failed' });
  await expect({ 'if-match': `"${etag}"` }, 200);
  await expect({ 'if-match': etag }, 200);
  await expect({ 'if-unmodified-since': lastModified }, 200);
  await expect({ 'if-unmodified-since': OLD }, 412);
  await expect({ 'if-match': etag, 'if-unmodified-since': OLD }, 200);
  await expect({ 'if-match': '*', 'if-unmodified-since': OLD }, 200);
  await expect({ 'if-match': '*' }, 404, '/metric/v1/resource/generic/wrongid');
  await expect({ 'if-none-match': '*' }, 404, '/metric/v1/resource/generic/wrongid');
  const notModified = await expect({ 'if-none-match': '*' }, 304);
  assert.equal(notModified.text, '');
  await expect({ 'if-none-match': `"fake", "${etag}"` }, 304);
  await expect({ 'if-none-match': 'fake' }, 200);
  await expect({ 'if-modified-since': lastModified }, 304);
  await expect({ 'if-modified-since': OLD }, 200);
  await expect({ 'if-modified-since': OLD, 'if-none-match': etag }, 304);
  await expect({ 'if-modified-since': lastModified, 'if-none-match': 'fake' }, 200);
  await expect({ 'if-none-match': etag, 'if-match': etag }, 304);
});

test('PATCH and DELETE: a matching If-None-Match is a 412, If-Modified-Since is ignored, a new revision a new ETag', async () => {
  const before = await get({});
  const etag = before.headers.get('etag')!;
  const write = (method: 'PATCH' | 'DELETE', headers: Record<string, string>, body?: unknown) =>
    cloud.request(method, PATH, body === undefined ? { token: admin, headers } : { token: admin, headers, body });
  assert.equal((await write('PATCH', { 'if-none-match': '*' }, { user_id: 'someone' })).status, 412);
  assert.equal((await write('PATCH', { 'if-match': '"other"' }, { user_id: 'someone' })).status, 412);
  assert.equal((await write('DELETE', { 'if-none-match': etag })).status, 412);
  const patched = await write('PATCH', { 'if-match': etag, 'if-modified-since': before.headers.get('last-modified')! }, { user_id: 'someone' });
  assert.equal(patched.status, 200, patched.text);
  assert.notEqual(patched.headers.get('etag'), etag);
  assert.equal((await write('DELETE', { 'if-match': etag })).status, 412);
  assert.equal((await write('DELETE', { 'if-match': patched.headers.get('etag')! })).status, 204);
  assert.equal((await get({})).status, 404);
});
