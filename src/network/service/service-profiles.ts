/**
 * Service profiles (flavors extension): a provider's driver, or free-form
 * metainfo, that flavors are bound to. Admin only, reads included. A profile
 * bound to a flavor can be neither changed nor deleted (ServiceProfileInUse).
 */
import type { CallerContext } from '../../core/context.js';
import { uuid } from '../../core/ids.js';
import { errors } from '../errors.js';
import * as store from '../store/index.js';
import type { Resource } from '../store/index.js';
import { convertBody, type AttrMap } from './attributes.js';
import type { NetworkDeps } from './deps.js';
import type { FlavorOps, ProfileAttrs } from './flavors.js';
import type { NeutronObject } from './objects.js';
import type { ServiceProviderOps } from './service-providers.js';

export const PROFILE_ATTRS: AttrMap = {
  driver: { type: 'string', create: true, update: true },
  metainfo: { type: 'string', create: true, update: true, maxLength: 4096 },
  enabled: { type: 'boolean', create: true, update: true },
};

export class ServiceProfileOps {
  constructor(
    private readonly deps: NetworkDeps,
    private readonly providers: ServiceProviderOps,
    private readonly flavors: FlavorOps,
  ) {}

  async create(auth: CallerContext, body: unknown): Promise<NeutronObject> {
    this.deps.access.authorize(auth, 'create_service_profile', {});
    const input = convertBody(PROFILE_ATTRS, body);
    const driver = (input.driver as string | undefined) ?? '';
    const metainfo = (input.metainfo as string | undefined) ?? '';
    if (driver !== '') this.#checkDriver(driver);
    else if (metainfo === '') throw errors.serviceProfileEmpty();
    const attrs: ProfileAttrs = {
      description: (input.description as string | undefined) ?? '',
      driver,
      enabled: (input.enabled as boolean | undefined) ?? true,
      metainfo,
    };
    const profile = await store.insertResource(this.deps.db, { id: uuid(), kind: 'service_profile', projectId: '', name: '', attrs });
    return view(profile, []);
  }

  async get(auth: CallerContext, id: string): Promise<NeutronObject> {
    const profile = await this.#visible(auth, id);
    return view(profile, (await this.flavors.flavorsOf([id])).get(id) ?? []);
  }

  async list(auth: CallerContext): Promise<NeutronObject[]> {
    if (!this.deps.access.allowed(auth, 'get_service_profile', {})) return [];
    const profiles = await store.listResources<ProfileAttrs>(this.deps.db, 'service_profile');
    const bound = await this.flavors.flavorsOf(profiles.map((p) => p.id));
    return profiles.map((p) => view(p, bound.get(p.id) ?? []));
  }

  async update(auth: CallerContext, id: string, body: unknown): Promise<NeutronObject> {
    const profile = await this.#visible(auth, id);
    this.deps.access.authorize(auth, 'update_service_profile', {});
    const { description, driver, metainfo, enabled } = convertBody(PROFILE_ATTRS, body);
    if (typeof driver === 'string' && driver !== '') this.#checkDriver(driver);
    await this.#checkUnbound(id);
    const attrs: ProfileAttrs = { ...profile.attrs };
    if (description !== undefined) attrs.description = description as string;
    if (driver !== undefined) attrs.driver = driver as string;
    if (metainfo !== undefined) attrs.metainfo = metainfo as string;
    if (enabled !== undefined) attrs.enabled = enabled as boolean;
    return view(await store.saveResource(this.deps.db, { ...profile, attrs }), []);
  }

  async delete(auth: CallerContext, id: string): Promise<void> {
    await this.#visible(auth, id);
    this.deps.access.authorize(auth, 'delete_service_profile', {});
    await this.#checkUnbound(id);
    await store.deleteResource(this.deps.db, id);
  }

  #checkDriver(driver: string): void {
    if (!this.providers.byDriver(driver)) throw errors.serviceProfileDriverNotFound(driver);
  }

  async #checkUnbound(id: string): Promise<void> {
    if (((await this.flavors.flavorsOf([id])).get(id) ?? []).length > 0) throw errors.serviceProfileInUse(id);
  }

  async #visible(auth: CallerContext, id: string): Promise<Resource<ProfileAttrs>> {
    if (!this.deps.access.allowed(auth, 'get_service_profile', {})) throw errors.serviceProfileNotFound(id);
    return this.flavors.profile(id);
  }
}

function view(profile: Resource<ProfileAttrs>, flavors: string[]): NeutronObject {
  const { description, driver, enabled, metainfo } = profile.attrs;
  return { id: profile.id, description, driver, enabled, metainfo, flavors };
}
