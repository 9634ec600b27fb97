/**
 * /os-availability-zone: the zones of compute hosts. /detail (admins) adds,
 * as Nova does, the `internal` zone holding the control services: Nimbus runs
 * Nova's scheduler and conductor inside this process, so they are on this
 * machine and up whenever it answers.
 */
import type { FastifyInstance } from 'fastify';
import * as store from '../store/index.js';
import { authorize } from '../service/access.js';
import { CONTROL_BINARIES, controlHost, INTERNAL_ZONE } from '../service/control-services.js';
import { V21, type ComputeApi } from './context.js';

export function availabilityZoneRoutes(app: FastifyInstance, api: ComputeApi): void {
  const { deps } = api.ops.runtime;
  const zones = async () => {
    const byHost = await store.hostZones(deps.db);
    const services = await store.listServices(deps.db);
    const result = new Map<string, typeof services>();
    for (const service of services) {
      const zone = byHost.get(service.host) ?? deps.config.default_availability_zone;
      result.set(zone, [...(result.get(zone) ?? []), service]);
    }
    return result;
  };
  app.get(`${V21}/os-availability-zone`, async (request) => {
    const auth = await api.authenticate(request);
    authorize(deps, auth, 'os_compute_api:os-availability-zone:list');
    const info = [...(await zones()).entries()].map(([zoneName, services]) => ({
      zoneName,
      zoneState: { available: services.some((s) => s.enabled && !s.forcedDown) },
      hosts: null,
    }));
    return { availabilityZoneInfo: info };
  });
  app.get(`${V21}/os-availability-zone/detail`, async (request) => {
    const auth = await api.authenticate(request);
    authorize(deps, auth, 'os_compute_api:os-availability-zone:detail');
    const computeZones = [...(await zones()).entries()].map(([zoneName, services]) => ({
      zoneName,
      zoneState: { available: services.some((s) => s.enabled && !s.forcedDown) },
      hosts: Object.fromEntries(
        services.map((s) => [
          s.host,
          { 'nova-compute': { available: s.enabled && !s.forcedDown, active: s.enabled, updated_at: s.updatedAt.replace(/Z$/, '') } },
        ]),
      ),
    }));
    // Nova lists the zones sorted by name, `internal` among them.
    return { availabilityZoneInfo: [internalZone(), ...computeZones].sort((a, b) => a.zoneName.localeCompare(b.zoneName)) };
  });
}

/** Nova's INTERNAL_SERVICE_AVAILABILITY_ZONE with this process's control services. */
function internalZone() {
  const up = { available: true, active: true, updated_at: new Date().toISOString().replace(/Z$/, '') };
  const services = Object.fromEntries(CONTROL_BINARIES.map((binary) => [binary, up]));
  return { zoneName: INTERNAL_ZONE, zoneState: { available: true }, hosts: { [controlHost()]: services } };
}
