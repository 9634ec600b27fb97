export * from './driver.js';
export * from './errors.js';
export { FakeVolumeDriver, type FakeDriverOptions } from './fake.js';
export { FileVolumeDriver, type FileDriverOptions } from './file.js';
export { FileBackupStore, SwiftBackupStore, type BackupObjectStore } from './backup-store.js';
