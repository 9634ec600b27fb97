/** Cinder's options, under `volume:`; each backend is a section the operator names. */

/** One block storage backend: a section named in `volume.enabled_backends`. */
export interface VolumeBackendConfig {
  /** `file` (raw/qcow2 files made with qemu-img) or `fake` (no bytes). */
  volume_driver: 'file' | 'fake';
  /** What volume types select with the `volume_backend_name` extra spec. */
  volume_backend_name: string;
  /** Disk format of the file backend's volumes. */
  volume_format: 'raw' | 'qcow2';
  /** Capacity reported to the scheduler; null: the file system's (file) or 1000 (fake). */
  total_capacity_gb: number | null;
}

/** Cinder's options (DEFAULT and per-backend sections), under `volume:`. */
export interface VolumeConfig {
  /** Backend section names, as Cinder's enabled_backends. */
  enabled_backends: string[];
  backends: Record<string, VolumeBackendConfig>;
  /** The type of volumes created without one (Cinder's `__DEFAULT__`). */
  default_volume_type: string;
  /** The group type `GET /group_types/default` answers; null (Cinder's default): none, a 404. */
  default_group_type: string | null;
  storage_availability_zone: string;
  /** Host part of `os-vol-host-attr:host` (`host@backend#pool`). */
  host: string;
  /** Seconds a user message is kept at least (`guaranteed_until`), as Cinder's message_ttl. */
  message_ttl: number;
}

/** A backend section's defaults: a section the operator adds starts from these. */
export function volumeBackendDefaults(): VolumeBackendConfig {
  return { volume_driver: 'file', volume_backend_name: '', volume_format: 'qcow2', total_capacity_gb: null };
}

export function volumeDefaults(): VolumeConfig {
  return {
    enabled_backends: ['file'],
    backends: {
      file: { volume_driver: 'file', volume_backend_name: 'file', volume_format: 'qcow2', total_capacity_gb: null },
    },
    default_volume_type: '__DEFAULT__',
    default_group_type: null,
    storage_availability_zone: 'nova',
    host: 'nimbus',
    message_ttl: 2_592_000,
  };
}
