/** os-server-groups create bodies per microversion (nova/api/openstack/compute/schemas/server_groups.py). */
import type { VersionedEntry } from '../../../core/microversions.js';
import type { BodySchema } from '../schema.js';
import { envelope, name, positiveInteger, strictObject } from './parameter-types.js';

const POLICIES = ['anti-affinity', 'affinity'];
/** soft-* from 2.15. */
const POLICIES_215 = [...POLICIES, 'soft-anti-affinity', 'soft-affinity'];

/** Before 2.64, a list of exactly one policy. */
const policies = (allowed: string[]): BodySchema => ({ type: 'array', items: { type: 'string', enum: allowed }, minItems: 1, maxItems: 1 });

export const createServerGroup: VersionedEntry<BodySchema>[] = [
  { from: '2.1', to: '2.14', value: envelope('server_group', strictObject({ name, policies: policies(POLICIES) }, ['name', 'policies'])) },
  { from: '2.15', to: '2.63', value: envelope('server_group', strictObject({ name, policies: policies(POLICIES_215) }, ['name', 'policies'])) },
  {
    from: '2.64',
    value: envelope(
      'server_group',
      strictObject(
        {
          name,
          policy: { type: 'string', enum: POLICIES_215 },
          rules: strictObject({ max_server_per_host: positiveInteger }),
        },
        ['name', 'policy'],
      ),
    ),
  },
];
