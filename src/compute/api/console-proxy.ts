/**
 * The console proxies, on this server's own port under /compute/console
 * (Nova runs nova-serialproxy and nova-novncproxy on ports of their own):
 * a websocket upgrade whose `token` the console service admits is joined
 * to the guest's console stream, bytes both ways, until either side
 * closes; a refused token answers 401 before any upgrade (the client sees
 * the connection closed, as behind Nova's proxies). noVNC's web client is
 * served from its installed directory, as nova-novncproxy's `--web`.
 */
import { existsSync } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import { extname, join, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import { NimbusError, NotFound } from '../../core/errors.js';
import type { ComputeApi } from './context.js';

/** Paths under the compute root. */
export const SERIAL_WEBSOCKET = '/console/serial';
export const NOVNC_WEBSOCKET = '/console/novnc/websockify';
const NOVNC_WEB = '/console/novnc';
/** noVNC's page that takes the websocket's path as `?path=` (what Nova's novncproxy_base_url names). */
export const NOVNC_PAGE = `${NOVNC_WEB}/vnc_lite.html`;

/** Whether noVNC's web client is installed where the options say: without it the novnc type is unavailable. */
export function noVncServed(api: ComputeApi): boolean {
  return existsSync(join(api.ops.consoles.settings.novnc_web, 'vnc_lite.html'));
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ogg': 'audio/ogg',
  '.mp3': 'audio/mpeg',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/** A file of noVNC's directory by its relative path; null outside the directory or missing. */
async function noVncFile(root: string, relative: string): Promise<string | null> {
  try {
    const base = await realpath(root);
    const file = await realpath(join(base, relative));
    return file.startsWith(base + sep) ? file : null;
  } catch {
    return null;
  }
}

/** The console type each websocket path serves. */
function consoleTypeOf(path: string, prefix: string): string | null {
  if (path === `${prefix}${SERIAL_WEBSOCKET}`) return 'serial';
  if (path === `${prefix}${NOVNC_WEBSOCKET}`) return 'novnc';
  return null;
}

/**
 * Answers the upgrade with `status` and no body, then closes: a client that
 * went on reading frames (Tempest's test_novnc_bad_token) must find none, as
 * after Nova's proxy closes on a bad token.
 */
function refuse(socket: Duplex, status: number): void {
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Joins the client's websocket to the guest's console until one of them ends. */
function pipeConsole(client: WebSocket, guest: Duplex): void {
  guest.on('data', (chunk: Buffer) => client.send(chunk, { binary: true }));
  guest.on('close', () => client.close());
  guest.on('error', () => client.terminate());
  client.on('message', (data: Buffer) => guest.write(data));
  client.on('close', () => guest.destroy());
  client.on('error', () => guest.destroy());
}

export function consoleProxyRoutes(app: FastifyInstance, api: ComputeApi): void {
  // noVNC asks for `binary` (websockify's protocol); a client naming none gets binary frames too.
  const sockets = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.has('binary') ? 'binary' : false) });
  const prefix = app.prefix;
  const log = app.log.child({ api: 'console-proxy' });

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(request.url ?? '/', 'http://console');
    const type = consoleTypeOf(url.pathname, prefix);
    // The server's only websockets are the consoles: any other upgrade is for nothing here.
    if (type === null) return refuse(socket, 404);
    api.ops.consoles.open(url.searchParams.get('token') ?? '', type).then(
      (session) => {
        sockets.handleUpgrade(request, socket, head, (client) => {
          log.info({ serverId: session.serverId, type }, 'console connected');
          pipeConsole(client, session.stream);
        });
      },
      (error: unknown) => {
        if (error instanceof NimbusError) {
          log.info({ type, reason: error.message }, 'console refused');
          return refuse(socket, error.status);
        }
        log.error({ err: error, type }, 'console proxy failed');
        refuse(socket, 500);
      },
    );
  };
  app.server.on('upgrade', onUpgrade);
  app.addHook('onClose', async () => {
    app.server.off('upgrade', onUpgrade);
    for (const client of sockets.clients) client.terminate();
    sockets.close();
  });

  app.get<{ Params: { '*': string } }>(`${NOVNC_WEB}/*`, async (request, reply) => {
    const file = await noVncFile(api.ops.consoles.settings.novnc_web, request.params['*']);
    if (file === null) throw new NotFound('The resource could not be found.');
    return reply.type(CONTENT_TYPES[extname(file)] ?? 'application/octet-stream').send(await readFile(file));
  });
}
