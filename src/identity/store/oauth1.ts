/** OS-OAUTH1 consumers. */
import type { Insertable, Updateable } from 'kysely';

import type { IdentityDb } from './index.js';
import type { Consumer, ConsumerTable } from './tables.js';
import { identityErrors } from '../errors.js';

export async function insertConsumer(db: IdentityDb, row: Insertable<ConsumerTable>): Promise<void> {
  await db.insertInto('consumer').values(row).execute();
}

export async function getConsumerOrThrow(db: IdentityDb, id: string): Promise<Consumer> {
  const consumer = await db.selectFrom('consumer').selectAll().where('id', '=', id).executeTakeFirst();
  if (!consumer) throw identityErrors.notFoundMessage('Consumer not found');
  return consumer;
}

export async function listConsumers(db: IdentityDb): Promise<Consumer[]> {
  return db.selectFrom('consumer').selectAll().orderBy('id').execute();
}

export async function updateConsumer(db: IdentityDb, id: string, patch: Updateable<ConsumerTable>): Promise<void> {
  await db.updateTable('consumer').set(patch).where('id', '=', id).execute();
}

export async function deleteConsumer(db: IdentityDb, id: string): Promise<void> {
  await db.deleteFrom('consumer').where('id', '=', id).execute();
}
