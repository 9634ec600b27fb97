/**
 * os-server-external-events: other services (Neutron, Cinder) tell Nova
 * about a server's ports and volumes. Each event is judged on its own (404
 * for an unknown server, 400 for a missing required tag, 422 for a server
 * on no host, 200 accepted); no event accepted at all is a 404.
 *
 * An accepted event has nothing to wake here: this compute service reaches
 * the network and volume services through their doors and waits on their
 * answers, not on a later notification, so acknowledging is all that is left.
 */
import type { CallerContext } from '../../core/context.js';
import { eventErrors } from '../errors.js';
import * as store from '../store/index.js';
import { authorize } from './access.js';
import type { ComputeDeps } from './deps.js';

export interface ExternalEvent {
  serverUuid: string;
  name: string;
  status?: string;
  tag?: string;
}

export interface EventOutcome {
  event: ExternalEvent;
  status: string;
  code: 200 | 400 | 404 | 422;
}

/** Events that mean nothing without their tag (the volume, the power state, or the accelerator request). */
const TAG_REQUIRED = new Set(['volume-extended', 'power-update', 'accelerator-request-bound']);

export class ExternalEventOps {
  constructor(private readonly deps: ComputeDeps) {}

  /** Every event's outcome, in the order given; throws 404 when none was accepted. */
  async create(auth: CallerContext, events: ExternalEvent[]): Promise<EventOutcome[]> {
    authorize(this.deps, auth, 'os_compute_api:os-server-external-events:create');
    const ids = [...new Set(events.map((e) => e.serverUuid.toLowerCase()))];
    const servers = new Map((await store.listServers(this.deps.db, { ids, deleted: false })).map((s) => [s.id, s]));
    const outcomes = events.map((event): EventOutcome => {
      const server = servers.get(event.serverUuid.toLowerCase());
      if (!server) return { event, status: 'failed', code: 404 };
      if (TAG_REQUIRED.has(event.name) && event.tag === undefined) return { event, status: 'failed', code: 400 };
      if (server.host === null) return { event, status: 'failed', code: 422 };
      return { event, status: 'completed', code: 200 };
    });
    if (!outcomes.some((o) => o.code === 200)) throw eventErrors.noInstances();
    return outcomes;
  }
}
