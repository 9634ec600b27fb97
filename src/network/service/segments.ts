/**
 * Network segments (Neutron's `segment` and `standard-attr-segment`
 * extensions). A network's first segment (`segment_index` 0) is the one its
 * `provider:*` attributes show and the driver realises; an admin may add more
 * through `/v2.0/segments`, each taking its segmentation id, and put subnets
 * on them (routed networks). Nimbus has no multi-provider networks: the
 * network keeps showing its first segment, and only that one is wired on the
 * host. The first segment goes only with its network.
 */
import type { CallerContext } from '../../core/context.js';
import { uuid } from '../../core/ids.js';
import { isoSeconds } from '../../core/time.js';
import { errors, notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { NetworkDb, Resource } from '../store/index.js';
import { readable } from './access.js';
import { convertBody, type AttrMap } from './attributes.js';
import type { Subnet, SubnetAttrs } from './subnets.js';
import type { NetworkDeps } from './deps.js';
import { checkRevision, type NeutronObject } from './objects.js';
import type { FixedIpRequest } from './ipam.js';
import { allocateSegment, releaseSegment, type SegmentRequest } from './segment-allocation.js';

export interface SegmentAttrs extends Record<string, unknown> {
  network_id: string;
  /** Neutron leaves an unnamed segment's name and description null. */
  name: string | null;
  description: string | null;
  network_type: string;
  physical_network: string | null;
  segmentation_id: number | null;
  /** 0 for the network's provider segment, then in order of creation. */
  segment_index: number;
}

export type Segment = Resource<SegmentAttrs>;

export const SEGMENT_ATTRS: AttrMap = {
  network_id: { type: 'string', create: true },
  network_type: { type: 'string', create: true, maxLength: 32 },
  physical_network: { type: 'nullable-string', create: true, maxLength: 64 },
  segmentation_id: { type: 'nullable-integer', create: true },
  name: { type: 'nullable-string', create: true, update: true },
  description: { type: 'nullable-string', create: true, update: true },
};

export class SegmentOps {
  constructor(private readonly deps: NetworkDeps) {}

  async create(auth: CallerContext, body: unknown): Promise<NeutronObject> {
    const input = convertBody(SEGMENT_ATTRS, body);
    this.deps.access.authorize(auth, 'create_segment', {});
    if (typeof input.network_id !== 'string') throw errors.requiredAttribute('network_id');
    if (typeof input.network_type !== 'string') throw errors.requiredAttribute('network_type');
    const networkId = input.network_id;
    const segment = await this.deps.db.transaction().execute(async (trx) => {
      const network = await store.getResource(trx, 'network', networkId);
      if (!network || !(await store.lockResource(trx, 'network', networkId))) throw notFound.network(networkId);
      const request: SegmentRequest = {
        networkType: input.network_type as string,
        physicalNetwork: (input.physical_network as string | null | undefined) ?? null,
        segmentationId: (input.segmentation_id as number | null | undefined) ?? null,
      };
      const others = await store.listResources<SegmentAttrs>(trx, 'segment', { parentId: networkId });
      const index = Math.max(-1, ...others.map((s) => s.attrs.segment_index)) + 1;
      const extra = { name: (input.name as string | null | undefined) ?? null, description: (input.description as string | null | undefined) ?? null };
      return recordSegment(trx, network, await allocateSegment(this.deps, trx, request, networkId), index, extra);
    });
    return segmentView(segment);
  }

  async get(auth: CallerContext, id: string): Promise<NeutronObject> {
    return segmentView(await this.getVisible(auth, id));
  }

  async list(auth: CallerContext): Promise<NeutronObject[]> {
    if (!this.#readable(auth)) return [];
    return (await store.listResources<SegmentAttrs>(this.deps.db, 'segment')).map(segmentView);
  }

  async update(auth: CallerContext, id: string, body: unknown, ifMatch?: string): Promise<NeutronObject> {
    const input = convertBody(SEGMENT_ATTRS, body);
    const segment = await this.getVisible(auth, id);
    this.deps.access.authorize(auth, 'update_segment', {});
    checkRevision(segment, ifMatch, errors.revisionMismatch);
    const attrs = { ...segment.attrs };
    if (input.name !== undefined) attrs.name = input.name as string | null;
    if (input.description !== undefined) attrs.description = input.description as string | null;
    return segmentView(await store.saveResource(this.deps.db, { ...segment, name: attrs.name ?? '', attrs }));
  }

  async delete(auth: CallerContext, id: string, ifMatch?: string): Promise<void> {
    const segment = await this.getVisible(auth, id);
    this.deps.access.authorize(auth, 'delete_segment', {});
    checkRevision(segment, ifMatch, errors.revisionMismatch);
    await this.deps.db.transaction().execute(async (trx) => {
      const subnets = await store.listResources(trx, 'subnet', { parentId: segment.attrs.network_id });
      const onIt = subnets.filter((s) => s.attrs.segment_id === id).map((s) => s.id);
      if (onIt.length > 0) throw errors.segmentInUse(id, `The segment is still associated with subnet(s) ${onIt.join(', ')}`);
      if (segment.attrs.segment_index === 0) {
        throw errors.segmentInUse(id, `it is the provider segment of network ${segment.attrs.network_id}, which goes only with the network`);
      }
      await releaseSegment(trx, fromAttrs(segment.attrs));
      await store.deleteResource(trx, id);
    });
  }

  /** The segment if the caller may read segments (admins, by Neutron's policy), else SegmentNotFound. */
  async getVisible(auth: CallerContext, id: string, db: NetworkDb = this.deps.db): Promise<Segment> {
    const segment = await store.getResource<SegmentAttrs>(db, 'segment', id);
    if (!segment || !this.#readable(auth)) throw notFound.segment(id);
    return segment;
  }

  #readable(auth: CallerContext): boolean {
    return readable(this.deps, auth, 'segment', {});
  }
}

/** Stores a segment allocateSegment took for `network`. */
export async function recordSegment(
  trx: NetworkDb,
  network: Pick<Resource, 'id' | 'projectId'>,
  taken: SegmentRequest,
  index: number,
  extra: { name: string | null; description: string | null } = { name: null, description: null },
): Promise<Segment> {
  const attrs: SegmentAttrs = {
    network_id: network.id,
    ...extra,
    network_type: taken.networkType,
    physical_network: taken.physicalNetwork,
    segmentation_id: taken.segmentationId,
    segment_index: index,
  };
  return store.insertResource<SegmentAttrs>(trx, {
    id: uuid(),
    kind: 'segment',
    projectId: network.projectId,
    parentId: network.id,
    name: extra.name ?? '',
    attrs,
  });
}

/**
 * The subnets of a network a port on Nimbus's host can have addresses on.
 * The host is connected to the network's provider segment only, so of a
 * routed network's subnets only those on that segment serve it; naming
 * another one is Neutron's HostNotCompatibleWithFixedIps.
 */
export async function subnetsForHost(db: NetworkDb, networkId: string, port?: { host: string; id: string; requests?: FixedIpRequest[] }): Promise<Subnet[]> {
  const subnets = await store.listResources<SubnetAttrs>(db, 'subnet', { parentId: networkId });
  if (subnets.every((s) => (s.attrs.segment_id ?? null) === null)) return subnets;
  const provider = (await store.listResources<SegmentAttrs>(db, 'segment', { parentId: networkId })).find((s) => s.attrs.segment_index === 0);
  const onHost = subnets.filter((s) => s.attrs.segment_id === provider?.id);
  const elsewhere = (subnetId: string | undefined) =>
    subnetId !== undefined && !onHost.some((s) => s.id === subnetId) && subnets.some((s) => s.id === subnetId);
  if (port?.requests?.some((r) => elsewhere(r.subnet_id))) throw errors.hostNotCompatibleWithFixedIps(port.host, port.id);
  return onHost;
}

function fromAttrs(attrs: SegmentAttrs): SegmentRequest {
  return { networkType: attrs.network_type, physicalNetwork: attrs.physical_network, segmentationId: attrs.segmentation_id };
}

/** Neutron shows a segment without its project (tenant_id is not visible) and without tags. */
function segmentView(segment: Segment): NeutronObject {
  const { network_id, name, description, network_type, physical_network, segmentation_id } = segment.attrs;
  return {
    id: segment.id,
    network_id,
    name,
    description,
    network_type,
    physical_network,
    segmentation_id,
    created_at: isoSeconds(segment.createdAt),
    updated_at: isoSeconds(segment.updatedAt),
    revision_number: segment.revisionNumber,
  };
}
