/**
 * Service providers (Neutron's `service-type` extension): the drivers behind
 * the advanced services Nimbus really offers. Routers are one provider,
 * Neutron's `single_node` L3 driver (no HA, not distributed): both drivers
 * (noop, linuxbridge) realise a router once, on the default host. Neutron
 * also registers `ha`, `dvr` and `dvrha`; Nimbus has no such router
 * placement, so it does not list them. Flavors' service profiles name a
 * provider by its driver.
 */
import type { CallerContext } from '../../core/context.js';
import type { NetworkDeps } from './deps.js';

export interface ServiceProvider {
  service_type: string;
  name: string;
  /** The driver a service profile names (Neutron's class path); not shown by the API. */
  driver: string;
  default: boolean;
  /** What a router served by the provider may ask for. */
  supports: { distributed: boolean; ha: boolean };
}

export const L3_ROUTER_NAT = 'L3_ROUTER_NAT';

export const SERVICE_PROVIDERS: readonly ServiceProvider[] = [
  {
    service_type: L3_ROUTER_NAT,
    name: 'single_node',
    driver: 'neutron.services.l3_router.service_providers.single_node.SingleNodeDriver',
    default: false,
    supports: { distributed: false, ha: false },
  },
];

export class ServiceProviderOps {
  constructor(private readonly deps: NetworkDeps) {}

  /** Neutron's rule is `role:reader` with no project: a caller without it sees an empty list. */
  list(auth: CallerContext): Array<Record<string, unknown>> {
    if (!this.deps.access.allowed(auth, 'get_service_provider', {})) return [];
    return SERVICE_PROVIDERS.map((p) => ({ service_type: p.service_type, name: p.name, default: p.default }));
  }

  /** The service types flavors may be made for: those a provider serves. */
  serviceTypes(): string[] {
    return [...new Set(SERVICE_PROVIDERS.map((p) => p.service_type))];
  }

  /** The provider whose driver a service profile names, if Nimbus has it. */
  byDriver(driver: string): ServiceProvider | undefined {
    return SERVICE_PROVIDERS.find((p) => p.driver === driver);
  }
}
