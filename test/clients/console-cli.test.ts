/**
 * `openstack console url show --serial` and `--novnc` through Debian's CLI
 * against the fake driver, and the URLs they print followed: the serial
 * websocket echoes through the fake's console, the noVNC page is served.
 * Skips (saying why) where the CLI is not installed; `--novnc` expects
 * Nova's 400 where noVNC's web client is not installed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { WebSocket } from 'ws';
import { startTestServer, type TestServer } from '../support/server.js';
import { openstack, openstackAvailable, openstackJson } from './openstack.js';

const skip = openstackAvailable() ? false : 'the openstack CLI is not installed (apt-get install python3-openstackclient)';
const noVncInstalled = existsSync('/usr/share/novnc/vnc_lite.html');

type Row = Record<string, unknown>;

describe('openstack CLI: console url show', { skip }, () => {
  let cloud: TestServer;
  const demo = (args: string[]) => openstackJson<Row>(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', ...args]);

  before(async () => {
    cloud = await startTestServer((config) => {
      config.compute.devstack_defaults = true;
      config.compute.fake.hosts = 1;
      config.compute.fake.spawn_delay_ms = 0;
      config.compute.fake.action_delay_ms = 0;
    });
    const created = await demo(['server', 'create', '--image', 'nimbus-blank-qcow2', '--flavor', 'm1.nano', '--network', 'private', '--wait', 'console-vm']);
    assert.equal(created.status, 'ACTIVE');
  });
  after(() => cloud?.close());

  test('--serial prints a websocket URL whose console echoes', async () => {
    const shown = await demo(['console', 'url', 'show', '--serial', 'console-vm']);
    assert.equal(shown.type, 'serial');
    const url = String(shown.url);
    assert.match(url, /^ws:\/\/.*\/compute\/console\/serial\?token=/);
    const socket = new WebSocket(url, ['binary']);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const echoed = new Promise<Buffer>((resolve) => socket.once('message', (data: Buffer) => resolve(data)));
    socket.send(Buffer.from('ping\n'));
    assert.equal((await echoed).toString(), 'ping\n');
    socket.close();
  });

  test('--novnc prints the noVNC page URL (served), or the CLI reports the type unavailable', async () => {
    if (!noVncInstalled) {
      const refused = await openstack(cloud.cloudsYaml, ['--os-cloud', 'nimbus-demo', 'console', 'url', 'show', '--novnc', 'console-vm']);
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, /Unavailable console type novnc/);
      return;
    }
    const shown = await demo(['console', 'url', 'show', '--novnc', 'console-vm']);
    assert.equal(shown.type, 'novnc');
    const page = await fetch(String(shown.url));
    assert.equal(page.status, 200);
    assert.match(await page.text(), /noVNC/);
  });
});
