/**
 * How many servers of one create request the project's quota lets in, as
 * Nova decides it (nova/compute/utils.py check_num_instances_quota): the
 * instances, cores and ram headroom give the number that fits; a request
 * gets as many as fit between its min_count and max_count, and 403 (Nova's
 * TooManyInstances message) when fewer than min_count fit. The decision is
 * made before anything is allocated per server, so the size of a request
 * costs nothing until the quota has admitted it.
 *
 * `plannedCount` reads limits and usage outside any transaction (cheap, and
 * answers most refusals early); `reserveInstances` then takes the usage
 * atomically in the create's transaction and, when concurrent creates took
 * some headroom in between, shrinks the count to what still fits.
 */
import type { Kysely, Transaction } from 'kysely';
import { Forbidden, QuotaExceeded } from '../../core/errors.js';
import type { ServiceQuota } from '../../core/quota/index.js';
import { serverErrors } from '../errors.js';
import type { Flavor } from '../store/index.js';

/** What a flavor counts against the quotas. */
type FlavorSize = Pick<Flavor, 'vcpus' | 'memoryMb'>;
import type { QuotaResource } from './deps.js';

/**
 * Servers one request may create even when the quotas are unlimited (-1):
 * each costs a row, a task and a build, all written in one transaction.
 * Nova has no such bound; a larger max_count gets this many, as it would
 * get what the quota allows.
 */
export const MAX_SERVERS_PER_REQUEST = 1000;

type InstanceResource = 'instances' | 'cores' | 'ram';
const INSTANCE_RESOURCES: readonly InstanceResource[] = ['cores', 'instances', 'ram'];

export interface CountRequest {
  minCount: number;
  maxCount: number;
}

/** What one server of `flavor` counts against each resource. */
function perServer(flavor: FlavorSize): Record<InstanceResource, number> {
  return { instances: 1, cores: flavor.vcpus, ram: flavor.memoryMb };
}

/** Servers that fit in `limit - inUse` of a resource (unlimited: any number). */
function fitting(limit: number, inUse: number, each: number): number {
  if (limit === -1 || each === 0) return Number.POSITIVE_INFINITY;
  return Math.max(0, Math.floor((limit - inUse) / each));
}

/** Nova's TooManyInstances: every resource the request went over, sorted, with its limit and usage. */
function tooManyInstances(
  request: CountRequest,
  per: Record<InstanceResource, number>,
  limits: Record<InstanceResource, number>,
  usage: Record<InstanceResource, number>,
): Forbidden {
  const requested: Record<InstanceResource, string> = {
    instances: request.minCount === request.maxCount ? String(request.minCount) : `${request.minCount}-${request.maxCount}`,
    cores: String(request.maxCount * per.cores),
    ram: String(request.maxCount * per.ram),
  };
  const overs = INSTANCE_RESOURCES.filter((r) => limits[r] !== -1 && usage[r] + request.maxCount * per[r] > limits[r]);
  const join = (values: (r: InstanceResource) => string) => overs.map(values).join(', ');
  return serverErrors.tooManyInstances(
    join((r) => r),
    join((r) => requested[r]),
    join((r) => String(usage[r])),
    join((r) => String(limits[r])),
  );
}

/** The number of servers to create (between min and max, at most MAX_SERVERS_PER_REQUEST), or Nova's 403. */
export async function plannedCount(quota: ServiceQuota<QuotaResource>, projectId: string, flavor: FlavorSize, request: CountRequest): Promise<number> {
  const [limits, usage] = await Promise.all([quota.getLimits(projectId), quota.getUsage(projectId)]);
  const per = perServer(flavor);
  const fits = Math.min(...INSTANCE_RESOURCES.map((r) => fitting(limits[r], usage[r], per[r])));
  if (fits < request.minCount) throw tooManyInstances(request, per, limits, usage);
  return Math.min(request.maxCount, fits, MAX_SERVERS_PER_REQUEST);
}

/**
 * Takes the usage of `planned` servers in `trx`, or of fewer when a
 * concurrent create used some of the headroom since `plannedCount`; never
 * fewer than `request.minCount` (Nova's 403 then). Each refusal names a resource
 * that cannot take the current count, so the count strictly shrinks and the
 * loop ends.
 */
export async function reserveInstances<DB>(
  quota: ServiceQuota<QuotaResource>,
  trx: Kysely<DB> | Transaction<DB>,
  projectId: string,
  flavor: FlavorSize,
  request: CountRequest,
  planned: number,
): Promise<number> {
  const per = perServer(flavor);
  let count = planned;
  for (;;) {
    try {
      await quota.reserve(trx, projectId, { instances: count, cores: count * per.cores, ram: count * per.ram });
      return count;
    } catch (error) {
      if (!(error instanceof QuotaExceeded)) throw error;
      const resource = error.resource as InstanceResource;
      const fits = fitting(error.limit, error.inUse, per[resource]);
      if (fits < request.minCount) {
        throw tooManyInstances(
          request,
          per,
          { instances: -1, cores: -1, ram: -1, [resource]: error.limit },
          { instances: 0, cores: 0, ram: 0, [resource]: error.inUse },
        );
      }
      count = Math.min(fits, count - 1);
    }
  }
}
