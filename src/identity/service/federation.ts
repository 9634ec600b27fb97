/**
 * OS-FEDERATION's configuration, as Keystone stores it: identity providers
 * (each with the remote ids that name it in assertions and a domain for its
 * users, made for it when none is given), the protocols by which each
 * authenticates and the mapping each applies, mappings (validated against
 * their schema version), and service providers (other clouds this one sends
 * its users to; the enabled ones appear in every token).
 *
 * Exchanging a real SAML or OpenID Connect assertion is not offered: there is
 * no `/auth` route under a protocol. A mapping can be tried on assertion
 * attributes with `nimbus manage mapping-engine`, as with keystone-manage.
 */
import type { CallerContext } from '../../core/context.js';
import { hexId } from '../../core/ids.js';
import type { JsonObject } from '../../core/json.js';
import { nowIso } from '../../core/time.js';
import { validateMapping } from '../federation/mapping-schema.js';
import * as store from '../store/index.js';
import type { FederationProtocol, IdentityProvider, Mapping, ServiceProvider } from '../store/index.js';
import { identityErrors } from '../errors.js';
import type { IdentityDeps } from './deps.js';

/** keystone.conf [saml] relay_state_prefix. */
const RELAY_STATE_PREFIX = 'ss:mem:';

export interface IdentityProviderWithRemoteIds extends IdentityProvider {
  remote_ids: string[];
}

export interface IdentityProviderRequest {
  enabled?: boolean;
  description?: string | null;
  domain_id?: string | null;
  remote_ids?: string[] | null;
  authorization_ttl?: number | null;
}

export interface ServiceProviderRequest {
  auth_url?: string;
  sp_url?: string;
  description?: string | null;
  enabled?: boolean;
  relay_state_prefix?: string | null;
}

export class FederationOps {
  constructor(private readonly deps: IdentityDeps) {}

  async createIdentityProvider(auth: CallerContext, id: string, request: IdentityProviderRequest): Promise<IdentityProviderWithRemoteIds> {
    this.authorize(auth, 'create_identity_provider');
    const db = this.deps.db;
    if (await store.getIdentityProvider(db, id)) throw identityErrors.conflict('store', 'identity_provider', 'Duplicate entry');
    const remoteIds = await this.freeRemoteIds(request.remote_ids ?? [], id);
    await db.transaction().execute(async (trx) => {
      let domainId = request.domain_id ?? null;
      if (domainId) await store.getDomainOrThrow(trx, domainId);
      else {
        // Keystone makes each provider without a domain its own, for its users.
        domainId = hexId();
        const description = `Auto generated federated domain for Identity Provider: ${id}`;
        await store.insertDomain(trx, { id: domainId, name: domainId, description, enabled: true, extra: '{}', created_at: nowIso() });
      }
      const row = {
        id,
        enabled: request.enabled ?? false,
        description: request.description ?? null,
        domain_id: domainId,
        authorization_ttl: request.authorization_ttl ?? null,
      };
      await store.insertIdentityProvider(trx, row, remoteIds);
    });
    return this.identityProviderView(id);
  }

  async listIdentityProviders(auth: CallerContext, filter: { id?: string; enabled?: boolean }): Promise<IdentityProviderWithRemoteIds[]> {
    this.authorize(auth, 'list_identity_providers');
    const rows = await store.listIdentityProviders(this.deps.db, filter);
    const remoteIds = await store.remoteIdsOf(
      this.deps.db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({ ...r, remote_ids: remoteIds.get(r.id) ?? [] }));
  }

  async getIdentityProvider(auth: CallerContext, id: string): Promise<IdentityProviderWithRemoteIds> {
    this.authorize(auth, 'get_identity_provider');
    return this.identityProviderView(id);
  }

  async updateIdentityProvider(auth: CallerContext, id: string, request: IdentityProviderRequest): Promise<IdentityProviderWithRemoteIds> {
    this.authorize(auth, 'update_identity_provider');
    await this.identityProviderView(id);
    const remoteIds = request.remote_ids === undefined ? undefined : await this.freeRemoteIds(request.remote_ids ?? [], id);
    await this.deps.db.transaction().execute(async (trx) => {
      await store.updateIdentityProvider(trx, id, {
        ...(request.enabled !== undefined && { enabled: request.enabled }),
        ...(request.description !== undefined && { description: request.description }),
        ...(request.authorization_ttl !== undefined && { authorization_ttl: request.authorization_ttl }),
      });
      if (remoteIds !== undefined) await store.setRemoteIds(trx, id, remoteIds);
    });
    return this.identityProviderView(id);
  }

  /** Deletes the provider with its protocols; its domain and the users in it stay, as in Keystone. */
  async deleteIdentityProvider(auth: CallerContext, id: string): Promise<void> {
    this.authorize(auth, 'delete_identity_provider');
    await this.identityProviderView(id);
    await this.deps.db.transaction().execute((trx) => store.deleteIdentityProvider(trx, id));
  }

  async putProtocol(
    auth: CallerContext,
    idpId: string,
    id: string,
    request: { mapping_id: string; remote_id_attribute?: string | null },
    creating: boolean,
  ): Promise<FederationProtocol> {
    this.authorize(auth, creating ? 'create_protocol' : 'update_protocol');
    await this.identityProviderView(idpId);
    const existing = await store.getProtocol(this.deps.db, idpId, id);
    if (creating && existing) throw identityErrors.conflict('store', 'federation_protocol', 'Duplicate entry');
    if (!creating && !existing) throw identityErrors.protocolNotFound(idpId, id);
    if (!(await store.getMapping(this.deps.db, request.mapping_id))) throw identityErrors.invalidMappingId(request.mapping_id);
    const row = {
      id,
      idp_id: idpId,
      mapping_id: request.mapping_id,
      remote_id_attribute: request.remote_id_attribute ?? existing?.remote_id_attribute ?? null,
    };
    await this.deps.db.transaction().execute((trx) => store.putProtocol(trx, row));
    return row;
  }

  async listProtocols(auth: CallerContext, idpId: string): Promise<FederationProtocol[]> {
    this.authorize(auth, 'list_protocols');
    await this.identityProviderView(idpId);
    return store.listProtocols(this.deps.db, idpId);
  }

  async getProtocol(auth: CallerContext, idpId: string, id: string): Promise<FederationProtocol> {
    this.authorize(auth, 'get_protocol');
    const protocol = await store.getProtocol(this.deps.db, idpId, id);
    if (!protocol) throw identityErrors.protocolNotFound(idpId, id);
    return protocol;
  }

  async deleteProtocol(auth: CallerContext, idpId: string, id: string): Promise<void> {
    await this.getProtocol(auth, idpId, id);
    this.authorize(auth, 'delete_protocol');
    await store.deleteProtocol(this.deps.db, idpId, id);
  }

  async putMapping(auth: CallerContext, id: string, mapping: JsonObject, creating: boolean): Promise<Mapping> {
    this.authorize(auth, creating ? 'create_mapping' : 'update_mapping');
    const existing = await store.getMapping(this.deps.db, id);
    if (creating && existing) throw identityErrors.conflict('store', 'mapping', 'Duplicate entry');
    if (!creating && !existing) throw identityErrors.notFound('Mapping', id);
    const version = validateMapping({ ...(existing ? { schema_version: existing.schema_version } : {}), ...mapping });
    const row = { id, rules: JSON.stringify(mapping.rules), schema_version: version };
    await this.deps.db.transaction().execute((trx) => store.putMapping(trx, row));
    return row;
  }

  async listMappings(auth: CallerContext): Promise<Mapping[]> {
    this.authorize(auth, 'list_mappings');
    return store.listMappings(this.deps.db);
  }

  async getMapping(auth: CallerContext, id: string): Promise<Mapping> {
    this.authorize(auth, 'get_mapping');
    const mapping = await store.getMapping(this.deps.db, id);
    if (!mapping) throw identityErrors.notFound('Mapping', id);
    return mapping;
  }

  async deleteMapping(auth: CallerContext, id: string): Promise<void> {
    await this.getMapping(auth, id);
    this.authorize(auth, 'delete_mapping');
    await store.deleteMapping(this.deps.db, id);
  }

  async createServiceProvider(auth: CallerContext, id: string, request: ServiceProviderRequest): Promise<ServiceProvider> {
    this.authorize(auth, 'create_service_provider');
    if (await store.getServiceProvider(this.deps.db, id)) throw identityErrors.conflict('store', 'service_provider', 'Duplicate entry');
    const row = {
      id,
      enabled: request.enabled ?? false,
      description: request.description ?? null,
      auth_url: request.auth_url as string,
      sp_url: request.sp_url as string,
      relay_state_prefix: request.relay_state_prefix ?? RELAY_STATE_PREFIX,
    };
    await store.insertServiceProvider(this.deps.db, row);
    return this.requireServiceProvider(id);
  }

  async listServiceProviders(auth: CallerContext, filter: { id?: string; enabled?: boolean }): Promise<ServiceProvider[]> {
    this.authorize(auth, 'list_service_providers');
    return store.listServiceProviders(this.deps.db, filter);
  }

  async getServiceProvider(auth: CallerContext, id: string): Promise<ServiceProvider> {
    this.authorize(auth, 'get_service_provider');
    return this.requireServiceProvider(id);
  }

  async updateServiceProvider(auth: CallerContext, id: string, request: ServiceProviderRequest): Promise<ServiceProvider> {
    this.authorize(auth, 'update_service_provider');
    await this.requireServiceProvider(id);
    const { auth_url, sp_url, description, enabled, relay_state_prefix } = request;
    await store.updateServiceProvider(this.deps.db, id, {
      ...(auth_url !== undefined && { auth_url }),
      ...(sp_url !== undefined && { sp_url }),
      ...(description !== undefined && { description }),
      ...(enabled !== undefined && { enabled }),
      ...(relay_state_prefix !== undefined && { relay_state_prefix: relay_state_prefix ?? RELAY_STATE_PREFIX }),
    });
    return this.requireServiceProvider(id);
  }

  async deleteServiceProvider(auth: CallerContext, id: string): Promise<void> {
    this.authorize(auth, 'delete_service_provider');
    await this.requireServiceProvider(id);
    await store.deleteServiceProvider(this.deps.db, id);
  }

  /** What every token lists under `service_providers`: the enabled ones (none: the key is left out). */
  async enabledServiceProviders(): Promise<Array<{ id: string; auth_url: string; sp_url: string }>> {
    return (await store.listServiceProviders(this.deps.db, { enabled: true })).map((sp) => ({ auth_url: sp.auth_url, id: sp.id, sp_url: sp.sp_url }));
  }

  private authorize(auth: CallerContext, action: string): void {
    this.deps.authz.authorize(auth, action, {});
  }

  private async identityProviderView(id: string): Promise<IdentityProviderWithRemoteIds> {
    const row = await store.getIdentityProvider(this.deps.db, id);
    if (!row) throw identityErrors.notFound('Identity Provider', id);
    return { ...row, remote_ids: (await store.remoteIdsOf(this.deps.db, [id])).get(id) ?? [] };
  }

  private async requireServiceProvider(id: string): Promise<ServiceProvider> {
    const row = await store.getServiceProvider(this.deps.db, id);
    if (!row) throw identityErrors.notFound('Service Provider', id);
    return row;
  }

  /** The remote ids, each free or already this provider's (Keystone's 409 otherwise). */
  private async freeRemoteIds(remoteIds: string[], idpId: string): Promise<string[]> {
    const unique = [...new Set(remoteIds)];
    for (const remoteId of unique) {
      const owner = await store.remoteIdOwner(this.deps.db, remoteId);
      if (owner !== undefined && owner !== idpId) throw identityErrors.conflict('store', 'identity_provider', `Duplicate remote ID: ${remoteId}`);
    }
    return unique;
  }
}
