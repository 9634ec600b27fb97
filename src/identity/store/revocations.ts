/** Revocation events: what makes a still-unexpired token invalid. */
import type { Insertable } from 'kysely';
import type { IdentityDb } from './index.js';
import type { RevocationEventTable } from './tables.js';

export async function insertRevocationEvent(db: IdentityDb, row: Insertable<RevocationEventTable>): Promise<void> {
  await db.insertInto('revocation_event').values(row).execute();
}

export interface TokenFacts {
  /** The token's own audit id (the first of its audit_ids). */
  auditId: string;
  userId: string;
  projectId: string | null;
  domainId: string | null;
  /** ISO time the token was issued. */
  issuedAt: string;
}

/** True when some event revokes a token with these facts. */
export async function isRevoked(db: IdentityDb, token: TokenFacts): Promise<boolean> {
  const row = await db
    .selectFrom('revocation_event')
    .select('id')
    .where('issued_before', '>=', token.issuedAt)
    .where((eb) => {
      const matches = [eb('audit_id', '=', token.auditId), eb.and([eb('user_id', '=', token.userId), eb('audit_id', 'is', null)])];
      if (token.projectId) matches.push(eb.and([eb('project_id', '=', token.projectId), eb('user_id', 'is', null)]));
      if (token.domainId) matches.push(eb.and([eb('domain_id', '=', token.domainId), eb('user_id', 'is', null)]));
      return eb.or(matches);
    })
    .executeTakeFirst();
  return row !== undefined;
}

/** Events older than the longest token lifetime can match nothing any more. */
export async function purgeRevocationEvents(db: IdentityDb, before: string): Promise<void> {
  await db.deleteFrom('revocation_event').where('revoked_at', '<', before).execute();
}
