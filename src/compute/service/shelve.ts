/**
 * shelve / shelveOffload / unshelve. Shelving snapshots an image-backed
 * server to a `<name>-shelved` image and powers it off (SHELVED); offloading
 * destroys the guest, releases its host (Placement allocation removed, ports
 * unbound) and leaves it SHELVED_OFFLOADED: at once when
 * `shelved_offload_time` is 0 (Nova's default), that many seconds later
 * when positive (shelve-offload-timer.ts), never when -1. Unshelving a shelved server
 * powers it on; an offloaded one is scheduled again (claim in Placement),
 * its ports bound to the new host and spawned from the shelved image (which
 * is then deleted) with its volumes, also those attached while offloaded.
 */
import { Readable } from 'node:stream';
import { nowIso } from '../../core/time.js';
import { POWER_STATE } from '../drivers/driver.js';
import * as store from '../store/index.js';
import type { Server } from '../store/index.js';
import { guestSpec } from './build.js';
import { hostOf } from './guest-actions.js';
import type { ComputeRuntime } from './runtime.js';
import type { ActionPayload, HostWork } from './server-action-task.js';
import type { ActionRequest, ServerActionOps } from './server-actions.js';
import { updateServer } from './server-state.js';
import { reviveCaller, storeCaller, type StoredCaller } from '../../core/context.js';
import { startOffloadTimer } from './shelve-offload-timer.js';
import { TASK, VM } from './states.js';
import { guestVolumes, spawnedWith } from './volume-attachments.js';

export class ShelveOps {
  constructor(private readonly actions: ServerActionOps) {}

  async shelve(req: ActionRequest): Promise<void> {
    await this.actions.start(req, 'shelve', { params: { auth: storeCaller(req.auth) } });
  }

  /** `availabilityZone` (2.77) only steers an offloaded server's new host. */
  async unshelve(req: ActionRequest, availabilityZone: string | null): Promise<void> {
    await this.actions.start(req, 'unshelve', { params: { auth: storeCaller(req.auth), availabilityZone } });
  }
}

/** Destroys the guest and gives its host back: allocation removed, ports unbound. */
export async function offload(runtime: ComputeRuntime, server: Server): Promise<Partial<Server>> {
  const { deps } = runtime;
  if (server.host) await deps.driver.destroy(server.host, server.id);
  await runtime.networking.bindAll(server, null);
  await deps.peers.placementIfPresent()?.deleteAllocations(server.id);
  return { vmState: VM.SHELVED_OFFLOADED, powerState: POWER_STATE.NOSTATE, host: null, node: null };
}

async function shelveSnapshot(runtime: ComputeRuntime, server: Server, payload: ActionPayload): Promise<string | null> {
  if (!server.imageRef) return null;
  if (server.attrs.shelvedImageId) return server.attrs.shelvedImageId;
  const image = runtime.deps.peers.image();
  const caller = reviveCaller(payload.params.auth as StoredCaller);
  const created = await image.create(caller, {
    name: `${server.name}-shelved`,
    disk_format: 'qcow2',
    container_format: 'bare',
    min_disk: server.attrs.flavor.rootGb,
    properties: { instance_uuid: server.id, image_type: 'snapshot', base_image_ref: server.imageRef },
  });
  // Remembered before the upload, so a retried step reuses the image instead of making a second one.
  await updateServer(runtime.deps.db, server.id, (s) => ({ ...s, attrs: { ...s.attrs, shelvedImageId: created.id } }));
  const bytes = await runtime.deps.driver.snapshot(hostOf(server), server.id);
  await image.upload(caller, created.id, Readable.from([Buffer.from(bytes)]), bytes.length);
  return created.id;
}

export const SHELVE_WORK: HostWork[] = [
  {
    action: 'shelve',
    rule: 'os_compute_api:os-shelve:shelve',
    accepts: { vm: [VM.ACTIVE, VM.STOPPED, VM.PAUSED, VM.SUSPENDED], task: [null] },
    taskState: TASK.SHELVING,
    event: 'compute_shelve_instance',
    async run(runtime, server, payload) {
      const { deps } = runtime;
      const shelvedImageId = await shelveSnapshot(runtime, server, payload);
      await deps.driver.powerOff(hostOf(server), server.id);
      // Nova's system_metadata shelved_at: what a timed offload checks it still belongs to.
      const shelvedAt = nowIso();
      const shelved: Partial<Server> = { vmState: VM.SHELVED, powerState: POWER_STATE.SHUTDOWN, attrs: { ...server.attrs, shelvedImageId, shelvedAt } };
      if (deps.config.shelved_offload_time !== 0) {
        await startOffloadTimer(runtime, server.id, shelvedAt);
        return shelved;
      }
      return { ...shelved, ...(await offload(runtime, server)) };
    },
  },

  {
    action: 'shelveOffload',
    rule: 'os_compute_api:os-shelve:shelve_offload',
    accepts: { vm: [VM.SHELVED], task: [null] },
    taskState: TASK.SHELVING_OFFLOADING,
    event: 'compute_shelve_offload_instance',
    run: (runtime, server) => offload(runtime, server),
  },

  {
    action: 'unshelve',
    rule: 'os_compute_api:os-shelve:unshelve',
    accepts: { vm: [VM.SHELVED, VM.SHELVED_OFFLOADED], task: [null] },
    taskState: TASK.UNSHELVING,
    event: 'compute_unshelve_instance',
    async run(runtime, server, payload) {
      const { deps } = runtime;
      if (server.host) {
        await deps.driver.powerOn(server.host, server.id);
      } else {
        const zone = (payload.params.availabilityZone as string | null) ?? server.attrs.availabilityZone;
        const group = server.attrs.serverGroup ? await store.getServerGroup(deps.db, server.attrs.serverGroup) : null;
        const dest = await runtime.scheduler.selectAndClaim(
          {
            consumerUuid: server.id,
            serverId: server.id,
            projectId: server.projectId,
            userId: server.userId,
            flavor: server.attrs.flavor,
            availabilityZone: zone,
            group,
            sameHost: [],
            differentHost: [],
            ignoreHosts: [],
          },
          async (d) => {
            await updateServer(deps.db, server.id, (s) => ({ ...s, host: d.host, node: d.nodeUuid }));
          },
        );
        const placed = { ...server, host: dest.host, node: dest.nodeUuid };
        const { attached } = await runtime.networking.allocate(reviveCaller(payload.params.auth as StoredCaller), placed, dest.host, []);
        const bootImage = server.attrs.shelvedImageId ?? server.imageRef;
        // Volumes attached while offloaded are plugged in here, as Nova's unshelve connects every BDM on the new host.
        const volumes = await guestVolumes(runtime, placed, dest.host);
        await deps.driver.spawn(dest.host, guestSpec({ ...placed, imageRef: bootImage }, attached, { volumes, configDrive: null }));
        await spawnedWith(runtime, placed);
      }
      const shelvedImageId = server.attrs.shelvedImageId;
      if (shelvedImageId) {
        await deps.peers
          .image()
          .delete(reviveCaller(payload.params.auth as StoredCaller), shelvedImageId)
          .catch(() => undefined);
      }
      const now = await updateServer(deps.db, server.id, (s) => s);
      return {
        vmState: VM.ACTIVE,
        powerState: POWER_STATE.RUNNING,
        host: now.host,
        node: now.node,
        attrs: { ...now.attrs, shelvedImageId: null, shelvedAt: null },
      };
    },
    /** A failed unshelve of an offloaded server gives back whatever it claimed and stays offloaded. */
    async revert(runtime, server, payload) {
      if (payload.fromVmState !== VM.SHELVED_OFFLOADED) return { vmState: payload.fromVmState };
      return offload(runtime, server);
    },
  },
];
