/**
 * Volume types: extra specs (`volume_backend_name` picks backends,
 * `multiattach` allows several attachments), private types with their
 * project access list, and the default type volumes get without one.
 */
import { uuid } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';
import { errors, notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { VolumeType } from '../store/index.js';
import type { VolumeContext } from './context.js';
import type { VolumeDeps } from './deps.js';

export interface NewVolumeType {
  name: string;
  description?: string | null;
  is_public?: boolean;
  extra_specs?: Record<string, string>;
}

const MANAGE = 'volume_extension:types_manage';

export class TypeOps {
  constructor(private readonly deps: VolumeDeps) {}

  /** Creates the configured default type on first start. */
  async ensureDefault(): Promise<VolumeType> {
    const name = this.deps.config.default_volume_type;
    const existing = await store.getTypeByName(this.deps.db, name);
    if (existing) return existing;
    await this.#insert({ name, description: 'Default Volume Type', is_public: true, extra_specs: {} }).catch(async (error: unknown) => {
      // Another process made it first.
      if (!(await store.getTypeByName(this.deps.db, name))) throw error;
    });
    return (await store.getTypeByName(this.deps.db, name)) as VolumeType;
  }

  async defaultType(): Promise<VolumeType> {
    const found = await store.getTypeByName(this.deps.db, this.deps.config.default_volume_type);
    return found ?? this.ensureDefault();
  }

  /** The type of an existing volume (the default, should its type be gone). */
  async ofVolume(typeId: string): Promise<VolumeType> {
    return (await store.getType(this.deps.db, typeId)) ?? this.defaultType();
  }

  async create(ctx: VolumeContext, input: NewVolumeType): Promise<VolumeType> {
    this.deps.authz.authorize(ctx.auth, MANAGE);
    const name = input.name.trim();
    if (name === '' || name.length > 255) throw errors.invalidInput('Volume type name can not be empty and must be at most 255 characters.');
    if (await store.getTypeByName(this.deps.db, name)) throw errors.typeExists(name);
    validateSpecs(input.extra_specs ?? {});
    return this.#insert({ ...input, name });
  }

  /** Types the caller may use: public ones, and private ones shared with its project (admins: all). */
  async list(ctx: VolumeContext, isPublic: boolean | null): Promise<VolumeType[]> {
    if (ctx.isAdmin) return store.listTypes(this.deps.db, null, isPublic);
    return store.listTypes(this.deps.db, ctx.projectId ?? '', null);
  }

  /** By id, or by name as Cinder's volume create accepts. */
  async get(ctx: VolumeContext, idOrName: string): Promise<VolumeType> {
    const type = (await store.getType(this.deps.db, idOrName)) ?? (await store.getTypeByName(this.deps.db, idOrName));
    if (!type || !(await this.#visible(ctx, type))) throw notFound.volumeType(idOrName);
    return type;
  }

  async update(ctx: VolumeContext, id: string, changes: { name?: string; description?: string | null; is_public?: boolean }): Promise<VolumeType> {
    this.deps.authz.authorize(ctx.auth, MANAGE);
    const type = await this.get(ctx, id);
    if (changes.name !== undefined) {
      const other = await store.getTypeByName(this.deps.db, changes.name);
      if (other && other.id !== type.id) throw errors.typeExists(changes.name);
      if (type.name === this.deps.config.default_volume_type) throw errors.invalidVolumeType('The default volume type cannot be renamed.');
    }
    await store.updateType(this.deps.db, type.id, { ...changes, updated_at: nowIso() });
    return this.get(ctx, type.id);
  }

  async delete(ctx: VolumeContext, id: string): Promise<void> {
    this.deps.authz.authorize(ctx.auth, MANAGE);
    const type = await this.get(ctx, id);
    if (type.name === this.deps.config.default_volume_type) throw errors.defaultTypeDelete();
    if (await store.typeInUse(this.deps.db, type.id)) {
      throw errors.typeInUse(type.id);
    }
    await store.deleteType(this.deps.db, type.id);
  }

  async setExtraSpecs(ctx: VolumeContext, id: string, specs: Record<string, string>): Promise<Record<string, string>> {
    this.deps.authz.authorize(ctx.auth, MANAGE);
    const type = await this.get(ctx, id);
    validateSpecs(specs);
    const merged = { ...type.extra_specs, ...specs };
    await store.updateType(this.deps.db, type.id, { extra_specs: JSON.stringify(merged), updated_at: nowIso() });
    return merged;
  }

  async extraSpecs(ctx: VolumeContext, id: string): Promise<Record<string, string>> {
    this.deps.authz.authorize(ctx.auth, 'volume_extension:access_types_extra_specs', { project_id: null });
    return (await this.get(ctx, id)).extra_specs;
  }

  async deleteExtraSpec(ctx: VolumeContext, id: string, key: string): Promise<void> {
    this.deps.authz.authorize(ctx.auth, MANAGE);
    const type = await this.get(ctx, id);
    if (!(key in type.extra_specs)) throw notFound.extraSpec(type.id, key);
    const rest = Object.fromEntries(Object.entries(type.extra_specs).filter(([k]) => k !== key));
    await store.updateType(this.deps.db, type.id, { extra_specs: JSON.stringify(rest), updated_at: nowIso() });
  }

  async access(ctx: VolumeContext, id: string): Promise<string[]> {
    this.deps.authz.authorize(ctx.auth, 'volume_extension:volume_type_access', { project_id: null });
    const type = await this.get(ctx, id);
    if (type.is_public) throw errors.invalidInput('Access list not available for public volume types.');
    return store.typeAccess(this.deps.db, type.id);
  }

  async addAccess(ctx: VolumeContext, id: string, projectId: string): Promise<void> {
    this.deps.authz.authorize(ctx.auth, 'volume_extension:volume_type_access:addProjectAccess', { project_id: null });
    const type = await this.get(ctx, id);
    if (type.is_public) throw errors.invalidInput('Invalid volume type: Type access modification is not applicable to public volume type.');
    if (!(await store.addTypeAccess(this.deps.db, type.id, projectId))) {
      throw errors.typeAccessExists(type.id, projectId);
    }
  }

  async removeAccess(ctx: VolumeContext, id: string, projectId: string): Promise<void> {
    this.deps.authz.authorize(ctx.auth, 'volume_extension:volume_type_access:removeProjectAccess', { project_id: null });
    const type = await this.get(ctx, id);
    if (type.is_public) throw errors.invalidInput('Invalid volume type: Type access modification is not applicable to public volume type.');
    if (!(await store.removeTypeAccess(this.deps.db, type.id, projectId))) {
      throw notFound.volumeType(`access for ${type.id} / ${projectId} combination`);
    }
  }

  async #visible(ctx: VolumeContext, type: VolumeType): Promise<boolean> {
    if (type.is_public || ctx.isAdmin) return true;
    return ctx.projectId !== null && store.hasTypeAccess(this.deps.db, type.id, ctx.projectId);
  }

  async #insert(input: NewVolumeType): Promise<VolumeType> {
    const now = nowIso();
    const id = uuid();
    await store.insertType(this.deps.db, {
      id,
      name: input.name,
      description: input.description ?? null,
      is_public: input.is_public ?? true,
      extra_specs: JSON.stringify(input.extra_specs ?? {}),
      qos_specs_id: null,
      created_at: now,
      updated_at: now,
    });
    return (await store.getType(this.deps.db, id)) as VolumeType;
  }
}

/** Keys and values are strings of at most 255 characters, as Cinder's schema says. */
function validateSpecs(specs: Record<string, string>): void {
  for (const [key, value] of Object.entries(specs)) {
    if (key === '' || key.length > 255) throw errors.invalidInput('Extra spec keys must be 1 to 255 characters long.');
    if (typeof value !== 'string' || value.length > 255) throw errors.invalidInput(`Extra spec ${key} must be a string of at most 255 characters.`);
  }
}

/** Multiattach types say `multiattach: <is> True`. */
export function isMultiattachType(type: VolumeType): boolean {
  return /^<is>\s*true$/i.test(type.extra_specs.multiattach ?? '');
}
