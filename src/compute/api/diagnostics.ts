/**
 * GET /servers/{id}/diagnostics (admin): before 2.48 the driver's own flat
 * dict (libvirt's keys), from 2.48 Nova's common format. The drivers here
 * count CPU time for the whole guest, not per vCPU: the legacy per-vCPU keys
 * are absent and 2.48's `cpu_details` holds one entry without an id. Rates,
 * drops and error counts are not counted (null, as a driver that cannot
 * tell leaves them).
 */
import type { FastifyInstance } from 'fastify';
import { atLeast } from '../microversion.js';
import type { ServerDiagnostics } from '../service/server-stats.js';
import { versionOf, V21, type ComputeApi } from './context.js';

function legacyView({ stats }: ServerDiagnostics): Record<string, number> {
  const view: Record<string, number> = { memory: stats.memoryMb * 1024 };
  for (const d of stats.disks) {
    Object.assign(view, {
      [`${d.device}_read`]: d.readBytes,
      [`${d.device}_read_req`]: d.readRequests,
      [`${d.device}_write`]: d.writeBytes,
      [`${d.device}_write_req`]: d.writeRequests,
    });
  }
  for (const i of stats.interfaces) {
    Object.assign(view, {
      [`${i.tapName}_rx`]: i.rxBytes,
      [`${i.tapName}_rx_packets`]: i.rxPackets,
      [`${i.tapName}_tx`]: i.txBytes,
      [`${i.tapName}_tx_packets`]: i.txPackets,
    });
  }
  return view;
}

function standardView(d: ServerDiagnostics) {
  const { stats } = d;
  return {
    state: d.state,
    // The drivers speak libvirt's vocabulary (QEMU domains), which is the driver Nova would name.
    driver: 'libvirt',
    hypervisor: d.hypervisorType,
    hypervisor_os: 'linux',
    uptime: d.uptimeSeconds,
    config_drive: d.configDrive,
    num_cpus: stats.vcpus,
    num_nics: stats.interfaces.length,
    num_disks: stats.disks.length,
    memory_details: { maximum: stats.memoryMb, used: stats.memoryUsageMb },
    cpu_details: [{ id: null, time: stats.cpuTimeNs, utilisation: null }],
    nic_details: stats.interfaces.map((i) => ({
      mac_address: i.mac,
      rx_octets: i.rxBytes,
      rx_errors: null,
      rx_drop: null,
      rx_packets: i.rxPackets,
      rx_rate: null,
      tx_octets: i.txBytes,
      tx_errors: null,
      tx_drop: null,
      tx_packets: i.txPackets,
      tx_rate: null,
    })),
    disk_details: stats.disks.map((disk) => ({
      read_bytes: disk.readBytes,
      read_requests: disk.readRequests,
      write_bytes: disk.writeBytes,
      write_requests: disk.writeRequests,
      errors_count: null,
    })),
  };
}

export function diagnosticsRoutes(app: FastifyInstance, api: ComputeApi): void {
  app.get<{ Params: { id: string } }>(`${V21}/servers/:id/diagnostics`, async (request) => {
    const auth = await api.authenticate(request);
    const diagnostics = await api.ops.serverStats.diagnostics(auth, request.params.id);
    return atLeast(versionOf(request), '2.48') ? standardView(diagnostics) : legacyView(diagnostics);
  });
}
