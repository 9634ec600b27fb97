/**
 * The image listing, as Glance's `image_get_all` selects it: what the caller
 * may see (owned, public, community, shared with its project in the asked
 * member status; everything for an admin), the visibility filter with
 * Glance's community rule, column filters, tags and properties (all must
 * match), then one keyset page.
 */
import type { ExpressionBuilder, Expression, SqlBool } from 'kysely';
import { applyFilters, paginate, type Filter, type FilterSpec, type ListParams, type Page } from '../../core/pagination/index.js';
import type { ImageDb } from './db.js';
import { withDetails } from './images.js';
import type { Image, ImageTables, MemberStatus, Visibility } from './tables.js';

export const IMAGE_SORT_KEYS = ['name', 'status', 'container_format', 'disk_format', 'size', 'id', 'created_at', 'updated_at'] as const;
export type ImageSortKey = (typeof IMAGE_SORT_KEYS)[number];

/** The columns a listing filters on, with Glance's operators where it allows them. */
export const IMAGE_FILTERS = {
  id: { kind: 'string', ops: ['in'] },
  name: { kind: 'string', ops: ['in'] },
  status: { kind: 'string', ops: ['in'] },
  container_format: { kind: 'string', ops: ['in'] },
  disk_format: { kind: 'string', ops: ['in'] },
  created_at: { kind: 'datetime', ops: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] },
  updated_at: { kind: 'datetime', ops: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] },
  owner: { kind: 'string' },
  size: { kind: 'integer' },
  virtual_size: { kind: 'integer' },
  min_disk: { kind: 'integer' },
  min_ram: { kind: 'integer' },
  checksum: { kind: 'string' },
  os_hash_value: { kind: 'string' },
  os_hash_algo: { kind: 'string' },
  protected: { kind: 'boolean' },
  os_hidden: { kind: 'boolean' },
} as const satisfies FilterSpec;

/** Who lists: an admin sees every image, anyone else what Glance's visibility rules show. */
export interface Viewer {
  projectId: string | null;
  isAdmin: boolean;
}

export interface ImageListQuery {
  viewer: Viewer;
  /** Shared images are listed when the viewer's membership has this status. */
  memberStatus: MemberStatus | 'all';
  /** null: Glance's default (community images only when owned). */
  visibility: Visibility | 'all' | null;
  filters: Filter[];
  /** Every tag must be on the image. */
  tags: string[];
  /** Every property must have exactly this value. */
  properties: Record<string, string>;
  params: ListParams<ImageSortKey>;
}

type Eb = ExpressionBuilder<ImageTables, 'image'>;

export async function listImages(db: ImageDb, query: ImageListQuery): Promise<Page<Image>> {
  const { viewer } = query;
  const visible = db
    .selectFrom('image')
    .selectAll('image')
    .where((eb) => visibleTo(eb, viewer, query.memberStatus));
  let listing = visible.where((eb) => visibilityFilter(eb, viewer, query.visibility));
  listing = applyFilters(listing, query.filters, IMAGE_FILTERS);
  for (const tag of query.tags) {
    listing = listing.where(({ exists, selectFrom }) =>
      exists(selectFrom('image_tag').select('image_tag.image_id').whereRef('image_tag.image_id', '=', 'image.id').where('image_tag.value', '=', tag)),
    );
  }
  for (const [name, value] of Object.entries(query.properties)) {
    listing = listing.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('image_property')
          .select('image_property.image_id')
          .whereRef('image_property.image_id', '=', 'image.id')
          .where('image_property.name', '=', name)
          .where('image_property.value', '=', value),
      ),
    );
  }
  // The marker may be any image the caller can see, whatever the filters (Glance's `_image_get`).
  const markerScope = db
    .selectFrom('image')
    .selectAll('image')
    .where((eb) => visibleTo(eb, viewer, 'all'));
  const page = await paginate(listing, query.params, { id: 'id', markerScope });
  return { ...page, rows: await withDetails(db, page.rows) };
}

/** Glance's `_select_images_query`: owned, public, community, or shared with the viewer's project. */
function visibleTo(eb: Eb, viewer: Viewer, memberStatus: MemberStatus | 'all'): Expression<SqlBool> {
  if (viewer.isAdmin) return eb.lit(true);
  const alternatives: Array<Expression<SqlBool>> = [eb('image.visibility', 'in', ['public', 'community'])];
  if (viewer.projectId !== null) {
    const projectId = viewer.projectId;
    alternatives.push(eb('image.owner', '=', projectId));
    let membership = eb
      .selectFrom('image_member')
      .select('image_member.image_id')
      .whereRef('image_member.image_id', '=', 'image.id')
      .where('image_member.member_id', '=', projectId);
    if (memberStatus !== 'all') membership = membership.where('image_member.status', '=', memberStatus);
    alternatives.push(eb.and([eb('image.visibility', '=', 'shared'), eb.exists(membership)]));
  }
  return eb.or(alternatives);
}

/**
 * A visibility asked for lists only those images (`all`: any); without one,
 * community images are listed only to their owner.
 */
function visibilityFilter(eb: Eb, viewer: Viewer, visibility: Visibility | 'all' | null): Expression<SqlBool> {
  if (visibility === 'all') return eb.lit(true);
  if (visibility !== null) return eb('image.visibility', '=', visibility);
  if (viewer.projectId === null) return eb('image.visibility', '<>', 'community');
  return eb.or([eb('image.owner', '=', viewer.projectId), eb('image.visibility', '<>', 'community')]);
}
