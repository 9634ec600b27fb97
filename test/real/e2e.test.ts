/**
 * Nimbus as a real cloud on this host (`--drivers real`), driven with the
 * `openstack` CLI as the demo user, the way issue 8 asks: a network, subnet
 * and router with a gateway on the external network, a security group
 * allowing TCP 22 and ICMP, two servers booted from the guest image; their
 * consoles show the guest's marker with the address DHCP gave and the SSH key
 * read from the metadata service; security groups filter (22 open, 80
 * closed); a floating IP answers from the external namespace; a volume
 * hot-plugs into a running guest and out again; a server boots from a
 * volume made from the image; stop, start, reboot,
 * snapshot; Nimbus is killed with SIGKILL and comes back with the servers
 * still ACTIVE and manageable; delete leaves no QEMU process, tap, namespace,
 * iptables chain or file behind.
 *
 * Needs root, /dev/net/tun and the real-driver packages (scripts/install-host);
 * skipped with the reason elsewhere. Everything it makes is removed, also on failure.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { guestImage } from '../support/guest-image.js';
import {
  hostObjectsOf,
  pingable,
  processesNaming,
  realHostMissing,
  startRealCloud,
  tcpReachable,
  tearDownRealCloud,
  waitFor,
  type RealCloud,
} from './support.js';

const missing = realHostMissing();
const MARKER = 'NIMBUS-GUEST-READY';

interface Server {
  id: string;
  name: string;
  status: string;
  addresses: Record<string, string[]> | string;
}

let cloud: RealCloud | null = null;
/** Ids of everything the test made through the API: host objects are named after them. */
const made: string[] = [];

before(async () => {
  if (missing) return;
  const image = guestImage();
  cloud = await startRealCloud(`compute:\n  qemu: {guest_image: ${image}, accel: tcg}\n`);
});

after(async () => {
  if (cloud) await tearDownRealCloud(cloud);
});

test(
  'real drivers: network, security groups, two guests, metadata, floating IP, volume hot-plug, actions, restart, delete',
  { skip: missing ?? false, timeout: 900_000 },
  async (t) => {
    const c = cloud as RealCloud;
    const demo = c.demo.bind(c);

    const network = await demo(['network', 'create', 'e2e-net']);
    const subnet = await demo(['subnet', 'create', '--network', 'e2e-net', '--subnet-range', '10.91.0.0/24', 'e2e-subnet']);
    const router = await demo(['router', 'create', 'e2e-router']);
    made.push(String(network.id), String(router.id));
    await c.demoRun(['router', 'set', '--external-gateway', 'public', 'e2e-router']);
    await c.demoRun(['router', 'add', 'subnet', 'e2e-router', 'e2e-subnet']);
    await demo(['security', 'group', 'create', 'e2e-sg']);
    await demo(['security', 'group', 'rule', 'create', '--protocol', 'tcp', '--dst-port', '22', 'e2e-sg']);
    await demo(['security', 'group', 'rule', 'create', '--protocol', 'icmp', 'e2e-sg']);
    await demo(['keypair', 'create', '--private-key', join(c.dataDir, 'e2e-key.pem'), 'e2e-key']);
    const publicKey = (await c.demoRun(['keypair', 'show', '--public-key', 'e2e-key'])).trim();
    assert.ok(subnet.id);

    const boot = (name: string) =>
      demo<Server>([
        'server',
        'create',
        '--image',
        'nimbus-guest',
        '--flavor',
        'm1.nano',
        '--network',
        'e2e-net',
        '--security-group',
        'e2e-sg',
        '--key-name',
        'e2e-key',
        name,
      ]);
    const created = [await boot('e2e-vm1'), await boot('e2e-vm2')];
    const servers = await Promise.all(
      created.map((s) =>
        waitFor(`${s.name} ACTIVE`, 240_000, async () => {
          const shown = await demo<Server>(['server', 'show', s.id]);
          if (shown.status === 'ERROR') throw new Error(`${s.name} went to ERROR: ${JSON.stringify(shown)}`);
          return shown.status === 'ACTIVE' ? shown : null;
        }),
      ),
    );
    const [vm1, vm2] = servers as [Server, Server];
    const ipOf = (s: Server) => {
      const text = typeof s.addresses === 'string' ? s.addresses : JSON.stringify(s.addresses);
      const match = /10\.91\.0\.\d+/.exec(text);
      assert.ok(match, `no address on e2e-net: ${text}`);
      return match[0];
    };
    const ip1 = ipOf(vm1);
    const ip2 = ipOf(vm2);

    await t.test('consoles show the marker, the DHCP address and the key from the metadata service', async () => {
      for (const [server, ip] of [
        [vm1, ip1],
        [vm2, ip2],
      ] as const) {
        const log = await waitFor(`${server.name} console marker`, 240_000, async () => {
          const text = await c.demoRun(['console', 'log', 'show', server.id]);
          return text.includes(MARKER) ? text : null;
        });
        const ready = log.split('\n').find((line) => line.includes(MARKER)) ?? '';
        assert.match(ready, new RegExp(`ip=${ip.replace(/\./g, '\\.')}\\b`));
        assert.match(ready, /source=metadata/);
        assert.ok(ready.includes(publicKey.split(' ')[1] ?? '<no key>'), `key not in: ${ready}`);
      }
    });

    await t.test('security groups: TCP 22 and ICMP pass, TCP 80 does not', async () => {
      const dhcp = `qdhcp-${String(network.id)}`;
      assert.ok(await waitFor('port 22 on vm2', 60_000, async () => tcpReachable(dhcp, ip2, 22) || null));
      assert.ok(pingable(dhcp, ip2));
      assert.equal(tcpReachable(dhcp, ip2, 80), false, 'port 80 is not in the group and must be filtered');
    });

    await t.test('a floating IP reaches the guest from the external namespace', async () => {
      const publicNet = await c.admin<{ id: string }>(['network', 'show', 'public']);
      const fip = await demo<{ id: string; floating_ip_address: string }>(['floating', 'ip', 'create', 'public']);
      made.push(fip.id);
      await c.demoRun(['server', 'add', 'floating', 'ip', vm1.id, fip.floating_ip_address]);
      const outside = `qext-${publicNet.id.slice(0, 11)}`;
      assert.ok(await waitFor('floating IP port 22', 60_000, async () => tcpReachable(outside, fip.floating_ip_address, 22) || null));
      assert.equal(tcpReachable(outside, fip.floating_ip_address, 80), false);
    });

    await t.test('a 1 GiB volume hot-plugs into the running guest and out again', async () => {
      const volume = await demo<{ id: string }>(['volume', 'create', '--size', '1', 'e2e-vol']);
      await waitFor('volume available', 60_000, async () =>
        (await demo<{ status: string }>(['volume', 'show', volume.id])).status === 'available' ? true : null,
      );
      await c.demoRun(['server', 'add', 'volume', vm1.id, volume.id]);
      await waitFor('volume in-use', 60_000, async () => ((await demo<{ status: string }>(['volume', 'show', volume.id])).status === 'in-use' ? true : null));
      // The guest prints its disks as name:serial:sectors; the serial is the volume id (20 characters), 1 GiB is 2097152 sectors.
      const plugged = `:${volume.id.slice(0, 20)}:2097152`;
      await waitFor('the guest to see the new disk', 60_000, async () => {
        const log = await c.demoRun(['console', 'log', 'show', vm1.id]);
        return log.split('\n').some((line) => line.includes('NIMBUS-GUEST-DISKS') && line.includes(plugged)) ? true : null;
      });
      await c.demoRun(['server', 'remove', 'volume', vm1.id, volume.id]);
      await waitFor('volume available again', 60_000, async () =>
        (await demo<{ status: string }>(['volume', 'show', volume.id])).status === 'available' ? true : null,
      );
      await waitFor('the guest to lose the disk', 60_000, async () => {
        const lines = (await c.demoRun(['console', 'log', 'show', vm1.id])).split('\n').filter((l) => l.includes('NIMBUS-GUEST-DISKS'));
        return lines.length > 0 && !(lines.at(-1) ?? '').includes(plugged) ? true : null;
      });
      await c.demoRun(['volume', 'delete', volume.id]);
    });

    await t.test('boot from a volume made from the image (server create --volume)', async () => {
      const volume = await demo<{ id: string }>(['volume', 'create', '--image', 'nimbus-guest', '--size', '1', 'e2e-bootvol']);
      await waitFor('boot volume available', 120_000, async () =>
        (await demo<{ status: string }>(['volume', 'show', volume.id])).status === 'available' ? true : null,
      );
      const server = await demo<Server>([
        'server',
        'create',
        '--volume',
        volume.id,
        '--flavor',
        'm1.nano',
        '--network',
        'e2e-net',
        '--key-name',
        'e2e-key',
        '--wait',
        'e2e-bfv',
      ]);
      assert.equal(server.status, 'ACTIVE');
      await waitFor('the volume-booted guest marker', 240_000, async () =>
        (await c.demoRun(['console', 'log', 'show', server.id])).includes(MARKER) ? true : null,
      );
      await c.demoRun(['server', 'delete', '--wait', server.id]);
      await waitFor('boot volume released', 60_000, async () =>
        (await demo<{ status: string }>(['volume', 'show', volume.id])).status === 'available' ? true : null,
      );
      await c.demoRun(['volume', 'delete', volume.id]);
    });

    const statusOf = async (id: string, wanted: string) =>
      waitFor(`${id} ${wanted}`, 180_000, async () => ((await demo<Server>(['server', 'show', id])).status === wanted ? true : null));

    await t.test('stop, start, reboot and snapshot', async () => {
      await c.demoRun(['server', 'stop', vm2.id]);
      await statusOf(vm2.id, 'SHUTOFF');
      await c.demoRun(['server', 'start', vm2.id]);
      await statusOf(vm2.id, 'ACTIVE');
      await c.demoRun(['server', 'reboot', '--hard', '--wait', vm2.id]);
      await statusOf(vm2.id, 'ACTIVE');
      const image = await demo<{ id: string; status: string }>(['server', 'image', 'create', '--name', 'e2e-snap', '--wait', vm2.id]);
      const shown = await demo<{ status: string; size: number; disk_format: string }>(['image', 'show', image.id]);
      assert.equal(shown.status, 'active');
      assert.ok(shown.size > 0);
      await c.demoRun(['image', 'delete', image.id]);
    });

    await t.test('kill -9 of Nimbus: after the restart the servers are still ACTIVE and manageable', async () => {
      c.kill();
      await new Promise((resolve) => c.process.once('exit', resolve));
      await c.restart();
      for (const server of [vm1, vm2]) assert.equal((await demo<Server>(['server', 'show', server.id])).status, 'ACTIVE');
      await c.demoRun(['server', 'stop', vm1.id]);
      await statusOf(vm1.id, 'SHUTOFF');
      await c.demoRun(['server', 'start', vm1.id]);
      await statusOf(vm1.id, 'ACTIVE');
    });

    await t.test('delete leaves no QEMU process, tap, namespace, chain or file of the servers', async () => {
      const ports = await demo<Array<{ ID: string }>>(['port', 'list', '--device-owner', 'compute:nova']);
      const portIds = ports.map((p) => p.ID);
      assert.ok(portIds.length >= 2);
      for (const server of [vm1, vm2]) await c.demoRun(['server', 'delete', '--wait', server.id]);
      for (const server of [vm1, vm2]) {
        assert.equal(existsSync(join(c.dataDir, 'instances', server.id)), false, 'instance directory left behind');
        assert.deepEqual(processesNaming(server.id), [], 'a process of the server is still running');
      }
      assert.deepEqual(hostObjectsOf(portIds), [], 'taps or chains of the deleted ports remain');
      // The network side goes with the router and network.
      for (const fip of await demo<Array<{ ID: string }>>(['floating', 'ip', 'list'])) await c.demoRun(['floating', 'ip', 'delete', fip.ID]);
      await c.demoRun(['router', 'remove', 'subnet', 'e2e-router', 'e2e-subnet']);
      await c.demoRun(['router', 'unset', '--external-gateway', 'e2e-router']);
      await c.demoRun(['router', 'delete', 'e2e-router']);
      await c.demoRun(['network', 'delete', 'e2e-net']);
      assert.deepEqual(hostObjectsOf(made.slice(0, 2)), [], 'namespaces, bridges or chains of the deleted network and router remain');
    });
  },
);
