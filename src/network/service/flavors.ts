/**
 * Network flavors and service profiles (Neutron's `flavors` extension): an
 * admin describes a service offering (a flavor of a service type) and binds
 * it to service profiles naming the provider's driver; a router created with
 * `flavor_id` (l3-flavors) is served by the provider of the flavor's first
 * bound profile. Neither has a project: flavors are read by any reader,
 * profiles by admins only; every write is an admin's.
 *
 * A flavor's bindings are kept on the flavor (its `service_profiles`); a
 * binding is added or removed with the flavor row locked, so two requests
 * cannot bind the same profile twice.
 */
import type { CallerContext } from '../../core/context.js';
import { uuid } from '../../core/ids.js';
import { errors } from '../errors.js';
import * as store from '../store/index.js';
import type { Resource } from '../store/index.js';
import { convertBody, type AttrMap } from './attributes.js';
import type { NetworkDeps } from './deps.js';
import type { NeutronObject } from './objects.js';
import { type ServiceProvider, type ServiceProviderOps } from './service-providers.js';

interface FlavorAttrs extends Record<string, unknown> {
  description: string;
  service_type: string;
  enabled: boolean;
  service_profiles: string[];
}

export interface ProfileAttrs extends Record<string, unknown> {
  description: string;
  driver: string;
  enabled: boolean;
  metainfo: string;
}

export const FLAVOR_ATTRS: AttrMap = {
  service_type: { type: 'string', create: true },
  service_profiles: { type: 'string-list', create: true, update: true },
  enabled: { type: 'boolean', create: true, update: true },
};

/** Not project resources: the owner column is empty. */
const NO_PROJECT = '';

export class FlavorOps {
  constructor(
    private readonly deps: NetworkDeps,
    private readonly providers: ServiceProviderOps,
  ) {}

  async create(auth: CallerContext, body: unknown): Promise<NeutronObject> {
    this.deps.access.authorize(auth, 'create_flavor', {});
    const input = convertBody(FLAVOR_ATTRS, body);
    if (input.service_type === undefined) throw errors.requiredAttribute('service_type');
    const serviceType = String(input.service_type);
    if (!this.providers.serviceTypes().includes(serviceType)) throw errors.invalidFlavorServiceType(serviceType);
    const attrs: FlavorAttrs = {
      description: (input.description as string | undefined) ?? '',
      service_type: serviceType,
      enabled: (input.enabled as boolean | undefined) ?? true,
      // Neutron takes the list on create and ignores it: profiles are bound through the sub-resource.
      service_profiles: [],
    };
    const name = (input.name as string | undefined) ?? '';
    return flavorView(await store.insertResource(this.deps.db, { id: uuid(), kind: 'flavor', projectId: NO_PROJECT, name, attrs }));
  }

  async get(auth: CallerContext, id: string): Promise<NeutronObject> {
    return flavorView(await this.#flavor(auth, id));
  }

  async list(auth: CallerContext): Promise<NeutronObject[]> {
    if (!this.deps.access.allowed(auth, 'get_flavor', {})) return [];
    return (await store.listResources<FlavorAttrs>(this.deps.db, 'flavor')).map(flavorView);
  }

  async update(auth: CallerContext, id: string, body: unknown): Promise<NeutronObject> {
    const flavor = await this.#flavor(auth, id);
    this.deps.access.authorize(auth, 'update_flavor', {});
    const { name, description, enabled } = convertBody(FLAVOR_ATTRS, body);
    const attrs: FlavorAttrs = { ...flavor.attrs };
    if (description !== undefined) attrs.description = description as string;
    if (enabled !== undefined) attrs.enabled = enabled as boolean;
    return flavorView(await store.saveResource(this.deps.db, { ...flavor, name: (name as string | undefined) ?? flavor.name, attrs }));
  }

  async delete(auth: CallerContext, id: string): Promise<void> {
    await this.#flavor(auth, id);
    this.deps.access.authorize(auth, 'delete_flavor', {});
    const routers = await store.listResources(this.deps.db, 'router');
    if (routers.some((r) => r.attrs.flavor_id === id)) throw errors.flavorInUse(id);
    await store.deleteResource(this.deps.db, id);
  }

  /** `POST /flavors/{id}/service_profiles`: binds a profile to the flavor. */
  async bindProfile(auth: CallerContext, flavorId: string, profileId: string): Promise<{ id: string }> {
    this.deps.access.authorize(auth, 'create_flavor_service_profile', {});
    await this.#flavor(auth, flavorId);
    await this.profile(profileId);
    await this.deps.db.transaction().execute(async (trx) => {
      await store.lockResource(trx, 'flavor', flavorId);
      const flavor = await store.getResource<FlavorAttrs>(trx, 'flavor', flavorId);
      if (!flavor) throw errors.flavorNotFound(flavorId);
      if (flavor.attrs.service_profiles.includes(profileId)) throw errors.flavorServiceProfileBindingExists(profileId, flavorId);
      await store.saveResource(trx, { ...flavor, attrs: { ...flavor.attrs, service_profiles: [...flavor.attrs.service_profiles, profileId] } });
    });
    return { id: profileId };
  }

  /** `DELETE /flavors/{id}/service_profiles/{profile_id}`. */
  async unbindProfile(auth: CallerContext, flavorId: string, profileId: string): Promise<void> {
    this.deps.access.authorize(auth, 'delete_flavor_service_profile', {});
    await this.#flavor(auth, flavorId);
    await this.deps.db.transaction().execute(async (trx) => {
      await store.lockResource(trx, 'flavor', flavorId);
      const flavor = await store.getResource<FlavorAttrs>(trx, 'flavor', flavorId);
      if (!flavor?.attrs.service_profiles.includes(profileId)) throw errors.flavorServiceProfileBindingNotFound(profileId, flavorId);
      const remaining = flavor.attrs.service_profiles.filter((p) => p !== profileId);
      await store.saveResource(trx, { ...flavor, attrs: { ...flavor.attrs, service_profiles: remaining } });
    });
  }

  /**
   * The provider serving a router of this flavor (Neutron's next provider):
   * the driver of its first bound profile, which must be enabled and known.
   */
  async providerFor(flavorId: string): Promise<ServiceProvider> {
    const flavor = await store.getResource<FlavorAttrs>(this.deps.db, 'flavor', flavorId);
    if (!flavor) throw errors.flavorNotFound(flavorId);
    const first = flavor.attrs.service_profiles[0];
    if (first === undefined) throw errors.flavorServiceProfileBindingNotFound('', flavorId);
    const profile = await this.profile(first);
    if (!profile.attrs.enabled) throw errors.serviceProfileDisabled();
    const provider = this.providers.byDriver(profile.attrs.driver);
    if (!provider) throw errors.serviceProfileDriverNotFound(profile.attrs.driver);
    return provider;
  }

  async profile(id: string): Promise<Resource<ProfileAttrs>> {
    const profile = await store.getResource<ProfileAttrs>(this.deps.db, 'service_profile', id);
    if (!profile) throw errors.serviceProfileNotFound(id);
    return profile;
  }

  /** The flavors a profile is bound to. */
  async flavorsOf(profileIds: string[]): Promise<Map<string, string[]>> {
    const bound = new Map<string, string[]>(profileIds.map((id) => [id, []]));
    for (const flavor of await store.listResources<FlavorAttrs>(this.deps.db, 'flavor')) {
      for (const id of flavor.attrs.service_profiles) bound.get(id)?.push(flavor.id);
    }
    return bound;
  }

  /** What the caller may not read does not exist for it (404), as Neutron's show. */
  async #flavor(auth: CallerContext, id: string): Promise<Resource<FlavorAttrs>> {
    const flavor = await store.getResource<FlavorAttrs>(this.deps.db, 'flavor', id);
    if (!flavor || !this.deps.access.allowed(auth, 'get_flavor', {})) throw errors.flavorNotFound(id);
    return flavor;
  }
}

function flavorView(flavor: Resource<FlavorAttrs>): NeutronObject {
  const { description, service_type, enabled, service_profiles } = flavor.attrs;
  return { id: flavor.id, name: flavor.name, description, service_type, enabled, service_profiles };
}
