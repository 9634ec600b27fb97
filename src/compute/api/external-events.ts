/**
 * POST /os-server-external-events (admin): 200 when every event was
 * accepted, 207 when some were not (each event says its own `code`), 404
 * when none was. Event names by microversion: volume-extended from 2.51,
 * power-update from 2.76, accelerator-request-bound (Cyborg's) from 2.82.
 */
import type { FastifyInstance } from 'fastify';
import type { VersionedEntry } from '../../core/microversions.js';
import type { ExternalEvent } from '../service/external-events.js';
import { V21, type ComputeApi } from './context.js';
import { withVersionedBody, type BodySchema } from './schema.js';

const NETWORK_EVENTS = ['network-changed', 'network-vif-plugged', 'network-vif-unplugged', 'network-vif-deleted'];

function eventsSchema(names: string[]): BodySchema {
  const event: BodySchema = {
    type: 'object',
    properties: {
      server_uuid: { type: 'string', pattern: '^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$' },
      name: { type: 'string', enum: names },
      status: { type: 'string', enum: ['failed', 'completed', 'in-progress'] },
      tag: { type: 'string', maxLength: 255 },
    },
    required: ['server_uuid', 'name'],
    additionalProperties: false,
  };
  return { type: 'object', properties: { events: { type: 'array', minItems: 1, items: event } }, required: ['events'], additionalProperties: false };
}

const createEvents: VersionedEntry<BodySchema>[] = [
  { from: '2.1', to: '2.50', value: eventsSchema(NETWORK_EVENTS) },
  { from: '2.51', to: '2.75', value: eventsSchema([...NETWORK_EVENTS, 'volume-extended']) },
  { from: '2.76', to: '2.81', value: eventsSchema([...NETWORK_EVENTS, 'volume-extended', 'power-update']) },
  { from: '2.82', value: eventsSchema([...NETWORK_EVENTS, 'volume-extended', 'power-update', 'accelerator-request-bound']) },
];

interface EventBody {
  server_uuid: string;
  name: string;
  status?: string;
  tag?: string;
}

export function externalEventRoutes(app: FastifyInstance, api: ComputeApi): void {
  app.post<{ Body: { events: EventBody[] } }>(`${V21}/os-server-external-events`, withVersionedBody(api, createEvents), async (request, reply) => {
    const auth = await api.authenticate(request);
    const events: ExternalEvent[] = request.body.events.map((e) => ({
      serverUuid: e.server_uuid,
      name: e.name,
      ...(e.status !== undefined && { status: e.status }),
      ...(e.tag !== undefined && { tag: e.tag }),
    }));
    const outcomes = await api.ops.externalEvents.create(auth, events);
    // Each event is echoed as given, with the outcome's status and code.
    const answered = outcomes.map((o, i) => ({ ...request.body.events[i], status: o.status, code: o.code }));
    return reply.code(outcomes.every((o) => o.code === 200) ? 200 : 207).send({ events: answered });
  });
}
