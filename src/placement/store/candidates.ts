/**
 * The provider search behind GET /resource_providers filters and allocation
 * candidates: one SQL query whatever the filters, every condition an EXISTS
 * over an indexed table. Capacity is read from `placement_inventory.used`
 * (kept by the allocating transaction), so no aggregation over allocations.
 */
import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { Dialect } from '../../core/db/database.js';
import type { ResourceAmounts } from '../operations.js';
import { chunks, toProvider, type ProviderRow } from './providers.js';
import type { PlacementDb, PlacementTables } from './tables.js';

export interface ProviderFilter {
  uuid?: string;
  name?: string;
  /** Every class must fit on the provider itself: capacity left, min/max unit, step size. */
  resources?: ResourceAmounts;
  requiredTraits?: string[];
  forbiddenTraits?: string[];
  /** Each inner list: the provider has at least one of these traits (1.39 `in:`). */
  anyOfTraits?: string[][];
  /** Each inner list: the provider is in at least one of these aggregates. */
  memberOf?: string[][];
  /** The provider is in none of these aggregates (`!in:`). */
  forbiddenAggregates?: string[];
  /** Only providers in the tree this provider belongs to. */
  inTree?: string;
  /** Only these providers (e.g. a tree's members). */
  uuids?: string[];
  /** Traits the provider's root must have / must not have (1.35 `root_required`). */
  rootRequiredTraits?: string[];
  rootForbiddenTraits?: string[];
}

export interface SearchOptions {
  limit?: number;
  randomize?: boolean;
  /** Picks the query shape each engine plans best (see below). */
  dialect?: Dialect;
}

type Eb = ExpressionBuilder<FilterTables, 'p'>;

/**
 * Providers matching the filter. With `resources`, the search starts from the
 * inventories and orders by provider uuid (or randomly); the provider rows of
 * the (limited) result are read afterwards. Without, it lists providers in
 * creation order.
 */
export async function searchProviders(db: PlacementDb, filter: ProviderFilter, options: SearchOptions = {}): Promise<ProviderRow[]> {
  if (filter.uuids !== undefined && filter.uuids.length === 0) return [];
  const resources = Object.entries(filter.resources ?? {});
  if (resources.length === 0) {
    let query = db.selectFrom('placement_resource_provider as p').selectAll('p');
    query = applyFilters(query, filter);
    query = options.randomize ? query.orderBy(sql`random()`) : query.orderBy('p.seq').orderBy('p.uuid');
    if (options.limit !== undefined) query = query.limit(options.limit);
    return (await query.execute()).map(toProvider);
  }
  const fitting = options.dialect === 'sqlite' ? drivenByFirstClass(db, resources) : groupedOverClasses(db, resources);
  // The other filters are EXISTS on `p.uuid`: alias the grouped rows as `p`.
  let query = db.selectFrom(fitting.as('p')).select('p.uuid');
  query = applyFilters(query, filter);
  query = options.randomize ? query.orderBy(sql`random()`) : query.orderBy('p.uuid');
  if (options.limit !== undefined) query = query.limit(options.limit);
  const uuids = (await query.execute()).map((r) => r.uuid);
  const rows = new Map<string, ProviderRow>();
  for (const part of chunks(uuids)) {
    for (const row of await db.selectFrom('placement_resource_provider').selectAll().where('uuid', 'in', part).execute()) {
      rows.set(row.uuid, toProvider(row));
    }
  }
  return uuids.flatMap((uuid) => rows.get(uuid) ?? []);
}

type Resources = Array<[string, number]>;

/** One inventory row (alias `alias`) that can take `amount` of its class. */
function fitsAmount(
  eb: ExpressionBuilder<PlacementTables & Record<string, PlacementTables['placement_inventory']>, string>,
  alias: string,
  resourceClass: string,
  amount: number,
) {
  const col = (name: string) => sql.ref(`${alias}.${name}`);
  return eb.and([
    sql<boolean>`${col('resource_class')} = ${resourceClass}`,
    sql<boolean>`${col('min_unit')} <= ${amount}`,
    sql<boolean>`${col('max_unit')} >= ${amount}`,
    sql<boolean>`(${col('step_size')} = 1 OR ${amount} % ${col('step_size')} = 0)`,
    sql<boolean>`(${col('total')} - ${col('reserved')}) * ${col('allocation_ratio')} - ${col('used')} >= ${amount}`,
  ]);
}

/**
 * PostgreSQL: one scan of the requested classes' inventory rows grouped by
 * provider (it qualifies when all N rows pass). The planner cannot misjudge
 * it, where EXISTS chains led it to nested loops on poor estimates.
 */
function groupedOverClasses(db: PlacementDb, resources: Resources) {
  return db
    .selectFrom('placement_inventory as i')
    .select('i.provider_uuid as uuid')
    .where((eb) => eb.or(resources.map(([rc, amount]) => fitsAmount(eb as never, 'i', rc, amount))))
    .groupBy('i.provider_uuid')
    .having((eb) => eb.fn.countAll(), '=', resources.length);
}

/**
 * SQLite: walk the first class's index in provider order, checking the other
 * classes by primary key; with a limit it stops as soon as it has enough.
 */
function drivenByFirstClass(db: PlacementDb, resources: Resources) {
  const [[firstClass, firstAmount], ...rest] = resources as [[string, number], ...Resources];
  let query = db
    .selectFrom('placement_inventory as i0')
    .select('i0.provider_uuid as uuid')
    .where((eb) => fitsAmount(eb as never, 'i0', firstClass, firstAmount));
  for (const [rc, amount] of rest) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('placement_inventory as i')
          .select(sql.lit(1).as('one'))
          .whereRef('i.provider_uuid', '=', 'i0.provider_uuid')
          .where((inner) => fitsAmount(inner as never, 'i', rc, amount)),
      ),
    );
  }
  return query;
}

/** The non-resource filters, each a condition on `p.uuid` (or `p.name`, `p.root_provider_uuid` on the provider table). */
function applyFilters<Q extends SelectQueryBuilder<FilterTables, 'p', object>>(query: Q, filter: ProviderFilter): Q {
  return applyFiltersTo(query, filter) as Q;
}

/** The tables the filters see: Placement's, and a `p` that has at least a provider uuid. */
type FilterTables = PlacementTables & { p: { uuid: string } };

function applyFiltersTo(query: SelectQueryBuilder<FilterTables, 'p', object>, filter: ProviderFilter) {
  if (filter.uuid !== undefined) query = query.where('p.uuid', '=', filter.uuid);
  if (filter.uuids !== undefined) query = query.where('p.uuid', 'in', filter.uuids);
  if (filter.name !== undefined) {
    const name = filter.name;
    query = query.where((eb: Eb) => eb('p.uuid', 'in', eb.selectFrom('placement_resource_provider as n').select('n.uuid').where('n.name', '=', name)));
  }
  if (filter.inTree !== undefined) {
    const tree = filter.inTree;
    query = query.where((eb: Eb) =>
      eb(
        'p.uuid',
        'in',
        eb
          .selectFrom('placement_resource_provider as m')
          .select('m.uuid')
          .where('m.root_provider_uuid', '=', eb.selectFrom('placement_resource_provider as t').select('t.root_provider_uuid').where('t.uuid', '=', tree)),
      ),
    );
  }
  for (const trait of filter.requiredTraits ?? []) {
    query = query.where((eb: Eb) => eb.exists(traitQuery(eb, [trait])));
  }
  for (const trait of filter.rootRequiredTraits ?? []) {
    query = query.where((eb: Eb) => eb('p.uuid', 'in', rootTraitQuery(eb, [trait], true)));
  }
  if (filter.rootForbiddenTraits?.length) {
    const forbidden = filter.rootForbiddenTraits;
    query = query.where((eb: Eb) => eb('p.uuid', 'in', rootTraitQuery(eb, forbidden, false)));
  }
  for (const anyOf of filter.anyOfTraits ?? []) {
    query = query.where((eb: Eb) => eb.exists(traitQuery(eb, anyOf)));
  }
  if (filter.forbiddenTraits?.length) {
    const forbidden = filter.forbiddenTraits;
    query = query.where((eb: Eb) => eb.not(eb.exists(traitQuery(eb, forbidden))));
  }
  for (const anyOf of filter.memberOf ?? []) {
    query = query.where((eb: Eb) => eb.exists(aggregateQuery(eb, anyOf)));
  }
  if (filter.forbiddenAggregates?.length) {
    const forbidden = filter.forbiddenAggregates;
    query = query.where((eb: Eb) => eb.not(eb.exists(aggregateQuery(eb, forbidden))));
  }
  return query;
}

function traitQuery(eb: Eb, traits: string[]) {
  return eb
    .selectFrom('placement_provider_trait as pt')
    .select(sql.lit(1).as('one'))
    .whereRef('pt.provider_uuid', '=', 'p.uuid')
    .where('pt.trait', 'in', traits);
}

/** Providers whose root has (or, with `present` false, has none of) the traits. */
function rootTraitQuery(eb: Eb, traits: string[], present: boolean) {
  return eb
    .selectFrom('placement_resource_provider as r')
    .select('r.uuid')
    .where((inner) => {
      const exists = inner.exists(
        inner
          .selectFrom('placement_provider_trait as rt')
          .select(sql.lit(1).as('one'))
          .whereRef('rt.provider_uuid', '=', 'r.root_provider_uuid')
          .where('rt.trait', 'in', traits),
      );
      return present ? exists : inner.not(exists);
    });
}

function aggregateQuery(eb: Eb, aggregates: string[]) {
  return eb
    .selectFrom('placement_provider_aggregate as pa')
    .select(sql.lit(1).as('one'))
    .whereRef('pa.provider_uuid', '=', 'p.uuid')
    .where('pa.aggregate_uuid', 'in', aggregates);
}
