/**
 * /os-services: list (host and binary filters), and status updates: before
 * 2.53 `PUT /os-services/{enable|disable|disable-log-reason|force-down}`
 * naming host and binary, from 2.53 `PUT /os-services/{uuid}`; delete.
 */
import type { FastifyInstance } from 'fastify';
import { hostErrors, requestErrors } from '../errors.js';
import type { Microversion } from '../../core/microversions.js';
import { atLeast } from '../microversion.js';
import type { ServiceStatusChange, ServiceView } from '../service/compute-services.js';
import { versionOf, V21, type ComputeApi } from './context.js';
import { naiveTime } from './timestamps.js';
import * as v from './validate.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function serviceView(service: ServiceView, version: Microversion) {
  return {
    id: atLeast(version, '2.53') ? service.id : service.seq,
    binary: service.binary,
    host: service.host,
    zone: service.zone,
    status: service.enabled ? 'enabled' : 'disabled',
    state: service.state,
    updated_at: naiveTime(service.updatedAt),
    disabled_reason: service.disabledReason,
    ...(atLeast(version, '2.11') && { forced_down: service.forcedDown }),
  };
}

const reason = (value: unknown) => v.string(value, 'disabled_reason', { min: 1, max: 255 });

/** The pre-2.53 actions: the change each makes, from a body naming host and binary. */
function legacyChange(action: string, body: Record<string, unknown>, version: Microversion): ServiceStatusChange {
  switch (action) {
    case 'enable':
      return { enabled: true, disabledReason: null };
    case 'disable':
      return { enabled: false, disabledReason: null };
    case 'disable-log-reason':
      if (!('disabled_reason' in body)) throw hostErrors.missingDisabledReason();
      return { enabled: false, disabledReason: reason(body.disabled_reason) };
    case 'force-down':
      if (!atLeast(version, '2.11')) break;
      if (!('forced_down' in body)) throw hostErrors.missingForcedDown();
      return { forcedDown: v.boolean(body.forced_down, 'forced_down') };
  }
  throw hostErrors.unknownServiceAction();
}

export function serviceRoutes(app: FastifyInstance, api: ComputeApi): void {
  const { ops } = api;
  const base = `${V21}/os-services`;

  app.get(base, async (request) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    const host = v.queryValue(request.query, 'host');
    const binary = v.queryValue(request.query, 'binary');
    const services = await ops.services.list(auth, { ...(host && { host }), ...(binary && { binary }) });
    return { services: services.map((s) => serviceView(s, version)) };
  });

  app.put<{ Params: { id: string } }>(`${base}/:id`, async (request) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    const body = v.object(request.body, 'body');
    const { id } = request.params;
    if (!atLeast(version, '2.53')) {
      const change = legacyChange(id, body, version);
      const allowedKeys = ['host', 'binary', ...(id === 'disable-log-reason' ? ['disabled_reason'] : []), ...(id === 'force-down' ? ['forced_down'] : [])];
      v.onlyKeys(body, allowedKeys, 'body');
      const host = v.string(body.host, 'host', { min: 1, max: 255 });
      const binary = v.string(body.binary, 'binary', { min: 1, max: 255 });
      await ops.services.updateByHost(auth, host, binary, change);
      const echo: Record<string, unknown> = { host, binary };
      if (change.enabled !== undefined) echo.status = change.enabled ? 'enabled' : 'disabled';
      if (change.disabledReason) echo.disabled_reason = change.disabledReason;
      if (change.forcedDown !== undefined) echo.forced_down = change.forcedDown;
      return { service: echo };
    }
    if (!UUID.test(id)) throw requestErrors.invalidUuid(id);
    v.onlyKeys(body, ['status', 'disabled_reason', 'forced_down'], 'body');
    const change: ServiceStatusChange = {};
    if (body.status !== undefined) {
      if (body.status !== 'enabled' && body.status !== 'disabled')
        throw v.invalid('status', body.status, `${JSON.stringify(body.status)} is not one of ['enabled', 'disabled']`);
      change.enabled = body.status === 'enabled';
      change.disabledReason = null;
    }
    if (body.disabled_reason !== undefined) {
      if (body.status === 'enabled') throw hostErrors.reasonNeedsDisabled('enabled');
      if (body.status !== 'disabled') throw hostErrors.reasonNeedsDisabled('other');
      change.disabledReason = reason(body.disabled_reason);
    }
    if (body.forced_down !== undefined) change.forcedDown = v.boolean(body.forced_down, 'forced_down');
    if (change.enabled === undefined && change.forcedDown === undefined) throw hostErrors.statusOrForcedDownRequired();
    return { service: serviceView(await ops.services.update(auth, id, change), version) };
  });

  app.delete<{ Params: { id: string } }>(`${base}/:id`, async (request, reply) => {
    const auth = await api.authenticate(request);
    const version = versionOf(request);
    const { id } = request.params;
    if (atLeast(version, '2.53') && !UUID.test(id)) throw requestErrors.invalidUuid(id);
    await ops.services.delete(auth, id, atLeast(version, '2.53'));
    return reply.code(204).send();
  });
}
