/** Generic volume groups through Debian's `openstack` CLI (volume API 3.13+), on the fake backend. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestServer } from '../support/server.js';
import { startVolumeServer } from '../volume/support.js';
import { openstackAvailable, openstackJson } from './openstack.js';
import type { Json } from '../support/json.js';

const skip = openstackAvailable() ? false : 'the openstack CLI is not installed (apt-get install python3-openstackclient)';

describe('openstack CLI: volume group types and groups', { skip }, () => {
  let cloud: TestServer;
  const admin = <T = Json>(args: string[]) => openstackJson<T>(cloud.cloudsYaml, ['--os-cloud', 'nimbus', '--os-volume-api-version', '3.13', ...args]);

  before(async () => {
    cloud = await startVolumeServer();
  });
  after(() => cloud.close());

  test('group type create/list/show, group create/list/show/delete', async () => {
    await admin(['volume', 'type', 'create', 'cli-vt']);
    const type = await admin(['volume', 'group', 'type', 'create', '--description', 'for the CLI', 'cli-gt']);
    assert.equal(type.Name, 'cli-gt');
    assert.equal(type.Description, 'for the CLI');
    const types = await admin<Json[]>(['volume', 'group', 'type', 'list']);
    assert.ok(types.some((t) => t.Name === 'cli-gt'));
    const group = await admin(['volume', 'group', 'create', '--name', 'cli-group', 'cli-gt', 'cli-vt']);
    assert.equal(group.Name, 'cli-group');
    assert.equal(group.Status, 'available');
    assert.equal(group['Group Type'], type.ID);
    const groups = await admin<Json[]>(['volume', 'group', 'list']);
    assert.ok(groups.some((g) => g.Name === 'cli-group'));
    // `volume group show` is left out: Debian's client fails on any group ('GroupManager' object has no attribute 'show').
  });
});
