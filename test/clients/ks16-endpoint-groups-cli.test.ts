/**
 * OS-EP-FILTER through Debian's `openstack` CLI: endpoint group create, list,
 * show, add project, delete. Skips (saying why) where python3-openstackclient
 * is not installed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
import { openstack, openstackAvailable, openstackJson } from './openstack.js';

const skip = openstackAvailable() ? false : 'the openstack CLI is not installed (apt-get install python3-openstackclient)';

describe('openstack CLI: endpoint groups', { skip }, () => {
  let cloud: TestServer;
  let scratch: string;
  const admin = <T = Record<string, string>>(args: string[]) => openstackJson<T>(cloud.cloudsYaml, ['--os-cloud', 'nimbus', ...args]);
  const adminRun = (args: string[]) => openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus', ...args]);

  before(async () => {
    cloud = await startTestServer();
    scratch = mkdtempSync(join(tmpdir(), 'ks16-epg-'));
  });
  after(async () => {
    rmSync(scratch, { recursive: true, force: true });
    await cloud?.close();
  });

  test('create from a filters file, list, show, add and list a project, delete', async () => {
    const filters = join(scratch, 'filters.json');
    writeFileSync(filters, JSON.stringify({ interface: 'public' }));
    const created = await admin(['endpoint', 'group', 'create', '--description', 'public endpoints', 'cli-public', filters]);
    assert.equal(created.name, 'cli-public');
    assert.deepEqual(created.filters, { interface: 'public' } as unknown as string);

    const listed = await admin<Array<Record<string, string>>>(['endpoint', 'group', 'list']);
    assert.ok(listed.some((g) => g.ID === created.id && g.Name === 'cli-public'));
    assert.equal((await admin(['endpoint', 'group', 'show', 'cli-public'])).description, 'public endpoints');

    const project = await admin(['project', 'create', 'cli-epg-project']);
    assert.equal((await adminRun(['endpoint', 'group', 'add', 'project', 'cli-public', 'cli-epg-project'])).code, 0);
    const projects = await admin<Array<Record<string, string>>>(['endpoint', 'group', 'list', '--endpointgroup', 'cli-public']);
    assert.deepEqual(
      projects.map((p) => p.ID),
      [project.id],
    );
    const groups = await admin<Array<Record<string, string>>>(['endpoint', 'group', 'list', '--project', 'cli-epg-project']);
    assert.deepEqual(
      groups.map((g) => g.ID),
      [created.id],
    );

    assert.equal((await adminRun(['endpoint', 'group', 'delete', 'cli-public'])).code, 0);
    assert.notEqual((await adminRun(['endpoint', 'group', 'show', created.id as string])).code, 0);
  });
});
