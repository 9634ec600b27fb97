/**
 * Taking a network segment (type, physical network, segmentation id) for a
 * network: as an admin asks for it, or the next free id of the configured
 * ranges. The `neutron_segment` table's primary key makes each id taken once,
 * whether the segment is a network's provider segment or one added through
 * `/v2.0/segments`.
 */
import { isUniqueViolation } from '../../core/db/constraint-errors.js';
import { errors, invalidInput } from '../errors.js';
import * as store from '../store/index.js';
import type { NetworkDb } from '../store/index.js';
import type { NetworkDeps } from './deps.js';

export interface SegmentRequest {
  networkType: string;
  physicalNetwork: string | null;
  segmentationId: number | null;
}

type Range = { physnet: string | null; min: number; max: number };

/** The segment taken, as asked or completed from the ranges; Neutron's 400 for what the type driver refuses, 409 for an id in use. */
export async function allocateSegment(deps: NetworkDeps, trx: NetworkDb, request: SegmentRequest, networkId: string): Promise<SegmentRequest> {
  const type = request.networkType;
  let physnet = request.physicalNetwork;
  const requestedId = request.segmentationId;
  const segment = (id: number | null): SegmentRequest => ({ networkType: type, physicalNetwork: physnet, segmentationId: id });
  const take = async (id: number) => {
    try {
      await store.insertSegment(trx, type, physnet ?? '', id, networkId);
    } catch (error) {
      if (isUniqueViolation(error)) throw errors.segmentInUseByNetwork(type, id, physnet);
      throw error;
    }
  };
  switch (type) {
    case 'local':
      if (physnet !== null || requestedId !== null)
        throw invalidInput('provider:physical_network and provider:segmentation_id prohibited for local provider network');
      return segment(null);
    case 'flat': {
      if (requestedId !== null) throw invalidInput('segmentation_id prohibited for flat provider network');
      if (!physnet) throw invalidInput('physical_network required for flat provider network');
      const flat = deps.config.flat_networks;
      if (!flat.includes('*') && !flat.includes(physnet)) throw invalidInput(`physical_network '${physnet}' unknown for flat provider network`);
      // A flat physical network carries one network: id 0 stands for it.
      await take(0);
      return segment(null);
    }
    case 'vlan':
    case 'vxlan': {
      const ranges = type === 'vlan' ? vlanRanges(deps) : vniRanges(deps);
      if (type === 'vxlan' && physnet !== null) throw invalidInput('provider:physical_network specified for vxlan network');
      if (type === 'vlan') {
        if (physnet === null) physnet = ranges[0]?.physnet ?? null;
        if (physnet === null) throw invalidInput('physical_network required for vlan provider network');
      }
      const max = type === 'vlan' ? 4094 : 16777215;
      if (requestedId !== null) {
        if (requestedId < 1 || requestedId > max) throw invalidInput(`segmentation_id out of range (1 through ${max})`);
        await take(requestedId);
        return segment(requestedId);
      }
      const used = await store.usedSegmentationIds(trx, type, physnet ?? '');
      for (const range of ranges.filter((r) => r.physnet === physnet)) {
        for (let id = range.min; id <= range.max; id++) {
          if (!used.has(id)) {
            await take(id);
            return segment(id);
          }
        }
      }
      throw errors.segmentationIdExhausted(type);
    }
    default:
      throw invalidInput(`network_type value '${type}' not supported`);
  }
}

/** Gives back what allocateSegment took (a local segment took nothing). */
export async function releaseSegment(trx: NetworkDb, segment: SegmentRequest): Promise<void> {
  if (segment.networkType === 'local') return;
  await store.deleteSegment(trx, segment.networkType, segment.physicalNetwork ?? '', segment.segmentationId ?? 0);
}

function vniRanges(deps: NetworkDeps): Range[] {
  return deps.config.vni_ranges.map((r) => {
    const [min, max] = r.split(':').map(Number);
    return { physnet: null, min: min ?? 1, max: max ?? min ?? 1 };
  });
}

function vlanRanges(deps: NetworkDeps): Range[] {
  return deps.config.network_vlan_ranges.map((r) => {
    const [physnet, min, max] = r.split(':');
    return { physnet: physnet ?? null, min: Number(min ?? 1), max: Number(max ?? min ?? 1) };
  });
}
