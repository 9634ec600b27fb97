/** The compute service's store: its tables and queries, nothing else touches them. */
export * from './db.js';
export * from './flavors.js';
export * from './keypairs.js';
export * from './servers.js';
export * from './actions.js';
export * from './services.js';
export * from './aggregates.js';
export * from './server-groups.js';
export * from './migrations.js';
export * from './volume-attachments.js';
export * from './block-devices.js';
export * from './console-tokens.js';
export type { ComputeTables } from './tables.js';
export * from './aggregates.js';
export * from './server-groups.js';
export * from './migrations.js';
