/** Errors volume drivers throw; the service turns them into an `error` state with the message as reason. */

/** The backend does not know the volume or snapshot an operation needs. */
export class BackendObjectNotFound extends Error {
  constructor(what: string) {
    super(`${what} not found on the backend`);
    this.name = 'BackendObjectNotFound';
  }
}

/** An image's disk is larger than the volume asked for. */
export class ImageTooLarge extends Error {
  constructor(virtualSize: number, sizeGb: number) {
    super(`Image virtual size is ${Math.ceil(virtualSize / 1024 ** 3)}GB and doesn't fit in a volume of size ${sizeGb}GB.`);
    this.name = 'ImageTooLarge';
  }
}

/** The backend cannot do what was asked (an export protocol it lacks, an unknown format). */
export class BackendUnsupported extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendUnsupported';
  }
}

/** A host tool (qemu-img) failed. */
export class BackendCommandFailed extends Error {
  constructor(command: string, detail: string) {
    super(`${command} failed: ${detail.trim()}`);
    this.name = 'BackendCommandFailed';
  }
}

/** The backend failed the operation outright (an injected driver fault): trying again does not help. */
export class BackendFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendFailed';
  }
}
