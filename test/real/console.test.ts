/**
 * The console proxies on a real QEMU guest (`--drivers real`), driven as a
 * user would: `openstack console url show --serial` gives a websocket URL
 * whose client reaches the guest's serial console (the test guest keeps a
 * root shell there: a command typed through the proxy is answered by the
 * guest), and `console log show` still has the output, since QEMU's chardev
 * logs what passes; `--novnc` gives noVNC's page, whose websocket path
 * answers with QEMU's RFB handshake.
 *
 * Needs root, /dev/net/tun, the real-driver packages (scripts/install-host)
 * and, for the novnc part, Debian's novnc; skipped with the reason elsewhere.
 */
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { guestImage } from '../support/guest-image.js';
import { realHostMissing, startRealCloud, tearDownRealCloud, waitFor, type RealCloud } from './support.js';

const missing = realHostMissing();
const noVncMissing = existsSync('/usr/share/novnc/vnc_lite.html') ? null : 'noVNC is not installed (apt-get install novnc)';
const READY = 'NIMBUS-GUEST-READY';

let cloud: RealCloud | null = null;

before(async () => {
  if (missing) return;
  cloud = await startRealCloud(`compute:\n  qemu: {guest_image: ${guestImage()}, accel: tcg}\n`);
});

after(async () => {
  if (cloud) await tearDownRealCloud(cloud);
});

/** Opens `url` and gathers what the server sends, from the first frame on. */
async function openSocket(url: string): Promise<{ socket: WebSocket; received: () => Buffer }> {
  const socket = new WebSocket(url, ['binary']);
  const chunks: Buffer[] = [];
  socket.on('message', (data: Buffer) => chunks.push(data));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { socket, received: () => Buffer.concat(chunks) };
}

test('real drivers: serial console through the websocket proxy, noVNC answering RFB', { skip: missing ?? false, timeout: 900_000 }, async (t) => {
  const c = cloud as RealCloud;
  // A network of its own (Debian's CLI cannot send `--nic none`); the guest needs no more of it than its port.
  await c.demo(['network', 'create', 'console-net']);
  await c.demo(['subnet', 'create', '--network', 'console-net', '--subnet-range', '10.92.0.0/24', 'console-subnet']);
  const server = await c.demo<{ id: string }>(['server', 'create', '--image', 'nimbus-guest', '--flavor', 'm1.nano', '--network', 'console-net', 'console-vm']);
  await waitFor('console-vm ACTIVE', 240_000, async () => {
    const shown = await c.demo<{ status: string }>(['server', 'show', server.id]);
    if (shown.status === 'ERROR') throw new Error(`console-vm went to ERROR: ${JSON.stringify(shown)}`);
    return shown.status === 'ACTIVE' ? shown : null;
  });
  // The guest's shell starts on the serial port right after its ready marker.
  await waitFor('the guest ready marker', 300_000, async () => ((await c.demoRun(['console', 'log', 'show', server.id])).includes(READY) ? true : null));

  await t.test('the serial proxy reaches the guest shell; the console log keeps it', async () => {
    const shown = await c.demo<{ type: string; url: string }>(['console', 'url', 'show', '--serial', server.id]);
    assert.equal(shown.type, 'serial');
    const { socket, received } = await openSocket(shown.url);
    // The guest computes the number: an echo of the typed line alone would not contain it.
    socket.send(Buffer.from('echo NIMBUS-CONSOLE-$((6*7))\n'));
    await waitFor('the guest shell answer', 60_000, async () => (received().toString().includes('NIMBUS-CONSOLE-42') ? true : null));
    socket.close();
    const log = await c.demoRun(['console', 'log', 'show', server.id]);
    assert.ok(log.includes('NIMBUS-CONSOLE-42'), 'the console log lost what passed through the proxy');
  });

  await t.test('the novnc proxy answers with QEMU VNC server version', { skip: noVncMissing ?? false }, async () => {
    const shown = await c.demo<{ type: string; url: string }>(['console', 'url', 'show', '--novnc', server.id]);
    assert.equal(shown.type, 'novnc');
    const page = new URL(shown.url);
    assert.equal((await fetch(page)).status, 200);
    const { socket, received } = await openSocket(`ws://${page.host}/${page.searchParams.get('path') ?? ''}`);
    const version = await waitFor('the RFB version', 30_000, async () => (received().length >= 12 ? received().subarray(0, 12).toString() : null));
    assert.equal(version, 'RFB 003.008\n');
    socket.close();
  });
});
