/**
 * Volume type encryption specs (Cinder's `encryption` extension of types): admin only,
 * one set per type, frozen while volumes use the type.
 */
import { uuid } from '../../core/ids.js';
import { nowIso } from '../../core/time.js';
import { errors, notFound } from '../errors.js';
import * as store from '../store/index.js';
import type { TypeEncryption } from '../store/index.js';
import type { VolumeContext } from './context.js';
import type { VolumeDeps } from './deps.js';
import type { TypeOps } from './types.js';

/** The specs a caller may set; Cinder's schema checks provider, cipher, key_size and control_location. */
export interface EncryptionSpecs {
  provider?: string;
  cipher?: string | null;
  key_size?: number | null;
  control_location?: 'front-end' | 'back-end';
}

const POLICY = 'volume_extension:volume_type_encryption';

export class EncryptionOps {
  constructor(
    private readonly deps: VolumeDeps,
    private readonly types: TypeOps,
  ) {}

  /** The type's specs, or null when it is not encrypted. */
  async get(ctx: VolumeContext, typeId: string): Promise<TypeEncryption | null> {
    this.deps.authz.authorize(ctx.auth, `${POLICY}:get`);
    const type = await this.types.get(ctx, typeId);
    return store.getTypeEncryption(this.deps.db, type.id);
  }

  async create(ctx: VolumeContext, typeId: string, specs: EncryptionSpecs): Promise<TypeEncryption> {
    this.deps.authz.authorize(ctx.auth, `${POLICY}:create`);
    if (await store.typeInUse(this.deps.db, typeId)) throw errors.encryptedTypeInUse('create');
    const type = await this.types.get(ctx, typeId);
    if (await store.getTypeEncryption(this.deps.db, type.id)) throw errors.typeEncryptionExists(type.id);
    await store.insertTypeEncryption(this.deps.db, {
      volume_type_id: type.id,
      encryption_id: uuid(),
      provider: specs.provider ?? null,
      cipher: specs.cipher ?? null,
      key_size: specs.key_size ?? null,
      control_location: specs.control_location ?? null,
      created_at: nowIso(),
      updated_at: null,
    });
    return (await store.getTypeEncryption(this.deps.db, type.id)) as TypeEncryption;
  }

  async update(ctx: VolumeContext, typeId: string, specs: EncryptionSpecs): Promise<void> {
    this.deps.authz.authorize(ctx.auth, `${POLICY}:update`);
    const type = await this.types.get(ctx, typeId);
    if (await store.typeInUse(this.deps.db, type.id)) throw errors.encryptedTypeInUse('update');
    const changes = Object.fromEntries(Object.entries(specs).filter(([, value]) => value !== undefined));
    if (!(await store.updateTypeEncryption(this.deps.db, type.id, { ...changes, updated_at: nowIso() }))) throw notFound.typeEncryption(type.id);
  }

  async delete(ctx: VolumeContext, typeId: string): Promise<void> {
    this.deps.authz.authorize(ctx.auth, `${POLICY}:delete`);
    if (await store.typeInUse(this.deps.db, typeId)) throw errors.encryptedTypeInUse('delete');
    if (!(await store.deleteTypeEncryption(this.deps.db, typeId))) throw notFound.typeEncryption(typeId);
  }

  /** Whether volumes of the type would need a key (which Nimbus, without a key manager, cannot make). */
  async isEncrypted(typeId: string): Promise<boolean> {
    return (await store.getTypeEncryption(this.deps.db, typeId)) !== null;
  }
}
