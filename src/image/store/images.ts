/** Image rows with their properties and tags. */
import { isUniqueViolation } from '../../core/db/constraint-errors.js';
import { toBool } from '../../core/db/values.js';
import type { ImageDb } from './db.js';
import type { Image, ImageRow, ImageStatus, ImageUpdate, NewImageRow } from './tables.js';
import { imageErrors } from '../errors.js';

export async function insertImage(db: ImageDb, row: NewImageRow, properties: Record<string, string>, tags: readonly string[]): Promise<void> {
  try {
    await db.insertInto('image').values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw imageErrors.duplicateImage(row.id);
    throw error;
  }
  await setProperties(db, row.id, properties, []);
  if (tags.length > 0)
    await db
      .insertInto('image_tag')
      .values(tags.map((value) => ({ image_id: row.id, value })))
      .execute();
}

export async function getImage(db: ImageDb, id: string): Promise<Image | undefined> {
  const row = await db.selectFrom('image').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return (await withDetails(db, [row]))[0];
}

/** The rows as `Image`s, with their properties and tags (two queries for any number of rows). */
export async function withDetails(db: ImageDb, rows: readonly ImageRow[]): Promise<Image[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [properties, tags] = await Promise.all([
    db.selectFrom('image_property').selectAll().where('image_id', 'in', ids).orderBy('name').execute(),
    db.selectFrom('image_tag').selectAll().where('image_id', 'in', ids).orderBy('value').execute(),
  ]);
  const propsOf = new Map<string, Record<string, string>>();
  for (const p of properties) {
    const props = propsOf.get(p.image_id) ?? {};
    props[p.name] = p.value;
    propsOf.set(p.image_id, props);
  }
  const tagsOf = new Map<string, string[]>();
  for (const t of tags) tagsOf.set(t.image_id, [...(tagsOf.get(t.image_id) ?? []), t.value]);
  return rows.map((row) => toImage(row, propsOf.get(row.id) ?? {}, tagsOf.get(row.id) ?? []));
}

function toImage(row: ImageRow, properties: Record<string, string>, tags: string[]): Image {
  return {
    ...row,
    size: toNumberOrNull(row.size),
    virtual_size: toNumberOrNull(row.virtual_size),
    quota_mib: Number(row.quota_mib),
    protected: toBool(row.protected),
    os_hidden: toBool(row.os_hidden),
    properties,
    tags,
  };
}

function toNumberOrNull(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

/**
 * Changes the image's columns; with `fromStatus`, only while the image is in
 * one of those states (a compare-and-swap). Returns whether a row changed:
 * false when the image is gone or in another state.
 */
export async function updateImage(db: ImageDb, id: string, changes: ImageUpdate, fromStatus?: readonly ImageStatus[]): Promise<boolean> {
  let query = db.updateTable('image').set(changes).where('id', '=', id);
  if (fromStatus !== undefined) query = query.where('status', 'in', fromStatus);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Sets (insert or replace) and removes extra properties. */
export async function setProperties(db: ImageDb, id: string, set: Record<string, string>, remove: readonly string[]): Promise<void> {
  if (remove.length > 0) await db.deleteFrom('image_property').where('image_id', '=', id).where('name', 'in', remove).execute();
  const entries = Object.entries(set);
  if (entries.length === 0) return;
  await db
    .insertInto('image_property')
    .values(entries.map(([name, value]) => ({ image_id: id, name, value })))
    .onConflict((oc) => oc.columns(['image_id', 'name']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })))
    .execute();
}

export async function replaceTags(db: ImageDb, id: string, tags: readonly string[]): Promise<void> {
  await db.deleteFrom('image_tag').where('image_id', '=', id).execute();
  if (tags.length > 0)
    await db
      .insertInto('image_tag')
      .values(tags.map((value) => ({ image_id: id, value })))
      .execute();
}

export async function addTag(db: ImageDb, id: string, tag: string): Promise<void> {
  await db
    .insertInto('image_tag')
    .values({ image_id: id, value: tag })
    .onConflict((oc) => oc.columns(['image_id', 'value']).doNothing())
    .execute();
}

/** Returns whether the tag was there. */
export async function removeTag(db: ImageDb, id: string, tag: string): Promise<boolean> {
  const result = await db.deleteFrom('image_tag').where('image_id', '=', id).where('value', '=', tag).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Deletes the image with its properties, tags and members; returns whether it existed. */
export async function deleteImage(db: ImageDb, id: string): Promise<boolean> {
  // Explicit rather than relying on ON DELETE CASCADE, which SQLite honours only with foreign_keys on.
  await db.deleteFrom('image_property').where('image_id', '=', id).execute();
  await db.deleteFrom('image_tag').where('image_id', '=', id).execute();
  await db.deleteFrom('image_member').where('image_id', '=', id).execute();
  const result = await db.deleteFrom('image').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Images left in `saving` by an upload whose process stopped renewing its
 * lease (it crashed): back to `queued`, as Glance restores a failed upload.
 * Returns their ids with the lease that lapsed.
 */
export async function releaseExpiredUploads(db: ImageDb, now: string): Promise<Array<{ id: string; leaseUntil: string }>> {
  const expired = await db
    .selectFrom('image')
    .select(['id', 'upload_lease_until'])
    .where('status', '=', 'saving')
    .where('upload_lease_until', '<', now)
    .execute();
  const released: Array<{ id: string; leaseUntil: string }> = [];
  for (const { id, upload_lease_until: leaseUntil } of expired) {
    const changed = await db
      .updateTable('image')
      .set({ status: 'queued', upload_lease_until: null, size: null, virtual_size: null, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'saving')
      .where('upload_lease_until', '<', now)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) > 0) released.push({ id, leaseUntil: leaseUntil as string });
  }
  return released;
}

/** For `/v2/info/usage`: images of the project with an upload under way, and bytes staged. */
export async function uploadUsage(db: ImageDb, owner: string): Promise<{ uploading: number; stagedBytes: number }> {
  const rows = await db
    .selectFrom('image')
    .select(['status', 'size'])
    .where('owner', '=', owner)
    .where('status', 'in', ['saving', 'uploading', 'importing'])
    .execute();
  const stagedBytes = rows.filter((r) => r.status !== 'saving').reduce((sum, r) => sum + Number(r.size ?? 0), 0);
  return { uploading: rows.length, stagedBytes };
}
