/**
 * Fault rules seen through Debian's `openstack` CLI (issue 19's check): a rule
 * makes `server create` fail with Nova's 500 body, and the same command
 * succeeds once the rule is removed; a build fault of the fake hypervisor
 * leaves the server in ERROR with the rule's text as `server show`'s fault.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.js';
import { faultRulesOf } from '../control/faults-support.js';
import { cliAs, openstack, openstackAvailable } from './openstack.js';

const skip = openstackAvailable() ? false : 'the openstack CLI is not installed (apt-get install python3-openstackclient)';

describe('openstack CLI: fault injection', { skip }, () => {
  let cloud: TestServer;
  let admin: string;
  const rules = faultRulesOf(
    () => cloud,
    () => admin,
  );
  const demo = cliAs(() => cloud, 'nimbus-demo');
  const create = (name: string) => ['server', 'create', '--image', 'nimbus-blank-qcow2', '--flavor', 'm1.nano', '--network', 'private', '--wait', name];

  before(async () => {
    cloud = await startTestServer((config) => {
      config.compute.devstack_defaults = true;
      config.compute.fake.hosts = 1;
    });
    admin = await cloud.adminToken();
  });
  after(() => cloud?.close());

  test("server create fails with Nova's 500 while the rule holds, and succeeds once it is removed", async () => {
    const rule = await rules.add({ service: 'compute', method: 'POST', path: '/servers', status: 500, message: 'Unexpected API Error.' });
    const refused = await openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...create('first')]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Unexpected API Error\. \(HTTP 500\) \(Request-ID: req-[0-9a-f-]+\)/);
    assert.equal(await rules.hitsOf(rule.id), 1);

    assert.equal((await cloud.request('DELETE', `/_nimbus/faults/${rule.id}`, { token: admin })).status, 204);
    const created = await demo.json(create('first'));
    assert.equal(created.status, 'ACTIVE');
  });

  test('a fake-driver build failure leaves the server in ERROR with the fault text', async () => {
    await rules.add({ driver_fault: 'build', message: 'Hypervisor disk on fire', count: 1 });
    const failed = await openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...create('doomed')]);
    // The CLI says so on stdout, and exits 0 (a bare SystemExit in openstackclient's server create).
    assert.match(failed.stdout, /Error creating server/);
    const shown = await demo.json(['server', 'show', 'doomed']);
    assert.equal(shown.status, 'ERROR');
    assert.match(JSON.stringify(shown.fault), /Hypervisor disk on fire/);
  });
});
