/** Glance's task records of image imports. */
import type { Insertable, Updateable } from 'kysely';
import type { ImageDb } from './db.js';
import type { ImageTaskRow, ImageTaskTable } from './tables.js';

export async function insertTask(db: ImageDb, row: Insertable<ImageTaskTable>): Promise<void> {
  await db.insertInto('image_task').values(row).execute();
}

export async function getTask(db: ImageDb, id: string): Promise<ImageTaskRow | undefined> {
  return db.selectFrom('image_task').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listTasksOfImage(db: ImageDb, imageId: string): Promise<ImageTaskRow[]> {
  return db.selectFrom('image_task').selectAll().where('image_id', '=', imageId).orderBy('created_at').orderBy('id').execute();
}

/** Every task, newest first, at most `limit`; `owner` restricts them to one project. */
export async function listTasks(db: ImageDb, options: { owner?: string; limit: number }): Promise<ImageTaskRow[]> {
  let query = db.selectFrom('image_task').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit);
  if (options.owner !== undefined) query = query.where('owner', '=', options.owner);
  return query.execute();
}

export async function updateTask(db: ImageDb, id: string, changes: Updateable<ImageTaskTable>): Promise<void> {
  await db.updateTable('image_task').set(changes).where('id', '=', id).execute();
}
