/**
 * os-hosts, Nova's host API before 2.43: the hosts of the cloud's services
 * with their zones, and a compute host's resources with their use by
 * project. Enabling a host, its maintenance mode and its power actions go to
 * the virt driver in Nova, and the libvirt driver (which the QEMU driver
 * stands for, and the fake keeps to) implements none of them: they answer 501
 * once the host is found, as Nova does there.
 */
import type { CallerContext } from '../../core/context.js';
import { NotImplemented } from '../../core/errors.js';
import { hostErrors } from '../errors.js';
import * as store from '../store/index.js';
import type { Server } from '../store/index.js';
import { authorize } from './access.js';
import type { ComputeServiceOps } from './compute-services.js';
import { CONTROL_BINARIES, controlHost, INTERNAL_ZONE } from './control-services.js';
import type { ComputeDeps } from './deps.js';
import { usageOf } from './hypervisors.js';

export interface HostEntry {
  hostName: string;
  /** The service's topic: its binary without `nova-` (`compute`, `scheduler`, `conductor`). */
  service: string;
  zone: string;
}

/** One row of a host's resources: its totals, its use now, its servers' flavors summed, then each project's. */
export interface HostResource {
  host: string;
  project: string;
  cpu: number;
  memoryMb: number;
  diskGb: number;
}

export type HostChange = 'update' | 'reboot' | 'shutdown' | 'start';

export class LegacyHostOps {
  constructor(
    private readonly deps: ComputeDeps,
    private readonly services: ComputeServiceOps,
  ) {}

  /** The enabled services' hosts, as Nova filters them (`disabled: False`); `zone` keeps one zone's. */
  async list(auth: CallerContext, zone?: string): Promise<HostEntry[]> {
    authorize(this.deps, auth, 'os_compute_api:os-hosts:list');
    const control = CONTROL_BINARIES.map((binary) => ({ hostName: controlHost(), service: topic(binary), zone: INTERNAL_ZONE }));
    const computes = (await this.services.list(auth))
      .filter((service) => service.enabled)
      .map((service) => ({ hostName: service.host, service: topic(service.binary), zone: service.zone }));
    return [...control, ...computes].filter((entry) => !zone || entry.zone === zone);
  }

  async show(auth: CallerContext, host: string): Promise<HostResource[]> {
    authorize(this.deps, auth, 'os_compute_api:os-hosts:show');
    const service = await store.getServiceByHost(this.deps.db, host);
    if (!service) throw hostErrors.hostNotMapped(host);
    const servers = await store.listServers(this.deps.db, { host, deleted: false });
    const { vcpus, memoryMb, localGb } = service.hypervisor;
    const used = usageOf(servers);
    return [
      { host, project: '(total)', cpu: vcpus, memoryMb, diskGb: localGb },
      { host, project: '(used_now)', cpu: used.vcpusUsed, memoryMb: used.memoryMbUsed, diskGb: used.localGbUsed },
      { ...flavorSums(servers, host), project: '(used_max)' },
      ...byProject(servers, host),
    ];
  }

  /** Enabling, maintenance and power actions: 404 for a host without a compute service, else 501 (see above). */
  async refuseChange(auth: CallerContext, host: string, change: HostChange): Promise<never> {
    authorize(this.deps, auth, `os_compute_api:os-hosts:${change}`);
    const service = await store.getServiceByHost(this.deps.db, host);
    if (!service) throw hostErrors.hostNotFound(host);
    throw new NotImplemented('The requested functionality is not supported.');
  }
}

function topic(binary: string): string {
  return binary.replace(/^nova-/, '');
}

function flavorSums(servers: Server[], host: string): HostResource {
  const sum: HostResource = { host, project: '', cpu: 0, memoryMb: 0, diskGb: 0 };
  for (const server of servers) {
    const flavor = server.attrs.flavor;
    sum.cpu += flavor.vcpus;
    sum.memoryMb += flavor.memoryMb;
    sum.diskGb += flavor.rootGb + flavor.ephemeralGb;
  }
  return sum;
}

function byProject(servers: Server[], host: string): HostResource[] {
  const projects = new Map<string, Server[]>();
  for (const server of servers) projects.set(server.projectId, [...(projects.get(server.projectId) ?? []), server]);
  return [...projects.entries()].map(([project, owned]) => ({ ...flavorSums(owned, host), project }));
}
