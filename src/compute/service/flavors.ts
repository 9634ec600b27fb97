/**
 * Flavors: listing with Nova's visibility (public, or shared with the
 * caller's project; admins choose with is_public), admin create/delete,
 * description updates (2.55), extra specs and flavor access.
 */
import type { CallerContext } from '../../core/context.js';
import { isUniqueViolation } from '../../core/db/constraint-errors.js';
import { uuid } from '../../core/ids.js';
import { flavorErrors, novaErrors, requestErrors } from '../errors.js';
import * as store from '../store/index.js';
import type { Flavor } from '../store/index.js';
import { allowed, authorize, isAdmin } from './access.js';
import type { ComputeDeps } from './deps.js';

export interface FlavorListQuery {
  /** true, false, or null for both (admins only; others always see public + shared). */
  isPublic: boolean | null;
  minDisk?: number;
  minRam?: number;
  sortKey: 'flavorid' | 'name' | 'memory_mb' | 'vcpus' | 'root_gb' | 'swap' | 'ephemeral_gb' | 'rxtx_factor' | 'id' | 'created_at';
  sortDir: 'asc' | 'desc';
  limit?: number;
  marker?: string;
}

export interface NewFlavor {
  name: string;
  id?: string | null;
  ram: number;
  vcpus: number;
  disk: number;
  ephemeral?: number;
  swap?: number;
  rxtxFactor?: number;
  isPublic?: boolean;
  description?: string | null;
}

const SORT_FIELDS: Record<FlavorListQuery['sortKey'], (f: Flavor) => string | number> = {
  flavorid: (f) => f.id,
  id: (f) => f.createdAt,
  created_at: (f) => f.createdAt,
  name: (f) => f.name,
  memory_mb: (f) => f.memoryMb,
  vcpus: (f) => f.vcpus,
  root_gb: (f) => f.rootGb,
  swap: (f) => f.swap,
  ephemeral_gb: (f) => f.ephemeralGb,
  rxtx_factor: (f) => f.rxtxFactor,
};

export class FlavorOps {
  constructor(private readonly deps: ComputeDeps) {}

  async list(auth: CallerContext, query: FlavorListQuery): Promise<Flavor[]> {
    const admin = isAdmin(this.deps, auth);
    const shared = auth.project ? await store.flavorsSharedWith(this.deps.db, auth.project.id) : new Set<string>();
    let flavors = (await store.listFlavors(this.deps.db)).filter((f) => {
      if (!admin) return !f.disabled && (f.isPublic || shared.has(f.id));
      if (query.isPublic === null) return true;
      // Nova's admin is_public=true also shows the private flavors shared with the admin's project.
      return query.isPublic ? f.isPublic || shared.has(f.id) : !f.isPublic;
    });
    if (query.minDisk !== undefined) flavors = flavors.filter((f) => f.rootGb >= (query.minDisk as number));
    if (query.minRam !== undefined) flavors = flavors.filter((f) => f.memoryMb >= (query.minRam as number));
    const key = SORT_FIELDS[query.sortKey];
    const dir = query.sortDir === 'desc' ? -1 : 1;
    flavors.sort((a, b) => {
      const x = key(a);
      const y = key(b);
      return (x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0) * dir;
    });
    if (query.marker !== undefined) {
      const at = flavors.findIndex((f) => f.id === query.marker);
      if (at < 0) throw requestErrors.markerNotFound(query.marker);
      flavors = flavors.slice(at + 1);
    }
    return query.limit !== undefined ? flavors.slice(0, query.limit) : flavors;
  }

  /** A flavor the caller may see; Nova shows any flavor by id to anyone who knows it (servers keep theirs). */
  async get(_auth: CallerContext, id: string): Promise<Flavor> {
    const flavor = await store.getFlavor(this.deps.db, id);
    if (!flavor) throw novaErrors.flavorNotFound(id);
    return flavor;
  }

  /** For server create/resize: a flavor the project may use (public or shared), or 400 as Nova answers. */
  async usable(auth: CallerContext, id: string): Promise<Flavor> {
    const flavor = await store.getFlavor(this.deps.db, id);
    if (!flavor || flavor.disabled) throw flavorErrors.unusable(id);
    if (!flavor.isPublic && !isAdmin(this.deps, auth)) {
      const shared = auth.project ? await store.flavorsSharedWith(this.deps.db, auth.project.id) : new Set<string>();
      if (!shared.has(flavor.id)) throw flavorErrors.unusable(id);
    }
    return flavor;
  }

  async create(auth: CallerContext, input: NewFlavor): Promise<Flavor> {
    authorize(this.deps, auth, 'os_compute_api:os-flavor-manage:create');
    return this.createFlavor(input);
  }

  /** Without a policy check: the service's own bootstrap. */
  async createFlavor(input: NewFlavor): Promise<Flavor> {
    const id = input.id ?? uuid();
    if ((await store.getFlavor(this.deps.db, id)) !== null) throw flavorErrors.idExists(id);
    if ((await store.flavorByName(this.deps.db, input.name)) !== null) throw flavorErrors.nameExists(input.name);
    try {
      return await store.insertFlavor(this.deps.db, {
        id,
        name: input.name,
        memoryMb: input.ram,
        vcpus: input.vcpus,
        rootGb: input.disk,
        ephemeralGb: input.ephemeral ?? 0,
        swap: input.swap ?? 0,
        rxtxFactor: input.rxtxFactor ?? 1,
        isPublic: input.isPublic ?? true,
        disabled: false,
        description: input.description ?? null,
        extraSpecs: {},
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw flavorErrors.idOrNameExists(id, input.name);
      throw error;
    }
  }

  async updateDescription(auth: CallerContext, id: string, description: string | null): Promise<Flavor> {
    authorize(this.deps, auth, 'os_compute_api:os-flavor-manage:update');
    await this.get(auth, id);
    await store.updateFlavor(this.deps.db, id, { description });
    return this.get(auth, id);
  }

  async delete(auth: CallerContext, id: string): Promise<void> {
    authorize(this.deps, auth, 'os_compute_api:os-flavor-manage:delete');
    await this.get(auth, id);
    await store.deleteFlavor(this.deps.db, id);
  }

  /** Whether the caller may read extra specs (embedded in flavors from 2.61, servers from 2.47). */
  canSeeExtraSpecs(auth: CallerContext): boolean {
    return allowed(this.deps, auth, 'os_compute_api:os-flavor-extra-specs:index');
  }

  async extraSpecs(auth: CallerContext, id: string): Promise<Record<string, string>> {
    authorize(this.deps, auth, 'os_compute_api:os-flavor-extra-specs:index');
    return (await this.get(auth, id)).extraSpecs;
  }

  async extraSpec(auth: CallerContext, id: string, key: string): Promise<string> {
    authorize(this.deps, auth, 'os_compute_api:os-flavor-extra-specs:show');
    const specs = (await this.get(auth, id)).extraSpecs;
    if (!(key in specs)) throw flavorErrors.extraSpecNotFound(id, key);
    return specs[key] as string;
  }

  async setExtraSpecs(auth: CallerContext, id: string, specs: Record<string, string>, rule: 'create' | 'update'): Promise<Record<string, string>> {
    authorize(this.deps, auth, `os_compute_api:os-flavor-extra-specs:${rule}`);
    const flavor = await this.get(auth, id);
    const merged = { ...flavor.extraSpecs, ...specs };
    await store.updateFlavor(this.deps.db, id, { extraSpecs: merged });
    return specs;
  }

  async deleteExtraSpec(auth: CallerContext, id: string, key: string): Promise<void> {
    authorize(this.deps, auth, 'os_compute_api:os-flavor-extra-specs:delete');
    const flavor = await this.get(auth, id);
    if (!(key in flavor.extraSpecs)) throw flavorErrors.extraSpecNotFound(id, key);
    const { [key]: _removed, ...rest } = flavor.extraSpecs;
    await store.updateFlavor(this.deps.db, id, { extraSpecs: rest });
  }

  async access(auth: CallerContext, id: string): Promise<string[]> {
    authorize(this.deps, auth, 'os_compute_api:os-flavor-access');
    const flavor = await this.get(auth, id);
    if (flavor.isPublic) throw flavorErrors.accessListPublic();
    return store.flavorProjects(this.deps.db, id);
  }

  async addAccess(auth: CallerContext, id: string, projectId: string): Promise<string[]> {
    authorize(this.deps, auth, 'os_compute_api:os-flavor-access:add_tenant_access');
    const flavor = await this.get(auth, id);
    if (flavor.isPublic) throw flavorErrors.accessToPublic();
    try {
      await store.addFlavorAccess(this.deps.db, id, projectId);
    } catch (error) {
      if (isUniqueViolation(error)) throw flavorErrors.accessExists(id, projectId);
      throw error;
    }
    return store.flavorProjects(this.deps.db, id);
  }

  async removeAccess(auth: CallerContext, id: string, projectId: string): Promise<string[]> {
    authorize(this.deps, auth, 'os_compute_api:os-flavor-access:remove_tenant_access');
    await this.get(auth, id);
    if (!(await store.removeFlavorAccess(this.deps.db, id, projectId))) {
      throw flavorErrors.accessNotFound(id, projectId);
    }
    return store.flavorProjects(this.deps.db, id);
  }
}

/** DevStack's flavors (devstack/lib/nova: create_flavors). */
export const DEVSTACK_FLAVORS: NewFlavor[] = [
  { id: '42', name: 'm1.nano', ram: 128, disk: 1, vcpus: 1 },
  { id: '84', name: 'm1.micro', ram: 192, disk: 1, vcpus: 1 },
  { id: '1', name: 'm1.tiny', ram: 512, disk: 1, vcpus: 1 },
  { id: '2', name: 'm1.small', ram: 2048, disk: 20, vcpus: 1 },
  { id: '3', name: 'm1.medium', ram: 4096, disk: 40, vcpus: 2 },
  { id: '4', name: 'm1.large', ram: 8192, disk: 80, vcpus: 4 },
  { id: '5', name: 'm1.xlarge', ram: 16384, disk: 160, vcpus: 8 },
];
