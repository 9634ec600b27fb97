/** The network service's settings live in the server config (`network:`); see src/core/config.ts. */
export type { NetworkConfig } from '../core/config.js';
