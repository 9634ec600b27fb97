/**
 * Group types (3.11+) and their group specs: what kind of group a generic
 * volume group is (e.g. `consistent_group_snapshot_enabled`). Managed by
 * admins; everyone sees the public ones.
 */
import { uuid } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';
import { errors, notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { GroupType } from '../store/index.js';
import type { VolumeContext } from './context.js';
import type { VolumeDeps } from './deps.js';

export interface NewGroupType {
  name: string;
  description: string | null;
  is_public: boolean;
  group_specs: Record<string, string>;
}

export interface GroupTypeChanges {
  name?: string;
  description?: string | null;
  is_public?: boolean;
}

const MANAGE = 'group:group_types_manage';
const SPECS = 'group:group_types_specs';

export class GroupTypeOps {
  constructor(private readonly deps: VolumeDeps) {}

  async create(ctx: VolumeContext, input: NewGroupType): Promise<GroupType> {
    this.deps.authz.authorize(ctx.auth, MANAGE);
    if (await store.getGroupTypeByName(this.deps.db, input.name)) throw errors.groupTypeExists(input.name);
    const now = nowIso();
    const id = uuid();
    await store.insertGroupType(this.deps.db, {
      id,
      name: input.name,
      description: input.description,
      is_public: input.is_public,
      group_specs: JSON.stringify(input.group_specs),
      created_at: now,
      updated_at: now,
    });
    return this.#load(id);
  }

  /** Admins see every type (or the public or private ones they ask for); others the public ones. */
  async list(ctx: VolumeContext, isPublic: boolean | null): Promise<GroupType[]> {
    return store.listGroupTypes(this.deps.db, ctx.isAdmin ? isPublic : true);
  }

  async get(ctx: VolumeContext, id: string): Promise<GroupType> {
    const type = await store.getGroupType(this.deps.db, id);
    if (!type || (!type.is_public && !ctx.isAdmin)) throw notFound.groupType(id);
    return type;
  }

  /** The type named by the `default_group_type` option; Cinder sets none unless configured. */
  async defaultType(): Promise<GroupType> {
    const name = this.deps.config.default_group_type;
    const type = name ? await store.getGroupTypeByName(this.deps.db, name) : null;
    if (!type) throw notFound.defaultGroupType();
    return type;
  }

  async update(ctx: VolumeContext, id: string, changes: GroupTypeChanges): Promise<GroupType> {
    this.deps.authz.authorize(ctx.auth, MANAGE);
    if (changes.name !== undefined && changes.name.trim() === '') throw errors.badRequest('Group type name can not be empty.');
    if (changes.name === undefined && changes.description === undefined && changes.is_public === undefined) {
      throw errors.badRequest('Specify group type name, description or a combination thereof.');
    }
    const type = await this.get(ctx, id);
    if (changes.name !== undefined) {
      const other = await store.getGroupTypeByName(this.deps.db, changes.name);
      if (other && other.id !== type.id) throw errors.groupTypeExists(changes.name);
    }
    await store.updateGroupType(this.deps.db, type.id, { ...changes, updated_at: nowIso() });
    return this.#load(type.id);
  }

  async delete(ctx: VolumeContext, id: string): Promise<void> {
    this.deps.authz.authorize(ctx.auth, MANAGE);
    const type = await this.get(ctx, id);
    if (await store.groupTypeInUse(this.deps.db, type.id)) throw errors.badRequest('Target group type is still in use.');
    await store.deleteGroupType(this.deps.db, type.id);
  }

  async specs(ctx: VolumeContext, id: string): Promise<Record<string, string>> {
    this.deps.authz.authorize(ctx.auth, SPECS);
    return (await this.get(ctx, id)).group_specs;
  }

  async spec(ctx: VolumeContext, id: string, key: string): Promise<string> {
    const value = (await this.specs(ctx, id))[key];
    if (value === undefined) throw notFound.groupSpec(id, key);
    return value;
  }

  /** Adds or changes the given keys. */
  async setSpecs(ctx: VolumeContext, id: string, specs: Record<string, string>): Promise<void> {
    this.deps.authz.authorize(ctx.auth, SPECS);
    const type = await this.get(ctx, id);
    await store.updateGroupType(this.deps.db, type.id, { group_specs: JSON.stringify({ ...type.group_specs, ...specs }), updated_at: nowIso() });
  }

  async deleteSpec(ctx: VolumeContext, id: string, key: string): Promise<void> {
    this.deps.authz.authorize(ctx.auth, SPECS);
    const type = await this.get(ctx, id);
    if (!(key in type.group_specs)) throw notFound.groupSpec(type.id, key);
    const rest = Object.fromEntries(Object.entries(type.group_specs).filter(([k]) => k !== key));
    await store.updateGroupType(this.deps.db, type.id, { group_specs: JSON.stringify(rest), updated_at: nowIso() });
  }

  async #load(id: string): Promise<GroupType> {
    const type = await store.getGroupType(this.deps.db, id);
    if (!type) throw notFound.groupType(id);
    return type;
  }
}
