/** Personality files before 2.57: create and rebuild inject them (the fake logs them), Nova's quotas and 403 messages; 400 from 2.57. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

const file = (path: string, text: string) => ({ path, contents: Buffer.from(text).toString('base64') });

describe('compute: personality (injected files)', () => {
  let c: ComputeCloud;
  before(async () => {
    c = await startComputeCloud();
  });
  after(() => c.close());

  const create = (personality: unknown, version = '2.56') =>
    c.call('POST', '/servers', { version, body: { server: { name: 'p', imageRef: c.imageId, flavorRef: '42', networks: 'none', personality } } });
  const consoleOf = async (id: string) => (await c.call('POST', `/servers/${id}/action`, { body: { 'os-getConsoleOutput': {} } })).body.output as string;

  test('create and rebuild inject the files into the guest', async () => {
    const created = await create([file('/etc/motd', 'hello'), file('/root/notes', 'two words')]);
    assert.equal(created.status, 202, created.text);
    const id = created.body.server.id;
    await c.waitFor(id, 'ACTIVE');
    const booted = await consoleOf(id);
    assert.match(booted, /injected file \/etc\/motd \(5 bytes\)/);
    assert.match(booted, /injected file \/root\/notes \(9 bytes\)/);

    const rebuilt = await c.call('POST', `/servers/${id}/action`, {
      version: '2.56',
      body: { rebuild: { imageRef: c.imageId, personality: [file('/etc/issue', 'rebuilt')] } },
    });
    assert.equal(rebuilt.status, 202, rebuilt.text);
    await c.waitFor(id, 'ACTIVE');
    const after = await consoleOf(id);
    assert.match(after, /injected file \/etc\/issue \(7 bytes\)/);
    assert.doesNotMatch(after, /\/etc\/motd/, 'a rebuild injects only its own files');

    novaError(
      await c.call('POST', `/servers/${id}/action`, { version: '2.57', body: { rebuild: { imageRef: c.imageId, personality: [] } } }),
      400,
      'badRequest',
    );
    const tooMany = Array.from({ length: 6 }, (_, i) => file(`/f${i}`, 'x'));
    assert.equal(
      novaError(
        await c.call('POST', `/servers/${id}/action`, { version: '2.56', body: { rebuild: { imageRef: c.imageId, personality: tooMany } } }),
        403,
        'forbidden',
      ),
      'Personality file limit exceeded',
    );
  });

  test("Nova's quotas: count, then the longest path, then the longest contents (base64 as sent)", async () => {
    assert.equal(novaError(await create(Array.from({ length: 6 }, (_, i) => file(`/f${i}`, 'x'))), 403, 'forbidden'), 'Personality file limit exceeded');
    assert.equal(novaError(await create([file(`/${'p'.repeat(255)}`, 'x')]), 403, 'forbidden'), 'Personality file path exceeds maximum 255');
    // 7,683 bytes encode to 10,244 base64 characters: over 10,240 although the file itself is smaller.
    assert.equal(novaError(await create([file('/big', 'x'.repeat(7683))]), 403, 'forbidden'), 'Personality file content exceeds maximum 10240');
    assert.equal((await create([file('/ok', 'x'.repeat(7680))])).status, 202, 'exactly 10,240 characters fit');
    const projectId = (await c.cloud.request('GET', '/identity/v3/projects?name=demo', { token: c.admin })).body.projects[0].id;
    assert.equal((await c.call('PUT', `/os-quota-sets/${projectId}`, { token: c.admin, body: { quota_set: { injected_files: 1 } } })).status, 200);
    assert.equal(novaError(await create([file('/a', 'x'), file('/b', 'y')]), 403, 'forbidden'), 'Personality file limit exceeded');
    assert.equal((await c.call('PUT', `/os-quota-sets/${projectId}`, { token: c.admin, body: { quota_set: { injected_files: 5 } } })).status, 200);
  });

  test('bad personality is 400; from 2.57 personality is not accepted at all', async () => {
    assert.match(novaError(await create([{ path: '/x', contents: 'not base64!' }]), 400, 'badRequest'), /is not a 'base64'/);
    novaError(await create([{ path: '/x', contents: 'eA==', mode: '0600' }]), 400, 'badRequest');
    novaError(await create({ path: '/x' }), 400, 'badRequest');
    novaError(await create([file('/x', 'y')], '2.57'), 400, 'badRequest');
  });
});
