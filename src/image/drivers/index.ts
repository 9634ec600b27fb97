/** Image stores: the contract, its errors and the implementations. */
export * from './errors.js';
export { FileStore, type FileStoreOptions } from './file-store.js';
export { DataMeter } from './measure.js';
export { MULTIHASH_ALGORITHM, type ByteRange, type ImageStore, type StoreCapabilities, type StoredObject, type WriteOptions } from './store.js';
