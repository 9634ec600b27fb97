/**
 * The names Placement knows: the standard resource classes and traits (os-resource-classes,
 * os-traits) and the CUSTOM_ ones operators add.
 */
import { isUniqueViolation } from '../../core/db/constraint-errors.js';
import { STANDARD_RESOURCE_CLASSES, STANDARD_TRAITS } from '../data/standard-names.js';
import { placementErrors } from '../errors.js';
import type { PlacementWriter } from './transactions.js';

const STANDARD_CLASS_SET = new Set(STANDARD_RESOURCE_CLASSES);
const STANDARD_TRAIT_SET = new Set(STANDARD_TRAITS);

export const CUSTOM_NAME = /^CUSTOM_[A-Z0-9_]+$/;

export class NameCatalog {
  constructor(private readonly writer: PlacementWriter) {}

  async listResourceClasses(): Promise<string[]> {
    const custom = await this.writer.db.selectFrom('placement_custom_resource_class').select('name').orderBy('name').execute();
    return [...STANDARD_RESOURCE_CLASSES, ...custom.map((r) => r.name)];
  }

  async resourceClassExists(name: string): Promise<boolean> {
    if (STANDARD_CLASS_SET.has(name)) return true;
    return Boolean(await this.writer.db.selectFrom('placement_custom_resource_class').select('name').where('name', '=', name).executeTakeFirst());
  }

  /** Creates a CUSTOM_ class; false when it existed already. */
  async createResourceClass(name: string): Promise<boolean> {
    if (!CUSTOM_NAME.test(name)) throw placementErrors.invalidCustomName(name);
    try {
      await this.writer.db.insertInto('placement_custom_resource_class').values({ name, created_at: new Date().toISOString() }).execute();
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  /** PUT /resource_classes/{name} before 1.7: a custom class changes its name everywhere it is used. */
  async renameResourceClass(name: string, newName: string): Promise<void> {
    if (STANDARD_CLASS_SET.has(name)) throw placementErrors.standardClassUpdate(name);
    await this.writer.write(async (trx) => {
      const row = await trx.selectFrom('placement_custom_resource_class').select('name').where('name', '=', name).executeTakeFirst();
      if (!row) throw placementErrors.noResourceClass(name);
      if (name === newName) return;
      if (
        STANDARD_CLASS_SET.has(newName) ||
        (await trx.selectFrom('placement_custom_resource_class').select('name').where('name', '=', newName).executeTakeFirst())
      ) {
        throw placementErrors.resourceClassRenameExists(newName);
      }
      await trx.updateTable('placement_custom_resource_class').set({ name: newName }).where('name', '=', name).execute();
      await trx.updateTable('placement_inventory').set({ resource_class: newName }).where('resource_class', '=', name).execute();
      await trx.updateTable('placement_allocation').set({ resource_class: newName }).where('resource_class', '=', name).execute();
    });
  }

  async deleteResourceClass(name: string): Promise<void> {
    if (STANDARD_CLASS_SET.has(name)) throw placementErrors.standardClassDelete(name);
    await this.writer.write(async (trx) => {
      const row = await trx.selectFrom('placement_custom_resource_class').select('name').where('name', '=', name).executeTakeFirst();
      if (!row) throw placementErrors.noResourceClass(name);
      const used = await trx.selectFrom('placement_inventory').select('provider_uuid').where('resource_class', '=', name).executeTakeFirst();
      if (used) throw placementErrors.resourceClassInUse(name);
      await trx.deleteFrom('placement_custom_resource_class').where('name', '=', name).execute();
    });
  }

  /** 400 naming the first class that does not exist. */
  async requireResourceClasses(names: string[]): Promise<void> {
    for (const name of names) {
      if (!(await this.resourceClassExists(name))) throw placementErrors.unknownResourceClass(name);
    }
  }

  /** Standard and custom traits, filtered as GET /traits does. */
  async listTraits(filter: { names?: string[]; prefix?: string; associated?: boolean } = {}): Promise<string[]> {
    const custom = await this.writer.db.selectFrom('placement_custom_trait').select('name').execute();
    let all = [...STANDARD_TRAITS, ...custom.map((r) => r.name)];
    if (filter.names) {
      const wanted = new Set(filter.names);
      all = all.filter((t) => wanted.has(t));
    }
    if (filter.prefix !== undefined) all = all.filter((t) => t.startsWith(filter.prefix as string));
    if (filter.associated !== undefined) {
      const rows = await this.writer.db.selectFrom('placement_provider_trait').select('trait').distinct().execute();
      const associated = new Set(rows.map((r) => r.trait));
      all = all.filter((t) => associated.has(t) === filter.associated);
    }
    return all.sort();
  }

  async traitExists(name: string): Promise<boolean> {
    if (STANDARD_TRAIT_SET.has(name)) return true;
    return Boolean(await this.writer.db.selectFrom('placement_custom_trait').select('name').where('name', '=', name).executeTakeFirst());
  }

  /** PUT /traits/{name}: true when created, false when it existed. */
  async createTrait(name: string): Promise<boolean> {
    if (STANDARD_TRAIT_SET.has(name)) return false;
    if (!CUSTOM_NAME.test(name)) throw placementErrors.invalidTrait();
    try {
      await this.writer.db.insertInto('placement_custom_trait').values({ name, created_at: new Date().toISOString() }).execute();
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async deleteTrait(name: string): Promise<void> {
    if (STANDARD_TRAIT_SET.has(name)) throw placementErrors.standardTraitDelete(name);
    await this.writer.write(async (trx) => {
      const row = await trx.selectFrom('placement_custom_trait').select('name').where('name', '=', name).executeTakeFirst();
      if (!row) throw placementErrors.noTrait(name);
      const used = await trx.selectFrom('placement_provider_trait').select('provider_uuid').where('trait', '=', name).executeTakeFirst();
      if (used) throw placementErrors.traitInUse(name);
      await trx.deleteFrom('placement_custom_trait').where('name', '=', name).execute();
    });
  }

  /** 400 naming every trait that does not exist. */
  async requireTraits(names: string[]): Promise<void> {
    const missing: string[] = [];
    for (const name of names) if (!(await this.traitExists(name))) missing.push(name);
    if (missing.length > 0) throw placementErrors.unknownTraits(missing);
  }
}
