/** OS-OAUTH1 consumers, request tokens and access tokens. */
import type { Insertable, Updateable } from 'kysely';

import type { IdentityDb } from './index.js';
import type { AccessToken, AccessTokenTable, Consumer, ConsumerTable, RequestToken, RequestTokenTable } from './tables.js';
import { identityErrors } from '../errors.js';

export async function insertConsumer(db: IdentityDb, row: Insertable<ConsumerTable>): Promise<void> {
  await db.insertInto('consumer').values(row).execute();
}

export async function getConsumer(db: IdentityDb, id: string): Promise<Consumer | undefined> {
  return db.selectFrom('consumer').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getConsumerOrThrow(db: IdentityDb, id: string): Promise<Consumer> {
  const consumer = await getConsumer(db, id);
  if (!consumer) throw identityErrors.notFoundMessage('Consumer not found');
  return consumer;
}

export async function listConsumers(db: IdentityDb): Promise<Consumer[]> {
  return db.selectFrom('consumer').selectAll().orderBy('id').execute();
}

export async function updateConsumer(db: IdentityDb, id: string, patch: Updateable<ConsumerTable>): Promise<void> {
  await db.updateTable('consumer').set(patch).where('id', '=', id).execute();
}

/** The consumer and every request and access token issued to it (Keystone's delete_consumer). */
export async function deleteConsumer(db: IdentityDb, id: string): Promise<void> {
  await db.deleteFrom('request_token').where('consumer_id', '=', id).execute();
  await db.deleteFrom('access_token').where('consumer_id', '=', id).execute();
  await db.deleteFrom('consumer').where('id', '=', id).execute();
}

export async function insertRequestToken(db: IdentityDb, row: Insertable<RequestTokenTable>): Promise<void> {
  await db.insertInto('request_token').values(row).execute();
}

export async function getRequestToken(db: IdentityDb, id: string): Promise<RequestToken | undefined> {
  return db.selectFrom('request_token').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function authorizeRequestToken(
  db: IdentityDb,
  id: string,
  patch: { authorizing_user_id: string; verifier: string; role_ids: string },
): Promise<void> {
  await db.updateTable('request_token').set(patch).where('id', '=', id).execute();
}

/** Removes a request token; false when it was already gone (a concurrent exchange won). */
export async function deleteRequestToken(db: IdentityDb, id: string): Promise<boolean> {
  const result = await db.deleteFrom('request_token').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function insertAccessToken(db: IdentityDb, row: Insertable<AccessTokenTable>): Promise<void> {
  await db.insertInto('access_token').values(row).execute();
}

export async function getAccessToken(db: IdentityDb, id: string): Promise<AccessToken | undefined> {
  return db.selectFrom('access_token').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listAccessTokens(db: IdentityDb, userId: string): Promise<AccessToken[]> {
  return db.selectFrom('access_token').selectAll().where('authorizing_user_id', '=', userId).orderBy('id').execute();
}

export async function deleteAccessToken(db: IdentityDb, id: string): Promise<void> {
  await db.deleteFrom('access_token').where('id', '=', id).execute();
}
