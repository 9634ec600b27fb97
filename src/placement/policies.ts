/**
 * Placement's default policy (placement/policies/*.py): every action is
 * `rule:admin_or_service_api`, i.e. Placement's `admin_api` (role:admin) or
 * its `service_api` (role:service, which Nova's placement user holds); there
 * is nothing a plain project member may do. Registered as `placement:<Placement name>`,
 * e.g. `placement:resource_providers:list`; operators override them in
 * <data-dir>/policy.yaml under those names.
 */
const ADMIN_OR_SERVICE = 'rule:placement:admin_or_service_api';

const ACTIONS = [
  'resource_providers:list',
  'resource_providers:create',
  'resource_providers:show',
  'resource_providers:update',
  'resource_providers:delete',
  'resource_classes:list',
  'resource_classes:create',
  'resource_classes:show',
  'resource_classes:update',
  'resource_classes:delete',
  'resource_providers:inventories:list',
  'resource_providers:inventories:create',
  'resource_providers:inventories:show',
  'resource_providers:inventories:update',
  'resource_providers:inventories:delete',
  'resource_providers:aggregates:list',
  'resource_providers:aggregates:update',
  'resource_providers:usages',
  'usages',
  'traits:list',
  'traits:show',
  'traits:update',
  'traits:delete',
  'resource_providers:traits:list',
  'resource_providers:traits:update',
  'resource_providers:traits:delete',
  'allocations:manage',
  'allocations:list',
  'allocations:update',
  'allocations:delete',
  'resource_providers:allocations:list',
  'allocation_candidates:list',
  'reshaper:reshape',
] as const;

export type PlacementAction = (typeof ACTIONS)[number];

export const placementPolicyDefaults: Record<string, string> = {
  'placement:admin_api': 'role:admin',
  'placement:service_api': 'role:service',
  'placement:admin_or_service_api': 'rule:placement:admin_api or rule:placement:service_api',
  ...Object.fromEntries(ACTIONS.map((action) => [`placement:${action}`, ADMIN_OR_SERVICE])),
};
