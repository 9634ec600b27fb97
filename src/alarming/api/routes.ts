/**
 * Aodh v2's wire format under /alarming: alarms (CRUD, state, history),
 * the complex queries, capabilities and quotas. Handlers authenticate, parse,
 * call the service layer and render; the service layer checks policy.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import { isJsonObject, type Json, type JsonObject } from '../../core/json.js';
import { invalidInput } from '../errors.js';
import * as service from '../service/index.js';
import { ALARM_STATES, type AlarmState } from '../store/index.js';

export interface AlarmingApi {
  deps: service.AlarmingDeps;
  authenticate(request: FastifyRequest): Promise<CallerContext>;
  /** The service's root URL, e.g. http://127.0.0.1:5000/alarming. */
  root(): string;
}

type IdParams = { Params: { alarm_id: string } };

function objectBody(request: FastifyRequest, name: string): JsonObject {
  const body = request.body as Json | undefined;
  if (!isJsonObject(body ?? null)) throw invalidInput(name, body ?? null, 'Wrong type. Expected an object.');
  return body as JsonObject;
}

function complexQueryBody(request: FastifyRequest): service.ComplexQueryBody {
  const body = request.body === undefined || request.body === null ? {} : objectBody(request, 'body');
  const result: service.ComplexQueryBody = {};
  for (const key of ['filter', 'orderby'] as const) {
    const value = body[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw invalidInput(key, value, 'Wrong type. Expected a string.');
    result[key] = value;
  }
  if (body.limit !== undefined && body.limit !== null) {
    if (typeof body.limit !== 'number' || !Number.isInteger(body.limit)) throw invalidInput('limit', body.limit, 'Wrong type. Expected an integer.');
    result.limit = body.limit;
  }
  return result;
}

/** A bare JSON string, as Aodh answers GET and PUT of the state. */
function sendJsonString(reply: FastifyReply, value: string) {
  return reply.type('application/json').send(JSON.stringify(value));
}

export function alarmingRoutes(scope: FastifyInstance, api: AlarmingApi): void {
  const { deps } = api;
  const query = (request: FastifyRequest) => request.query as Record<string, unknown>;

  scope.get('/', async () => ({
    versions: {
      values: [
        {
          id: 'v2',
          status: 'stable',
          updated: '2013-02-13T00:00:00Z',
          links: [{ href: `${api.root()}/v2`, rel: 'self' }],
          'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.telemetry-v2+json' }],
        },
      ],
    },
  }));

  scope.get('/v2/capabilities', async (request) => {
    await api.authenticate(request);
    return {
      api: { 'alarms:query:simple': true, 'alarms:query:complex': true, 'alarms:history:query:simple': true, 'alarms:history:query:complex': true },
      alarm_storage: { 'storage:production_ready': true },
    };
  });

  scope.get('/v2/alarms', async (request) => {
    const caller = await api.authenticate(request);
    return service.listAlarms(deps, caller, service.parseSimpleFilters(query(request)), service.parsePagination(query(request), service.ALARM_SORT_KEYS));
  });

  scope.post('/v2/alarms', async (request, reply) => {
    const caller = await api.authenticate(request);
    const alarm = await service.createAlarm(deps, caller, objectBody(request, 'alarm'));
    return reply.code(201).header('location', `${api.root()}/v2/alarms/${alarm.id}`).send(service.alarmView(alarm));
  });

  scope.get<IdParams>('/v2/alarms/:alarm_id', async (request) => {
    const caller = await api.authenticate(request);
    return service.alarmView(await service.findAlarm(deps, caller, request.params.alarm_id, 'telemetry:get_alarm'));
  });

  scope.put<IdParams>('/v2/alarms/:alarm_id', async (request) => {
    const caller = await api.authenticate(request);
    return service.alarmView(await service.replaceAlarm(deps, caller, request.params.alarm_id, objectBody(request, 'alarm')));
  });

  scope.delete<IdParams>('/v2/alarms/:alarm_id', async (request, reply) => {
    const caller = await api.authenticate(request);
    await service.deleteAlarm(deps, caller, request.params.alarm_id);
    return reply.code(204).send();
  });

  scope.get<IdParams>('/v2/alarms/:alarm_id/state', async (request, reply) => {
    const caller = await api.authenticate(request);
    const alarm = await service.findAlarm(deps, caller, request.params.alarm_id, 'telemetry:get_alarm_state');
    return sendJsonString(reply, alarm.state);
  });

  scope.put<IdParams>('/v2/alarms/:alarm_id/state', async (request, reply) => {
    const caller = await api.authenticate(request);
    const state = request.body as Json | undefined;
    if (typeof state !== 'string' || !(ALARM_STATES as readonly string[]).includes(state)) {
      throw invalidInput('state', state ?? null, `Value should be one of: ${ALARM_STATES.join(', ')}`);
    }
    return sendJsonString(reply, await service.setState(deps, caller, request.params.alarm_id, state as AlarmState));
  });

  scope.get<IdParams>('/v2/alarms/:alarm_id/history', async (request) => {
    const caller = await api.authenticate(request);
    const q = query(request);
    return service.alarmHistory(deps, caller, request.params.alarm_id, service.parseSimpleFilters(q), service.parsePagination(q, service.HISTORY_SORT_KEYS));
  });

  scope.post('/v2/query/alarms', async (request) => service.queryAlarms(deps, await api.authenticate(request), complexQueryBody(request)));

  scope.post('/v2/query/alarms/history', async (request) => service.queryHistory(deps, await api.authenticate(request), complexQueryBody(request)));

  scope.get('/v2/quotas', async (request) => {
    const caller = await api.authenticate(request);
    const project = query(request).project_id;
    return service.getQuotas(deps, caller, typeof project === 'string' ? project : undefined);
  });

  scope.post('/v2/quotas', async (request, reply) => {
    const caller = await api.authenticate(request);
    return reply.code(201).send(await service.setQuotas(deps, caller, objectBody(request, 'quotas')));
  });

  scope.delete<{ Params: { project_id: string } }>('/v2/quotas/:project_id', async (request, reply) => {
    const caller = await api.authenticate(request);
    await service.deleteQuotas(deps, caller, request.params.project_id);
    return reply.code(204).send();
  });
}
