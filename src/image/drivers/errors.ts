/**
 * Errors an image store raises. They say what went wrong with the bytes, never
 * how to answer over HTTP: the image service maps them (a size mismatch is
 * Glance's 400, a full disk its 413).
 */

/** Base of every store error, so callers can tell a store failure from a bug. */
export abstract class ImageStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** No object at this location (never written, deleted, or swept). */
export class StoreObjectNotFound extends ImageStoreError {
  constructor(readonly location: string) {
    super(`No image data at ${location}`);
  }
}

/** The data ended at a length other than the one announced (`expectedSize`). */
export class StoreSizeMismatch extends ImageStoreError {
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`Size of the image data (${actual} bytes) does not match the size announced (${expected} bytes)`);
  }
}

/** The data grew past `maxSize` (a quota or the image size cap); the write stopped there. */
export class StoreSizeLimitExceeded extends ImageStoreError {
  constructor(readonly limit: number) {
    super(`The image data exceeds the ${limit} bytes it may take`);
  }
}

/** The backing storage has no room left (ENOSPC, EDQUOT). */
export class StoreFull extends ImageStoreError {}

/** The store may not write where it was configured to (EACCES, EROFS). */
export class StoreWriteDenied extends ImageStoreError {}

/** The store cannot be reached (a remote store's network or service failure). */
export class StoreUnavailable extends ImageStoreError {}
