/**
 * Remote consoles: POST /servers/{id}/remote-consoles (2.6+), the legacy
 * actions os-getVNCConsole, os-getSerialConsole, os-getSPICEConsole and
 * os-getRDPConsole (2.1 to 2.5; Nova drops them from 2.6, where they are
 * unknown actions), and GET /os-console-auth-tokens/{token} (admin). The
 * URLs point at this server's own proxies (console-proxy.ts) where Nova's
 * point at nova-serialproxy (`ws://host:6083/?token=...`) and
 * nova-novncproxy (`http://host:6080/vnc_lite.html?path=%3Ftoken%3D...`).
 */
import type { FastifyInstance } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import { validateVersionedBody } from '../../core/http/versioned-body.js';
import type { VersionedEntry } from '../../core/microversions.js';
import { requestErrors } from '../errors.js';
import { atLeast } from '../microversion.js';
import type { ConsoleProtocol } from '../service/consoles.js';
import { noVncServed, NOVNC_PAGE, NOVNC_WEBSOCKET, SERIAL_WEBSOCKET } from './console-proxy.js';
import { versionOf, V21, type ComputeApi } from './context.js';
import { actionRoute, type BodySchema, type ServerActionRoute } from './server-action-route.js';

/** The console's URL for the client: a websocket for serial, noVNC's page (which opens the websocket) for novnc. */
function consoleUrl(api: ComputeApi, type: string, token: string): string {
  const root = new URL(api.root);
  const query = `?token=${encodeURIComponent(token)}`;
  if (type === 'serial') return `${root.protocol === 'https:' ? 'wss:' : 'ws:'}//${root.host}${root.pathname}${SERIAL_WEBSOCKET}${query}`;
  // noVNC joins `path` to the page's host: the websocket's path from the root, without its leading slash.
  const path = `${root.pathname.replace(/^\//, '')}${NOVNC_WEBSOCKET}${query}`;
  return `${api.root}${NOVNC_PAGE}?path=${encodeURIComponent(path)}`;
}

async function issueUrl(api: ComputeApi, auth: CallerContext, serverId: string, protocol: ConsoleProtocol, type: string): Promise<string> {
  const { token } = await api.ops.consoles.issue(auth, serverId, protocol, type, noVncServed(api));
  return consoleUrl(api, type, token);
}

function legacyAction(key: string, protocol: ConsoleProtocol, types: string[]): ServerActionRoute<never> {
  const value: BodySchema = {
    type: 'object',
    properties: { type: { type: 'string', enum: types } },
    required: ['type'],
    additionalProperties: false,
  };
  return actionRoute<{ type: string }>({
    key,
    body: [
      { from: '2.1', to: '2.5', value },
      { from: '2.6', value: null },
    ],
    async perform(call, input) {
      return { console: { type: input.type, url: await issueUrl(call.api, call.auth, call.req.serverId, protocol, input.type) } };
    },
  });
}

export const CONSOLE_SERVER_ACTIONS: ServerActionRoute<never>[] = [
  legacyAction('os-getVNCConsole', 'vnc', ['novnc', 'xvpvnc']),
  legacyAction('os-getSPICEConsole', 'spice', ['spice-html5']),
  legacyAction('os-getRDPConsole', 'rdp', ['rdp-html5']),
  legacyAction('os-getSerialConsole', 'serial', ['serial']),
];

function remoteConsoleSchema(protocols: string[], types: string[]): BodySchema {
  return {
    type: 'object',
    properties: {
      remote_console: {
        type: 'object',
        properties: { protocol: { type: 'string', enum: protocols }, type: { type: 'string', enum: types } },
        required: ['protocol', 'type'],
        additionalProperties: false,
      },
    },
    required: ['remote_console'],
    additionalProperties: false,
  };
}

const BASE_PROTOCOLS = ['vnc', 'spice', 'rdp', 'serial'];
const BASE_TYPES = ['novnc', 'xvpvnc', 'rdp-html5', 'spice-html5', 'serial'];

/** 2.8 adds VMware's MKS protocol and its webmks type. */
const REMOTE_CONSOLE_BODY: VersionedEntry<BodySchema>[] = [
  { from: '2.6', to: '2.7', value: remoteConsoleSchema(BASE_PROTOCOLS, BASE_TYPES) },
  { from: '2.8', value: remoteConsoleSchema([...BASE_PROTOCOLS, 'mks'], [...BASE_TYPES, 'webmks']) },
];

export function consoleRoutes(app: FastifyInstance, api: ComputeApi): void {
  app.post<{ Params: { id: string }; Body: { remote_console: { protocol: ConsoleProtocol; type: string } } }>(
    `${V21}/servers/:id/remote-consoles`,
    async (request) => {
      const auth = await api.authenticate(request);
      const version = versionOf(request);
      if (!atLeast(version, '2.6')) throw requestErrors.resourceNotFound();
      validateVersionedBody(request, REMOTE_CONSOLE_BODY, version);
      const { protocol, type } = request.body.remote_console;
      return { remote_console: { protocol, type, url: await issueUrl(api, auth, request.params.id, protocol, type) } };
    },
  );

  app.get<{ Params: { token: string } }>(`${V21}/os-console-auth-tokens/:token`, async (request) => {
    const auth = await api.authenticate(request);
    const record = await api.ops.consoles.connectInfo(auth, request.params.token, atLeast(versionOf(request), '2.31'));
    return { console: { instance_uuid: record.instanceUuid, host: record.host, port: record.port, internal_access_path: record.internalAccessPath } };
  });
}
