/** The volume service's store: its tables and queries, nothing else touches them. */
export { volumeDb, type VolumeDb } from './db.js';
export * from './volumes.js';
export * from './snapshots.js';
export * from './types.js';
export * from './attachments.js';
export * from './transfers.js';
export * from './backups.js';
export * from './encryption.js';
export * from './hosts.js';
export * from './groups.js';
export * from './services.js';
export * from './messages.js';
export type { Backup, Message, GroupSnapshot, Transfer, TypeEncryption, VolumeTables } from './tables.js';
