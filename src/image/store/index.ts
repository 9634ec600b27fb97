/**
 * The image store: every query on the image tables, nothing else. Only the
 * image service calls it.
 */
export * from './db.js';
export * from './tables.js';
export * from './images.js';
export * from './listing.js';
export * from './members.js';
export * from './tasks.js';
export * from './metadef-tables.js';
export * from './metadef-namespaces.js';
export * from './metadef-content.js';
