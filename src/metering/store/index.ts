/**
 * The metering service's tables: polling claims (which process polls a
 * pollster group in a cycle) and the published resources with their owners.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../core/db/database.js';
import { nowIso } from '../../core/time.js';
import type { OwnerKind } from '../samples.js';

/** A type alias (not an interface) so Kysely's withTables accepts it. */
type MeteringTables = {
  metering_poll_claim: { source: string; cycle: number | string; owner: string; claimed_at: string };
  metering_resource: { resource_id: string; resource_type: string; owner_kind: string; owner_id: string };
};

export interface PublishedResource {
  resourceId: string;
  resourceType: string;
  owner: { kind: OwnerKind; id: string };
}

export class MeteringStore {
  readonly #db: Kysely<MeteringTables>;

  constructor(db: Database) {
    this.#db = db.kysely.withTables<MeteringTables>();
  }

  /**
   * Claims cycle `cycle` of `source` for `owner`: true for exactly one caller
   * per cycle across every process sharing the database (a conditional
   * update that only a cycle later than the stored one passes).
   */
  async claimCycle(source: string, cycle: number, owner: string): Promise<boolean> {
    await this.#db
      .insertInto('metering_poll_claim')
      .values({ source, cycle: -1, owner, claimed_at: nowIso() })
      .onConflict((oc) => oc.column('source').doNothing())
      .execute();
    const result = await this.#db
      .updateTable('metering_poll_claim')
      .set({ cycle, owner, claimed_at: nowIso() })
      .where('source', '=', source)
      .where('cycle', '<', cycle)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Records resources as published (a resource keeps its first owner). */
  async remember(resources: PublishedResource[]): Promise<void> {
    if (resources.length === 0) return;
    await this.#db
      .insertInto('metering_resource')
      .values(resources.map((r) => ({ resource_id: r.resourceId, resource_type: r.resourceType, owner_kind: r.owner.kind, owner_id: r.owner.id })))
      .onConflict((oc) => oc.column('resource_id').doNothing())
      .execute();
  }

  /** Owner ids of `kind` that have published resources. */
  async owners(kind: OwnerKind): Promise<string[]> {
    const rows = await this.#db.selectFrom('metering_resource').select('owner_id').distinct().where('owner_kind', '=', kind).execute();
    return rows.map((r) => r.owner_id);
  }

  async resourcesOf(kind: OwnerKind, ownerId: string): Promise<Array<{ resourceId: string; resourceType: string }>> {
    const rows = await this.#db
      .selectFrom('metering_resource')
      .select(['resource_id', 'resource_type'])
      .where('owner_kind', '=', kind)
      .where('owner_id', '=', ownerId)
      .execute();
    return rows.map((r) => ({ resourceId: r.resource_id, resourceType: r.resource_type }));
  }

  async forget(resourceId: string): Promise<void> {
    await this.#db.deleteFrom('metering_resource').where('resource_id', '=', resourceId).execute();
  }
}
