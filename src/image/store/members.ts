/** Image members: the projects a shared image is offered to, and their answers. */
import { isUniqueViolation } from '../../core/db/constraint-errors.js';
import type { ImageDb } from './db.js';
import type { ImageMember, MemberStatus } from './tables.js';
import { imageErrors } from '../errors.js';

export async function insertMember(db: ImageDb, member: ImageMember): Promise<void> {
  try {
    await db.insertInto('image_member').values(member).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw imageErrors.duplicateMember(member.member_id, member.image_id);
    throw error;
  }
}

export async function getMember(db: ImageDb, imageId: string, memberId: string): Promise<ImageMember | undefined> {
  return db.selectFrom('image_member').selectAll().where('image_id', '=', imageId).where('member_id', '=', memberId).executeTakeFirst();
}

/** The image's members, oldest first; only `onlyMember`'s membership when given (a consumer's view). */
export async function listMembers(db: ImageDb, imageId: string, onlyMember?: string): Promise<ImageMember[]> {
  let query = db.selectFrom('image_member').selectAll().where('image_id', '=', imageId).orderBy('created_at').orderBy('member_id');
  if (onlyMember !== undefined) query = query.where('member_id', '=', onlyMember);
  return query.execute();
}

export async function countMembers(db: ImageDb, imageId: string): Promise<number> {
  const row = await db
    .selectFrom('image_member')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('image_id', '=', imageId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function updateMemberStatus(db: ImageDb, imageId: string, memberId: string, status: MemberStatus, now: string): Promise<boolean> {
  const result = await db
    .updateTable('image_member')
    .set({ status, updated_at: now })
    .where('image_id', '=', imageId)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteMember(db: ImageDb, imageId: string, memberId: string): Promise<boolean> {
  const result = await db.deleteFrom('image_member').where('image_id', '=', imageId).where('member_id', '=', memberId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
