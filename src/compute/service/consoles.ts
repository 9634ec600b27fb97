/**
 * Remote consoles (Nova's os-remote-consoles and os-console-auth-tokens):
 * a console URL carries a random token, stored by its hash with the server,
 * console type and expiry (`consoles.token_ttl`, Nova's 600 s), so any API
 * process can admit the client the proxy then joins to the guest's console.
 * Of Nova's protocols, `serial` and `vnc` (noVNC) are served; spice, rdp and
 * mks answer as a Nova with them disabled (their defaults).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { CallerContext } from '../../core/context.js';
import { consoleErrors } from '../console-errors.js';
import type { ConsoleKind } from '../drivers/driver.js';
import { DriverError } from '../drivers/errors.js';
import * as store from '../store/index.js';
import type { ConsoleTokenRecord } from '../store/index.js';
import { authorize } from './access.js';
import type { ComputeDeps } from './deps.js';
import type { ServerOps } from './servers.js';
import { nowMs } from '../../core/time.js';

export type ConsoleProtocol = 'vnc' | 'spice' | 'rdp' | 'serial' | 'mks';

/** The console types each served kind takes (the others of its protocol are ConsoleTypeInvalid). */
const SERVED: Record<string, { kind: ConsoleKind; type: string }> = {
  vnc: { kind: 'vnc', type: 'novnc' },
  serial: { kind: 'serial', type: 'serial' },
};

export interface IssuedConsole {
  token: string;
  kind: ConsoleKind;
}

/** A token's console as the proxy joins it: the guest's stream, until either side closes. */
export interface ConsoleSession {
  serverId: string;
  stream: Duplex;
}

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function nowSeconds(): number {
  return Math.floor(nowMs() / 1000);
}

export class ConsoleOps {
  constructor(
    private readonly deps: ComputeDeps,
    private readonly servers: ServerOps,
  ) {}

  /** The operator's console options (compute's `consoles` section). */
  get settings(): ComputeDeps['config']['consoles'] {
    return this.deps.config.consoles;
  }

  /**
   * A token for the server's console of `protocol`/`type`. `noVncServed`:
   * whether the API serves noVNC's web client (without it the vnc protocol
   * is unavailable, as with [vnc] disabled).
   */
  async issue(auth: CallerContext, serverId: string, protocol: ConsoleProtocol, type: string, noVncServed: boolean): Promise<IssuedConsole> {
    const server = await this.servers.get(auth, serverId, 'os_compute_api:os-remote-consoles');
    if (server.host === null || server.vmState !== 'active') throw consoleErrors.notReady(serverId);
    const served = SERVED[protocol];
    if (!served || !this.#enabled(served.kind, noVncServed)) throw consoleErrors.typeUnavailable(type);
    if (served.type !== type) throw consoleErrors.typeInvalid(type);
    const token = randomUUID();
    const now = nowSeconds();
    await store.deleteExpiredConsoleTokens(this.deps.db, now);
    await store.insertConsoleToken(this.deps.db, {
      tokenHash: hashOf(token),
      consoleType: type,
      instanceUuid: serverId,
      host: server.host,
      // The guest's consoles are unix sockets on its host: no port, as a console reached by path.
      port: null,
      internalAccessPath: null,
      expires: now + this.deps.config.consoles.token_ttl,
      createdAt: new Date(now * 1000).toISOString(),
    });
    return { token, kind: served.kind };
  }

  /** os-console-auth-tokens (admin): what a valid token connects to; before 2.31 only rdp-html5 tokens are shown. */
  async connectInfo(auth: CallerContext, token: string, anyType: boolean): Promise<ConsoleTokenRecord> {
    authorize(this.deps, auth, 'os_compute_api:os-console-auth-tokens');
    const record = await store.findConsoleToken(this.deps.db, hashOf(token), nowSeconds());
    if (!record) throw consoleErrors.tokenNotFound();
    if (!anyType && record.consoleType !== 'rdp-html5') throw consoleErrors.tokenNotAccessible();
    return record;
  }

  /**
   * The proxy's side: the console a valid token of `type` opens, on a server
   * that still exists and runs; anything else is an invalid token (401), as
   * Nova's proxies refuse it.
   */
  async open(token: string, type: string): Promise<ConsoleSession> {
    const record = await store.findConsoleToken(this.deps.db, hashOf(token), nowSeconds());
    const served = Object.values(SERVED).find((s) => s.type === type);
    if (!record || !served || record.consoleType !== type) throw consoleErrors.invalidToken(token);
    const server = await store.getServer(this.deps.db, record.instanceUuid);
    if (!server || server.deleted || server.host === null) throw consoleErrors.invalidToken(token);
    try {
      return { serverId: server.id, stream: await this.deps.driver.openConsole(server.host, server.id, served.kind) };
    } catch (error) {
      if (error instanceof DriverError && (error.code === 'InvalidDomainState' || error.code === 'DomainNotFound')) throw consoleErrors.invalidToken(token);
      throw error;
    }
  }

  #enabled(kind: ConsoleKind, noVncServed: boolean): boolean {
    const { serial_enabled, vnc_enabled } = this.deps.config.consoles;
    const configured = kind === 'serial' ? serial_enabled : vnc_enabled && noVncServed;
    return configured && this.deps.driver.capabilities().consoles.includes(kind);
  }
}
