/**
 * Resource providers: the tree (parent, root), names, and what hangs off a
 * provider by name: its traits and aggregates.
 */
import { randomUUID } from 'node:crypto';
import { isForeignKeyViolation } from '../../core/db/constraint-errors.js';
import { Conflict } from '../../core/errors.js';
import { placementErrors } from '../errors.js';
import type { ResourceProviderSpec } from '../operations.js';
import {
  chunks,
  getProviderRow,
  lockProviders,
  membersOf,
  num,
  replaceMembers,
  searchProviders,
  type MemberTable,
  type PlacementDb,
  type ProviderFilter,
  type ProviderRow,
} from '../store/index.js';
import type { NameCatalog } from './catalog.js';
import { RetryTransaction, retryOnDuplicate, type PlacementWriter } from './transactions.js';

/** What a provider lists by name: its traits or its aggregates, each set versioned by the provider's generation. */
export type ProviderMemberKind = 'traits' | 'aggregates';

const MEMBER_TABLES: Record<ProviderMemberKind, MemberTable> = {
  traits: 'placement_provider_trait',
  aggregates: 'placement_provider_aggregate',
};

export class ProviderService {
  constructor(
    private readonly writer: PlacementWriter,
    private readonly catalog: NameCatalog,
  ) {}

  async getProvider(uuid: string): Promise<ProviderRow> {
    const row = await getProviderRow(this.writer.db, uuid);
    if (!row) throw placementErrors.providerNotFound(uuid);
    return row;
  }

  async findProvider(uuid: string): Promise<ProviderRow | null> {
    return getProviderRow(this.writer.db, uuid);
  }

  async listProviders(filter: ProviderFilter): Promise<ProviderRow[]> {
    return searchProviders(this.writer.db, filter, { dialect: this.writer.dialect });
  }

  /** POST /resource_providers: 409 on a duplicate name or uuid; 400 on an unknown parent. */
  async createProvider(spec: { uuid?: string; name: string; parentProviderUuid?: string | null }): Promise<ProviderRow> {
    const uuid = spec.uuid ?? randomUUID();
    return this.writer.write(async (trx) => {
      if (await getProviderRow(trx, uuid)) throw placementErrors.duplicateProvider('uuid', uuid);
      const byName = await trx.selectFrom('placement_resource_provider').select('uuid').where('name', '=', spec.name).executeTakeFirst();
      if (byName) throw placementErrors.duplicateProvider('name', spec.name);
      let root = uuid;
      if (spec.parentProviderUuid) {
        const parent = (await lockProviders(trx, this.writer.dialect, [spec.parentProviderUuid])).get(spec.parentProviderUuid);
        if (!parent) throw placementErrors.parentMissing(spec.parentProviderUuid);
        root = parent.rootProviderUuid;
      }
      const seq = await trx
        .selectFrom('placement_resource_provider')
        .select((eb) => eb.fn.max('seq').as('max'))
        .executeTakeFirst();
      const now = new Date().toISOString();
      await retryOnDuplicate(() =>
        trx
          .insertInto('placement_resource_provider')
          .values({
            uuid,
            seq: num(seq?.max as number | string | null) + 1,
            name: spec.name,
            generation: 0,
            parent_provider_uuid: spec.parentProviderUuid ?? null,
            root_provider_uuid: root,
            created_at: now,
            updated_at: now,
          })
          .execute(),
      );
      return { uuid, name: spec.name, generation: 0, parentProviderUuid: spec.parentProviderUuid ?? null, rootProviderUuid: root, seq: 0 };
    });
  }

  /**
   * PUT /resource_providers/{uuid}: a new name and (1.14+) parent. A parent may
   * be set where there was none; from 1.37 it may change or be removed, as
   * long as the provider does not end up under its own descendant.
   */
  async updateProvider(uuid: string, update: { name: string; parentProviderUuid?: string | null; allowReparent?: boolean }): Promise<ProviderRow> {
    return this.writer.write(async (trx) => {
      const current = (await lockProviders(trx, this.writer.dialect, [uuid])).get(uuid);
      if (!current) throw placementErrors.providerNotFound(uuid);
      if (update.name !== current.name) {
        const byName = await trx.selectFrom('placement_resource_provider').select('uuid').where('name', '=', update.name).executeTakeFirst();
        if (byName) throw placementErrors.duplicateProvider('name', update.name);
      }
      let parent = current.parentProviderUuid;
      let root = current.rootProviderUuid;
      if (update.parentProviderUuid !== undefined && update.parentProviderUuid !== current.parentProviderUuid) {
        if (current.parentProviderUuid !== null && !update.allowReparent) {
          throw placementErrors.reparentRefused();
        }
        if (update.parentProviderUuid === null) {
          if (!update.allowReparent) throw placementErrors.unparentRefused();
          parent = null;
          root = uuid;
        } else {
          const target = await getProviderRow(trx, update.parentProviderUuid);
          if (!target) throw placementErrors.parentMissing(update.parentProviderUuid);
          if (await this.isInSubtree(trx, update.parentProviderUuid, uuid)) {
            throw placementErrors.treeLoop();
          }
          parent = target.uuid;
          root = target.rootProviderUuid;
        }
      }
      await retryOnDuplicate(() =>
        trx
          .updateTable('placement_resource_provider')
          .set({ name: update.name, parent_provider_uuid: parent, root_provider_uuid: root, updated_at: new Date().toISOString() })
          .where('uuid', '=', uuid)
          .execute(),
      );
      if (root !== current.rootProviderUuid) await this.setRootOfSubtree(trx, uuid, root);
      return { ...current, name: update.name, parentProviderUuid: parent, rootProviderUuid: root };
    });
  }

  /** True when `candidate` is `ancestor` or lies below it. */
  private async isInSubtree(trx: PlacementDb, candidate: string, ancestor: string): Promise<boolean> {
    let cursor: string | null = candidate;
    for (let depth = 0; cursor && depth < 1000; depth++) {
      if (cursor === ancestor) return true;
      const row: ProviderRow | null = await getProviderRow(trx, cursor);
      cursor = row?.parentProviderUuid ?? null;
    }
    return false;
  }

  private async setRootOfSubtree(trx: PlacementDb, top: string, root: string): Promise<void> {
    let level = [top];
    while (level.length > 0) {
      for (const part of chunks(level)) {
        await trx.updateTable('placement_resource_provider').set({ root_provider_uuid: root }).where('uuid', 'in', part).execute();
      }
      const next: string[] = [];
      for (const part of chunks(level)) {
        const rows = await trx.selectFrom('placement_resource_provider').select('uuid').where('parent_provider_uuid', 'in', part).execute();
        next.push(...rows.map((r) => r.uuid));
      }
      level = next;
    }
  }

  async ensureProvider(spec: ResourceProviderSpec): Promise<void> {
    const existing = await getProviderRow(this.writer.db, spec.uuid);
    if (!existing) {
      try {
        await this.createProvider({ uuid: spec.uuid, name: spec.name, parentProviderUuid: spec.parentProviderUuid ?? null });
        return;
      } catch (error) {
        // Created meanwhile by a concurrent caller: fall through to the rename.
        if (!(error instanceof Conflict) || !(await getProviderRow(this.writer.db, spec.uuid))) throw error;
      }
    }
    const current = await this.getProvider(spec.uuid);
    const parentChanged = spec.parentProviderUuid !== undefined && spec.parentProviderUuid !== current.parentProviderUuid;
    if (current.name !== spec.name || parentChanged) {
      await this.updateProvider(spec.uuid, {
        name: spec.name,
        ...(parentChanged && { parentProviderUuid: spec.parentProviderUuid ?? null }),
        allowReparent: true,
      });
    }
  }

  async deleteProvider(providerUuid: string): Promise<void> {
    await this.writer.write(async (trx) => {
      const current = (await lockProviders(trx, this.writer.dialect, [providerUuid])).get(providerUuid);
      if (!current) throw placementErrors.providerNotFound(providerUuid);
      const allocation = await trx.selectFrom('placement_allocation').select('consumer_uuid').where('provider_uuid', '=', providerUuid).executeTakeFirst();
      if (allocation) throw placementErrors.providerInUse(providerUuid);
      const child = await trx.selectFrom('placement_resource_provider').select('uuid').where('parent_provider_uuid', '=', providerUuid).executeTakeFirst();
      if (child) throw placementErrors.providerHasChildren(providerUuid);
      try {
        await trx.deleteFrom('placement_resource_provider').where('uuid', '=', providerUuid).execute();
      } catch (error) {
        // An allocation or child arrived after the checks (SQLite never, PostgreSQL rarely).
        if (isForeignKeyViolation(error)) throw new RetryTransaction();
        throw error;
      }
    });
  }

  /** A provider's traits or aggregates, with the generation they belong to. */
  async getMembers(kind: ProviderMemberKind, providerUuid: string): Promise<{ generation: number; members: string[] }> {
    const provider = await this.getProvider(providerUuid);
    return { generation: provider.generation, members: (await membersOf(this.writer.db, MEMBER_TABLES[kind], [providerUuid])).get(providerUuid) ?? [] };
  }

  /** Replaces a provider's traits (which must exist) or aggregates; returns the new generation. */
  async replaceMembers(kind: ProviderMemberKind, providerUuid: string, members: string[], expectedGeneration?: number): Promise<number> {
    const wanted = [...new Set(members)];
    if (kind === 'traits') await this.catalog.requireTraits(wanted);
    return this.writer.changeProvider(providerUuid, expectedGeneration, (trx) => replaceMembers(trx, MEMBER_TABLES[kind], providerUuid, wanted));
  }
}
