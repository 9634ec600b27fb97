/**
 * The volume-type half of volume/operations.ts (Heat's OS::Cinder::VolumeType):
 * a type, its extra specs and, for a private type, the projects it is
 * shared with. Each call takes the caller first and goes through the same
 * TypeOps as /volume/v3/{project}/types, so Cinder's policy holds: making,
 * changing and deleting types is admin-only by default (403), and a private
 * type not shared with the caller's project is a 404 for a non-admin.
 */
import type { CallerContext } from '../core/context.js';
import type { VolumeServiceOps } from './service/index.js';
import type { VolumeType } from './store/index.js';

export interface VolumeTypeInfo {
  id: string;
  name: string;
  description: string | null;
  isPublic: boolean;
  /** The type's extra specs (key → value), e.g. `volume_backend_name`. */
  extraSpecs: Record<string, string>;
}

export interface CreateVolumeTypeRequest {
  name: string;
  description?: string | null;
  /** Public (every project) unless false. */
  isPublic?: boolean;
  extraSpecs?: Record<string, string>;
}

/** What updateVolumeType changes; absent fields stay as they are. */
export interface VolumeTypeUpdate {
  name?: string;
  description?: string | null;
  isPublic?: boolean;
}

export interface VolumeTypeOperations {
  /** By id or name; 404 `Volume type <id> could not be found.` Read only. */
  getVolumeType(auth: CallerContext, idOrName: string): Promise<VolumeTypeInfo>;
  /** The types the caller may use (admins: every type). Read only. */
  listVolumeTypes(auth: CallerContext): Promise<VolumeTypeInfo[]>;
  /** 409 when the name is taken; nothing is made when the specs are refused (400). Not idempotent. */
  createVolumeType(auth: CallerContext, request: CreateVolumeTypeRequest): Promise<VolumeTypeInfo>;
  /** 409 for a name another type has; the default type cannot be renamed (400). Idempotent. */
  updateVolumeType(auth: CallerContext, typeId: string, update: VolumeTypeUpdate): Promise<VolumeTypeInfo>;
  /** Refused (400) for the default type and while volumes use it; 404 when gone. */
  deleteVolumeType(auth: CallerContext, typeId: string): Promise<void>;
  /** Adds or overwrites these specs, keeping the others. Idempotent. */
  setVolumeTypeSpecs(auth: CallerContext, typeId: string, specs: Record<string, string>): Promise<void>;
  /** Removes one spec; 404 when the type has no such key. */
  unsetVolumeTypeSpec(auth: CallerContext, typeId: string, key: string): Promise<void>;
  /** The projects a private type is shared with; 400 for a public type. Read only. */
  volumeTypeAccess(auth: CallerContext, typeId: string): Promise<string[]>;
  /** Shares a private type with a project: 409 when already shared, 400 for a public type. */
  addVolumeTypeAccess(auth: CallerContext, typeId: string, projectId: string): Promise<void>;
  /** Ends the sharing; 404 when the project had no access. */
  removeVolumeTypeAccess(auth: CallerContext, typeId: string, projectId: string): Promise<void>;
}

function volumeTypeInfo(type: VolumeType): VolumeTypeInfo {
  return { id: type.id, name: type.name, description: type.description, isPublic: type.is_public, extraSpecs: type.extra_specs };
}

export function volumeTypeOperations(ops: VolumeServiceOps): VolumeTypeOperations {
  return {
    getVolumeType: async (auth, idOrName) => volumeTypeInfo(await ops.types.get(ops.context(auth), idOrName)),
    listVolumeTypes: async (auth) => (await ops.types.list(ops.context(auth), null)).map(volumeTypeInfo),
    async createVolumeType(auth, request) {
      const type = await ops.types.create(ops.context(auth), {
        name: request.name,
        description: request.description ?? null,
        is_public: request.isPublic ?? true,
        extra_specs: request.extraSpecs ?? {},
      });
      return volumeTypeInfo(type);
    },
    async updateVolumeType(auth, typeId, update) {
      const type = await ops.types.update(ops.context(auth), typeId, {
        ...(update.name !== undefined && { name: update.name }),
        ...(update.description !== undefined && { description: update.description }),
        ...(update.isPublic !== undefined && { is_public: update.isPublic }),
      });
      return volumeTypeInfo(type);
    },
    deleteVolumeType: (auth, typeId) => ops.types.delete(ops.context(auth), typeId),
    async setVolumeTypeSpecs(auth, typeId, specs) {
      await ops.types.setExtraSpecs(ops.context(auth), typeId, specs);
    },
    unsetVolumeTypeSpec: (auth, typeId, key) => ops.types.deleteExtraSpec(ops.context(auth), typeId, key),
    volumeTypeAccess: (auth, typeId) => ops.types.access(ops.context(auth), typeId),
    addVolumeTypeAccess: (auth, typeId, projectId) => ops.types.addAccess(ops.context(auth), typeId, projectId),
    removeVolumeTypeAccess: (auth, typeId, projectId) => ops.types.removeAccess(ops.context(auth), typeId, projectId),
  };
}
