/**
 * Domain-specific configuration (/v3/domains/{id}/config): a domain's own
 * `identity` and `ldap` options, validated, stored and served as Keystone
 * does. Nimbus's identity driver stays SQL for every domain: the options
 * are kept for clients and tools that manage them, not acted on.
 */
import type { CallerContext } from '../../core/context.js';

import { Forbidden, NotFound } from '../../core/errors.js';
import type { Json, JsonObject } from '../../core/json.js';
import * as store from '../store/index.js';
import type { DomainConfigOption } from '../store/index.js';
import type { IdentityDeps } from './deps.js';
import { DOMAIN_CONFIG_DEFAULTS, isKnownGroup, isSensitive, isWhitelisted, READABLE_COMPLIANCE_OPTIONS } from './domain-config-options.js';

export type DomainConfig = Record<string, Record<string, Json>>;

const DEFAULT_DOMAIN_ID = 'default';

const invalid = (reason: string) => new Forbidden(`Invalid domain specific configuration: ${reason}.`);

function notFound(domainId: string, group?: string, option?: string): NotFound {
  const what = option !== undefined ? `option ${option} in group ${group}` : group !== undefined ? `group ${group}` : 'any options';
  return new NotFound(`Could not find ${what} in domain configuration for domain ${domainId}.`);
}

export class DomainConfigOps {
  constructor(private readonly deps: IdentityDeps) {}

  /** PUT: replaces the whole configuration; `created` when the domain had none. */
  async create(auth: CallerContext, domainId: string, config: unknown): Promise<{ config: DomainConfig; created: boolean }> {
    this.deps.authz.authorize(auth, 'create_domain_config');
    await store.getDomainOrThrow(this.deps.db, domainId);
    const valid = assertValidConfig(config);
    const created = await this.deps.db.transaction().execute(async (trx) => {
      const before = await store.listDomainConfig(trx, domainId);
      await store.deleteDomainConfig(trx, domainId);
      await store.putDomainConfigOptions(trx, domainId, optionList(valid));
      return before.length === 0;
    });
    return { config: toConfig(await store.listDomainConfig(this.deps.db, domainId, { sensitive: false })), created };
  }

  /** GET of the whole configuration, a group, or one option (sensitive options are never shown). */
  async get(auth: CallerContext, domainId: string, group?: string, option?: string): Promise<JsonObject> {
    if (group === 'security_compliance') return this.compliance(auth, domainId, option);
    this.deps.authz.authorize(auth, 'get_domain_config');
    assertValidGroupAndOption(group, option);
    await store.getDomainOrThrow(this.deps.db, domainId);
    const rows = await store.listDomainConfig(this.deps.db, domainId, { group, option, sensitive: false });
    if (rows.length === 0) throw notFound(domainId, group, option);
    const config = toConfig(rows);
    return option !== undefined && group !== undefined ? { [option]: config[group]?.[option] ?? null } : config;
  }

  /**
   * PATCH merges options into the configuration. Aimed at a group (or an
   * option), the body must hold that group (that option) alone, and it must
   * already be set (404 otherwise). Answers the whole shown configuration.
   */
  async update(auth: CallerContext, domainId: string, body: unknown, group?: string, option?: string): Promise<DomainConfig> {
    this.deps.authz.authorize(auth, 'update_domain_config');
    await store.getDomainOrThrow(this.deps.db, domainId);
    const config = assertValidConfig(group !== undefined && option !== undefined ? { [group]: body } : body);
    assertValidGroupAndOption(group, option);
    if (group !== undefined) {
      const groups = Object.keys(config);
      if (groups.length !== 1 || (option !== undefined && Object.keys(config[group] ?? {}).length !== 1)) {
        throw invalid(
          option !== undefined
            ? `Trying to update option ${option} in group ${group}, so that, and only that, option must be specified  in the config`
            : `Trying to update group ${group}, so that, and only that, group must be specified in the config`,
        );
      }
      if (!(group in config)) throw invalid(`request to update group ${group}, but config provided contains group ${groups[0]} instead`);
      if (option !== undefined && !(option in (config[group] ?? {}))) {
        throw invalid(
          `Trying to update option ${option} in group ${group}, but config provided contains option ${Object.keys(config[group] ?? {})[0]} instead`,
        );
      }
      if ((await store.listDomainConfig(this.deps.db, domainId, { group, option })).length === 0) throw notFound(domainId, group, option);
    }
    await store.putDomainConfigOptions(this.deps.db, domainId, optionList(config));
    return toConfig(await store.listDomainConfig(this.deps.db, domainId, { sensitive: false }));
  }

  async delete(auth: CallerContext, domainId: string, group?: string, option?: string): Promise<void> {
    this.deps.authz.authorize(auth, 'delete_domain_config');
    await store.getDomainOrThrow(this.deps.db, domainId);
    assertValidGroupAndOption(group, option);
    if (group !== undefined) {
      const current = toConfig(await store.listDomainConfig(this.deps.db, domainId, { group }))[group];
      if (!current) throw notFound(domainId, group);
      // Keystone treats an option set to a false value as not set.
      if (option !== undefined && !current[option]) throw notFound(domainId, group, option);
    }
    await store.deleteDomainConfig(this.deps.db, domainId, { group, option });
  }

  /** GET /v3/domains/config/default[/{group}[/{option}]]: what a domain without its own configuration uses. */
  defaults(auth: CallerContext, group?: string, option?: string): JsonObject {
    this.deps.authz.authorize(auth, 'get_domain_config_default');
    assertValidGroupAndOption(group, option);
    if (group === undefined) return DOMAIN_CONFIG_DEFAULTS;
    const options = DOMAIN_CONFIG_DEFAULTS[group] ?? {};
    if (option === undefined) return { [group]: options };
    if (!isWhitelisted(group, option)) throw invalid(`Reading the default for option ${option} in group ${group} is not supported`);
    return { [option]: options[option] ?? null };
  }

  /** Only the password rules, only for the default domain, and for anyone: clients show them when a user picks a password. */
  private compliance(auth: CallerContext, domainId: string, option?: string): JsonObject {
    this.deps.authz.authorize(auth, 'get_security_compliance_domain_config');
    if (domainId !== DEFAULT_DOMAIN_ID) {
      throw invalid('Reading security compliance information for any domain other than the default domain is not allowed or supported');
    }
    const rules = this.deps.config.security_compliance;
    const values: JsonObject = { password_regex: rules.password_regex, password_regex_description: rules.password_regex_description };
    if (option === undefined) return { security_compliance: values };
    if (!(READABLE_COMPLIANCE_OPTIONS as readonly string[]).includes(option)) {
      throw invalid('Reading security compliance values other than password_regex and password_regex_description is not allowed');
    }
    return { [option]: values[option] ?? null };
  }
}

function assertValidGroupAndOption(group?: string, option?: string): void {
  if (group === undefined) return;
  if (!isKnownGroup(group)) throw invalid(`Group ${group} is not supported for domain specific configurations`);
  if (option !== undefined && !isWhitelisted(group, option) && !isSensitive(group, option)) {
    throw invalid(`Option ${option} in group ${group} is not supported for domain specific configurations`);
  }
}

function assertValidConfig(config: unknown): DomainConfig {
  if (!config || typeof config !== 'object' || Array.isArray(config) || Object.keys(config).length === 0) throw invalid('No options specified');
  for (const [group, options] of Object.entries(config)) {
    if (!options || typeof options !== 'object' || Array.isArray(options) || Object.keys(options).length === 0) {
      throw invalid(`The value of group ${group} specified in the config should be a dictionary of options`);
    }
    for (const option of Object.keys(options)) assertValidGroupAndOption(group, option);
  }
  return config as DomainConfig;
}

function optionList(config: DomainConfig): Array<{ group: string; option: string; value: Json; sensitive: boolean }> {
  return Object.entries(config).flatMap(([group, options]) =>
    Object.entries(options).map(([option, value]) => ({ group, option, value, sensitive: isSensitive(group, option) })),
  );
}

function toConfig(rows: DomainConfigOption[]): DomainConfig {
  const config: DomainConfig = {};
  for (const row of rows) (config[row.group_name] ??= {})[row.option_name] = JSON.parse(row.value) as Json;
  return config;
}
