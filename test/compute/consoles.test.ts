/**
 * Remote consoles against the fake driver: the URLs each console type gets
 * (2.6's remote-consoles and the legacy actions below it), Nova's refusals
 * (disabled and invalid types 400, another project's server 404, a server
 * not ACTIVE 409), os-console-auth-tokens, and the proxies: the serial
 * websocket echoes through the fake's console, the novnc one speaks RFB,
 * and a bad or expired token is refused before any upgrade.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { WebSocket } from 'ws';
import { novaError, startComputeCloud, type ComputeCloud } from './support.js';

const TOKEN_TTL = 2;
const noVncInstalled = existsSync('/usr/share/novnc/vnc_lite.html');

/** The websocket URL a console URL leads to: itself for serial, noVNC's `path` joined to the page's host for novnc. */
function websocketUrl(consoleUrl: string): string {
  const url = new URL(consoleUrl);
  const path = url.searchParams.get('path');
  return path === null ? consoleUrl : `ws://${url.host}/${path}`;
}

/** A websocket whose messages queue from the start (the server may speak first, in the same packet as its 101). */
class Client {
  readonly #queue: Buffer[] = [];
  readonly #waiting: Array<(data: Buffer) => void> = [];
  constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const waiter = this.#waiting.shift();
      if (waiter) waiter(data);
      else this.#queue.push(data);
    });
  }
  next(): Promise<Buffer> {
    const queued = this.#queue.shift();
    return queued ? Promise.resolve(queued) : new Promise((resolve) => this.#waiting.push(resolve));
  }
  send(bytes: number[] | string): void {
    this.socket.send(typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes));
  }
}

/** Opens the websocket; resolves with a client once open, or with the HTTP status that refused the upgrade. */
function connect(url: string): Promise<Client | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, ['binary']);
    const client = new Client(socket);
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', reject);
  });
}

describe('compute: remote consoles', () => {
  let c: ComputeCloud;
  let serverId: string;
  let adminServerId: string;
  const remote = (id: string, protocol: string, type: string, options: { token?: string; version?: string } = {}) =>
    c.call('POST', `/servers/${id}/remote-consoles`, { body: { remote_console: { protocol, type } }, version: options.version ?? '2.6', ...options });
  const serialUrl = async () => {
    const response = await remote(serverId, 'serial', 'serial');
    assert.equal(response.status, 200, response.text);
    return response.body.remote_console.url as string;
  };

  before(async () => {
    c = await startComputeCloud((config) => {
      config.compute.consoles.token_ttl = TOKEN_TTL;
    });
    const boot = (token: string, name: string) =>
      c.call('POST', '/servers', { token, body: { server: { name, imageRef: c.imageId, flavorRef: '1', networks: [{ uuid: c.privateNetwork }] } } });
    serverId = (await boot(c.demo, 'console-demo')).body.server.id;
    adminServerId = (await boot(c.admin, 'console-admin')).body.server.id;
    await c.waitFor(serverId, 'ACTIVE');
    await c.waitFor(adminServerId, 'ACTIVE', c.admin);
  });
  after(() => c.close());

  test('2.6 remote-consoles: serial gives a websocket URL on this server; before 2.6 the route is 404', async () => {
    const response = await remote(serverId, 'serial', 'serial');
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(Object.keys(response.body.remote_console).sort(), ['protocol', 'type', 'url']);
    assert.equal(response.body.remote_console.protocol, 'serial');
    assert.match(response.body.remote_console.url, new RegExp(`^ws://${new URL(c.cloud.url).host}/compute/console/serial\\?token=[0-9a-f-]{36}$`));
    novaError(await remote(serverId, 'serial', 'serial', { version: '2.5' }), 404, 'itemNotFound');
  });

  test('novnc: noVNC page URL with the websocket path, when noVNC is installed; else unavailable (400)', async () => {
    const response = await remote(serverId, 'vnc', 'novnc');
    if (!noVncInstalled) {
      assert.equal(novaError(response, 400, 'badRequest'), 'Unavailable console type novnc.');
      return;
    }
    assert.equal(response.status, 200, response.text);
    const url = new URL(response.body.remote_console.url);
    assert.equal(url.pathname, '/compute/console/novnc/vnc_lite.html');
    assert.match(url.searchParams.get('path') ?? '', /^compute\/console\/novnc\/websockify\?token=[0-9a-f-]{36}$/);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<html.*>/);
    assert.ok(html.includes('noVNC') && html.includes('<script'));
  });

  test("disabled protocols and invalid types are 400 as Nova's; schema violations 400; 2.8 knows mks", async () => {
    for (const [protocol, type] of [
      ['spice', 'spice-html5'],
      ['rdp', 'rdp-html5'],
    ]) {
      assert.equal(novaError(await remote(serverId, protocol!, type!), 400, 'badRequest'), `Unavailable console type ${type}.`);
    }
    assert.equal(novaError(await remote(serverId, 'mks', 'webmks', { version: '2.8' }), 400, 'badRequest'), 'Unavailable console type webmks.');
    novaError(await remote(serverId, 'mks', 'webmks'), 400, 'badRequest');
    assert.equal(novaError(await remote(serverId, 'serial', 'novnc'), 400, 'badRequest'), 'Invalid console type novnc');
    novaError(await remote(serverId, 'telnet', 'serial'), 400, 'badRequest');
  });

  test('legacy actions below 2.6: os-getSerialConsole and os-getVNCConsole answer {console}; unknown from 2.6', async () => {
    const action = (body: unknown, version = '2.1') => c.call('POST', `/servers/${serverId}/action`, { body, version });
    const serial = await action({ 'os-getSerialConsole': { type: 'serial' } });
    assert.equal(serial.status, 200, serial.text);
    assert.deepEqual(Object.keys(serial.body.console).sort(), ['type', 'url']);
    assert.equal(serial.body.console.type, 'serial');
    const vnc = await action({ 'os-getVNCConsole': { type: 'novnc' } });
    assert.equal(vnc.status, noVncInstalled ? 200 : 400, vnc.text);
    assert.equal(novaError(await action({ 'os-getVNCConsole': { type: 'xvpvnc' } }), 400, 'badRequest'), 'Invalid console type xvpvnc');
    assert.equal(novaError(await action({ 'os-getSPICEConsole': { type: 'spice-html5' } }), 400, 'badRequest'), 'Unavailable console type spice-html5.');
    assert.equal(novaError(await action({ 'os-getRDPConsole': { type: 'rdp-html5' } }), 400, 'badRequest'), 'Unavailable console type rdp-html5.');
    novaError(await action({ 'os-getSerialConsole': { type: 'novnc' } }), 400, 'badRequest');
    novaError(await action({ 'os-getSerialConsole': { type: 'serial' } }, '2.6'), 404, 'itemNotFound');
  });

  test("another project's server is 404; a missing one 404", async () => {
    novaError(await remote(adminServerId, 'serial', 'serial'), 404, 'itemNotFound');
    novaError(await remote('9b0c4a6e-1f2d-4e3a-8b7c-6d5e4f3a2b1c', 'serial', 'serial'), 404, 'itemNotFound');
  });

  test('the serial proxy joins the websocket to the guest console (the fake echoes)', async () => {
    const client = await connect(await serialUrl());
    assert.ok(client instanceof Client, `upgrade refused: ${String(client)}`);
    assert.equal(client.socket.protocol, 'binary');
    client.send('hello console\r\n');
    assert.equal((await client.next()).toString(), 'hello console\r\n');
    client.socket.close();
  });

  test('the novnc proxy answers the RFB handshake', { skip: noVncInstalled ? false : 'noVNC is not installed (/usr/share/novnc)' }, async () => {
    const response = await remote(serverId, 'vnc', 'novnc');
    const client = await connect(websocketUrl(response.body.remote_console.url));
    assert.ok(client instanceof Client, `upgrade refused: ${String(client)}`);
    assert.equal((await client.next()).toString(), 'RFB 003.008\n');
    client.send('RFB 003.008\n');
    assert.deepEqual([...(await client.next())], [1, 1], 'one security type: None');
    client.send([1]);
    assert.deepEqual([...(await client.next())], [0, 0, 0, 0], 'security result OK');
    client.send([1]);
    const init = await client.next();
    assert.equal(init.length, 24 + init.readUInt32BE(20));
    assert.equal(init.subarray(24).toString(), 'console-demo');
    client.socket.close();
  });

  test('a bad token, a token for another console type, and an expired token are refused with 401', async () => {
    const url = await serialUrl();
    assert.equal(await connect(url.replace('token=', 'token=bad')), 401);
    assert.equal(await connect(url.replace('/console/serial', '/console/novnc/websockify')), 401);
    assert.equal(await connect(url.replace('/console/serial', '/console/other')), 404);
    await new Promise((resolve) => setTimeout(resolve, (TOKEN_TTL + 1) * 1000));
    assert.equal(await connect(url), 401);
  });

  test('os-console-auth-tokens: admin sees a live token from 2.31 (404 unknown, 401 before 2.31 for non-RDP), others 403', async () => {
    const token = new URL(await serialUrl()).searchParams.get('token');
    const show = (version: string, auth = c.admin, id = token) => c.call('GET', `/os-console-auth-tokens/${id}`, { token: auth, version });
    const shown = await show('2.31');
    assert.equal(shown.status, 200, shown.text);
    assert.deepEqual(shown.body.console, { instance_uuid: serverId, host: 'nimbus-compute', port: null, internal_access_path: null });
    novaError(await show('2.30'), 401, 'unauthorized');
    novaError(await show('2.31', c.admin, 'nope'), 404, 'itemNotFound');
    novaError(await show('2.31', c.demo), 403, 'forbidden');
  });

  test('a server not ACTIVE is 409', async () => {
    assert.equal((await c.call('POST', `/servers/${serverId}/action`, { body: { 'os-stop': null } })).status, 202);
    await c.waitFor(serverId, 'SHUTOFF');
    assert.equal(novaError(await remote(serverId, 'serial', 'serial'), 409, 'conflictingRequest'), `Instance ${serverId} is not ready`);
  });
});
