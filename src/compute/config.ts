/** The compute service's options live with the others in core/config.ts (`compute:` section). */
export type { ComputeConfig } from '../core/config.js';
