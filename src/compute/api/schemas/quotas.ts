/** os-quota-sets and os-quota-class-sets update bodies per microversion (nova/api/openstack/compute/schemas/quota_sets.py, quota_classes.py). */
import type { VersionedEntry } from '../../../core/microversions.js';
import { QUOTA_RESOURCES, type QuotaResource } from '../../service/deps.js';
import { FILE_QUOTAS, NETWORK_QUOTAS } from '../../service/quotas.js';
import type { BodySchema } from '../schema.js';
import { boolean, envelope, MAX_INT, strictObject } from './parameter-types.js';

/** A limit: -1 (unlimited) up to db.MAX_INT, or such a number as a string (whose range the route checks). */
const limit: BodySchema = { type: ['integer', 'string'], pattern: '^-?[0-9]+$', minimum: -1, maximum: MAX_INT };

const limits = (resources: readonly QuotaResource[]) => Object.fromEntries(resources.map((r) => [r, limit]));

/** The resources a version takes: the network proxies go at 2.36, the personality files at 2.57. */
const upTo235 = QUOTA_RESOURCES;
const from236 = QUOTA_RESOURCES.filter((r) => !NETWORK_QUOTAS.includes(r));
const from257 = from236.filter((r) => !FILE_QUOTAS.includes(r));

const ranges = [
  { from: '2.1', to: '2.35', resources: upTo235 },
  { from: '2.36', to: '2.56', resources: from236 },
  { from: '2.57', resources: from257 },
];

export const updateQuotaSet: VersionedEntry<BodySchema>[] = ranges.map(({ resources, ...range }) => ({
  ...range,
  value: envelope('quota_set', strictObject({ ...limits(resources), force: boolean })),
}));

export const updateQuotaClassSet: VersionedEntry<BodySchema>[] = ranges.map(({ resources, ...range }) => ({
  ...range,
  value: envelope('quota_class_set', strictObject(limits(resources))),
}));
