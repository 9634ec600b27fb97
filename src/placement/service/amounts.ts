/** Placement ignores zero amounts in requests and claims. */
import type { ResourceAmounts } from '../operations.js';

export function withoutZeros(allocations: Record<string, ResourceAmounts>): Record<string, ResourceAmounts> {
  const out: Record<string, ResourceAmounts> = {};
  for (const [rp, resources] of Object.entries(allocations)) {
    const kept = withoutZeroAmounts(resources);
    if (Object.keys(kept).length > 0) out[rp] = kept;
  }
  return out;
}

export function withoutZeroAmounts(resources: ResourceAmounts): ResourceAmounts {
  return Object.fromEntries(Object.entries(resources).filter(([, amount]) => amount !== 0));
}
