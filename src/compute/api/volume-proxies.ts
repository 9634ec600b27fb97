/**
 * Nova's block storage proxy to the volume service with the caller's
 * context: os-volumes (list, detail, show, create, delete) and os-snapshots
 * (the same), in Nova's camel-case views; gone at 2.36 (404), as in Nova
 * (nova/api/openstack/compute/volumes.py, snapshots.py).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CallerContext } from '../../core/context.js';
import { NimbusError } from '../../core/errors.js';
import type { SnapshotInfo, VolumeInfo, VolumeOperations } from '../../volume/operations.js';
import { proxyErrors, volumeErrors } from '../errors.js';
import { authorize } from '../service/access.js';
import { V21, type ComputeApi } from './context.js';
import { orNotFound, proxyBody, proxyVersion } from './proxy-gate.js';
import { envelope, strictObject } from './schemas/parameter-types.js';
import * as v from './validate.js';

type IdParams = { Params: { id: string } };

interface VolumeBody {
  size: number | string;
  display_name?: string;
  display_description?: string;
  volume_type?: string;
  metadata?: Record<string, string>;
  availability_zone?: string;
  snapshot_id?: string;
}

interface SnapshotBody {
  volume_id: string;
  force?: boolean | string;
  display_name?: string;
  display_description?: string;
}

const createVolume = envelope(
  'volume',
  strictObject(
    {
      volume_type: { type: 'string' },
      metadata: { type: 'object' },
      snapshot_id: { type: 'string' },
      size: { type: ['integer', 'string'], pattern: '^[0-9]+$', minimum: 1 },
      availability_zone: { type: 'string' },
      display_name: { type: 'string' },
      display_description: { type: 'string' },
    },
    ['size'],
  ),
);

const createSnapshot = envelope(
  'snapshot',
  strictObject(
    {
      volume_id: { type: 'string' },
      force: { type: ['boolean', 'string'] },
      display_name: { type: 'string' },
      display_description: { type: 'string' },
    },
    ['volume_id'],
  ),
);

function volumeView(volume: VolumeInfo, typeNames: Map<string, string>) {
  const attached = volume.attachments.find((a) => a.serverId !== null && a.status === 'attached');
  return {
    id: volume.id,
    status: volume.status,
    size: volume.size,
    availabilityZone: volume.availabilityZone,
    createdAt: volume.createdAt,
    // Nova shows the first attachment only, and `[{}]` when there is none.
    attachments: attached
      ? [{ id: volume.id, volumeId: volume.id, serverId: attached.serverId, ...(attached.device ? { device: attached.device } : {}) }]
      : [{}],
    displayName: volume.name,
    displayDescription: volume.description,
    volumeType: typeNames.get(volume.volumeTypeId) ?? volume.volumeTypeId,
    snapshotId: volume.snapshotId,
    metadata: volume.metadata,
  };
}

function snapshotView(snapshot: SnapshotInfo) {
  return {
    id: snapshot.id,
    volumeId: snapshot.volumeId,
    status: snapshot.status,
    size: snapshot.size,
    createdAt: snapshot.createdAt,
    displayName: snapshot.name,
    displayDescription: snapshot.description,
  };
}

/** Nova's common.limited: `offset` then at most `limit` items. */
function limited<T>(request: FastifyRequest, items: T[]): T[] {
  const offset = v.queryInt(request.query, 'offset') ?? 0;
  const limit = v.queryInt(request.query, 'limit');
  return items.slice(offset, limit === undefined ? undefined : offset + limit);
}

/** Cinder's refusals as Nova's proxy answers them: a bad request stays 400, a quota refusal is 403. */
async function cinder<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof NimbusError && error.status === 413) throw proxyErrors.volumeOverQuota(error.message);
    if (error instanceof NimbusError && error.status === 409) throw proxyErrors.refused(error.message);
    throw error;
  }
}

export function volumeProxyRoutes(app: FastifyInstance, api: ComputeApi): void {
  /** The volume service for a proxy call: authenticated, in range, allowed by `rule`. */
  const open = async (request: FastifyRequest, rule: string): Promise<{ auth: CallerContext; volumes: VolumeOperations }> => {
    const auth = await api.authenticate(request);
    proxyVersion(request);
    authorize(api.ops.runtime.deps, auth, `os_compute_api:os-volumes:${rule}`);
    const volumes = api.ops.runtime.deps.peers.volume();
    if (!volumes) throw volumeErrors.serviceUnavailable();
    return { auth, volumes };
  };
  const typeNames = async (auth: CallerContext, volumes: VolumeOperations) => new Map((await volumes.listVolumeTypes(auth)).map((t) => [t.id, t.name]));
  const volumeById = (auth: CallerContext, volumes: VolumeOperations, id: string) =>
    orNotFound(
      () => volumes.getVolume(auth, id),
      () => proxyErrors.volumeNotFound(id),
    );

  const listVolumes = (rule: string) => async (request: FastifyRequest) => {
    const { auth, volumes } = await open(request, rule);
    // `/os-volumes/` names a volume with an empty id, not the list (Fastify would take it for the list).
    if (request.url.split('?')[0]?.endsWith('/')) throw proxyErrors.volumeNotFound('');
    const names = await typeNames(auth, volumes);
    return { volumes: limited(request, await volumes.listVolumes(auth)).map((volume) => volumeView(volume, names)) };
  };
  app.get(`${V21}/os-volumes`, listVolumes('list'));
  app.get(`${V21}/os-volumes/detail`, listVolumes('detail'));
  app.get<IdParams>(`${V21}/os-volumes/:id`, async (request) => {
    const { auth, volumes } = await open(request, 'show');
    return { volume: volumeView(await volumeById(auth, volumes, request.params.id), await typeNames(auth, volumes)) };
  });
  app.post<{ Body: { volume: VolumeBody } }>(`${V21}/os-volumes`, proxyBody(api, createVolume), async (request, reply) => {
    const { auth, volumes } = await open(request, 'create');
    const body = request.body.volume;
    const snapshot =
      body.snapshot_id === undefined
        ? undefined
        : await orNotFound(
            () => volumes.getSnapshot(auth, body.snapshot_id as string),
            () => proxyErrors.snapshotNotFound(body.snapshot_id as string),
          );
    const size = v.integer(body.size, 'size', { min: 1 });
    const created = await cinder(() =>
      volumes.createVolume(auth, {
        size,
        ...(body.display_name !== undefined && { name: body.display_name }),
        ...(body.display_description !== undefined && { description: body.display_description }),
        ...(body.metadata !== undefined && { metadata: v.stringMap(body.metadata, 'metadata') }),
        ...(snapshot && { snapshotId: snapshot.id }),
        ...(body.volume_type !== undefined && { volumeType: body.volume_type }),
        ...(body.availability_zone !== undefined && { availabilityZone: body.availability_zone }),
      }),
    );
    reply.header('location', `${api.root}${V21}/os-volumes/${created.id}`);
    return { volume: volumeView(created, await typeNames(auth, volumes)) };
  });
  app.delete<IdParams>(`${V21}/os-volumes/:id`, async (request, reply) => {
    const { auth, volumes } = await open(request, 'delete');
    await cinder(() =>
      orNotFound(
        () => volumes.deleteVolume(auth, request.params.id),
        () => proxyErrors.volumeNotFound(request.params.id),
      ),
    );
    return reply.code(202).send();
  });

  const listSnapshots = (rule: string) => async (request: FastifyRequest) => {
    const { auth, volumes } = await open(request, rule);
    return { snapshots: limited(request, await volumes.listSnapshots(auth)).map(snapshotView) };
  };
  app.get(`${V21}/os-snapshots`, listSnapshots('snapshots:list'));
  app.get(`${V21}/os-snapshots/detail`, listSnapshots('snapshots:detail'));
  app.get<IdParams>(`${V21}/os-snapshots/:id`, async (request) => {
    const { auth, volumes } = await open(request, 'snapshots:show');
    const id = request.params.id;
    return {
      snapshot: snapshotView(
        await orNotFound(
          () => volumes.getSnapshot(auth, id),
          () => proxyErrors.snapshotNotFound(id),
        ),
      ),
    };
  });
  app.post<{ Body: { snapshot: SnapshotBody } }>(`${V21}/os-snapshots`, proxyBody(api, createSnapshot), async (request) => {
    const { auth, volumes } = await open(request, 'snapshots:create');
    const body = request.body.snapshot;
    const created = await cinder(() =>
      volumes.createSnapshot(auth, {
        volumeId: body.volume_id,
        force: body.force === undefined ? false : v.boolean(body.force, 'force'),
        ...(body.display_name !== undefined && { name: body.display_name }),
        ...(body.display_description !== undefined && { description: body.display_description }),
      }),
    );
    return { snapshot: snapshotView(created) };
  });
  app.delete<IdParams>(`${V21}/os-snapshots/:id`, async (request, reply) => {
    const { auth, volumes } = await open(request, 'snapshots:delete');
    const id = request.params.id;
    await cinder(() =>
      orNotFound(
        () => volumes.deleteSnapshot(auth, id),
        () => proxyErrors.snapshotNotFound(id),
      ),
    );
    return reply.code(202).send();
  });
}
