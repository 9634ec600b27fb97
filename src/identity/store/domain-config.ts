/** Domain-specific configuration options. */
import type { IdentityDb } from './index.js';
import type { DomainConfigOption } from './tables.js';

export interface ConfigSelector {
  group?: string;
  option?: string;
  sensitive?: boolean;
}

export async function listDomainConfig(db: IdentityDb, domainId: string, where: ConfigSelector = {}): Promise<DomainConfigOption[]> {
  let query = db.selectFrom('domain_config').selectAll().where('domain_id', '=', domainId).orderBy('group_name').orderBy('option_name');
  if (where.group !== undefined) query = query.where('group_name', '=', where.group);
  if (where.option !== undefined) query = query.where('option_name', '=', where.option);
  if (where.sensitive !== undefined) query = query.where('sensitive', '=', where.sensitive);
  return query.execute();
}

/** Writes each option, replacing the value of one already set. */
export async function putDomainConfigOptions(
  db: IdentityDb,
  domainId: string,
  options: Array<{ group: string; option: string; value: unknown; sensitive: boolean }>,
): Promise<void> {
  for (const { group, option, value, sensitive } of options) {
    await deleteDomainConfig(db, domainId, { group, option });
    await db
      .insertInto('domain_config')
      .values({ domain_id: domainId, group_name: group, option_name: option, value: JSON.stringify(value), sensitive })
      .execute();
  }
}

export async function deleteDomainConfig(db: IdentityDb, domainId: string, where: ConfigSelector = {}): Promise<void> {
  let query = db.deleteFrom('domain_config').where('domain_id', '=', domainId);
  if (where.group !== undefined) query = query.where('group_name', '=', where.group);
  if (where.option !== undefined) query = query.where('option_name', '=', where.option);
  await query.execute();
}
