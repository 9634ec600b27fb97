/**
 * The fake driver's consoles. Its serial console echoes what it is sent, so
 * API and proxy tests can check bytes going both ways. Its display is a
 * simulated VNC server that speaks RFB 3.8 as far as the server's init
 * message (no security, a blank 640×480 screen named after the guest); the
 * update requests a viewer then sends are read and left unanswered.
 */
import { Duplex, PassThrough } from 'node:stream';
import type { ConsoleKind } from './driver.js';

const RFB_VERSION = 'RFB 003.008\n';
const SECURITY_NONE = 1;
const WIDTH = 640;
const HEIGHT = 480;

/** RFB's PIXEL_FORMAT: 32 bits per pixel, depth 24, little-endian true colour, 8 bits a channel. */
function pixelFormat(): Buffer {
  const format = Buffer.alloc(16);
  format.writeUInt8(32, 0);
  format.writeUInt8(24, 1);
  format.writeUInt8(0, 2);
  format.writeUInt8(1, 3);
  format.writeUInt16BE(255, 4);
  format.writeUInt16BE(255, 6);
  format.writeUInt16BE(255, 8);
  format.writeUInt8(16, 10);
  format.writeUInt8(8, 11);
  format.writeUInt8(0, 12);
  return format;
}

function serverInit(name: string): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt16BE(WIDTH, 0);
  head.writeUInt16BE(HEIGHT, 2);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(nameBytes.length, 0);
  return Buffer.concat([head, pixelFormat(), length, nameBytes]);
}

/** The handshake's steps: how many client bytes each waits for, and what the server answers. */
type Step = { wants: number; answer: () => Buffer };

class FakeVncServer extends Duplex {
  #pending = Buffer.alloc(0);
  readonly #steps: Step[];

  constructor(name: string) {
    super();
    this.#steps = [
      // The client's version string, then its choice of security type, then ClientInit (shared flag).
      { wants: RFB_VERSION.length, answer: () => Buffer.from([1, SECURITY_NONE]) },
      { wants: 1, answer: () => Buffer.from([0, 0, 0, 0]) },
      { wants: 1, answer: () => serverInit(name) },
    ];
    this.push(Buffer.from(RFB_VERSION, 'ascii'));
  }

  override _read(): void {
    // Answers are pushed as the client's messages arrive.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.#pending = Buffer.concat([this.#pending, chunk]);
    for (let step = this.#steps[0]; step && this.#pending.length >= step.wants; step = this.#steps[0]) {
      this.#pending = this.#pending.subarray(step.wants);
      this.#steps.shift();
      this.push(step.answer());
    }
    // After the handshake the viewer's requests are consumed without effect: the screen never changes.
    if (this.#steps.length === 0) this.#pending = Buffer.alloc(0);
    done();
  }

  override _final(done: (error?: Error | null) => void): void {
    this.push(null);
    done();
  }
}

/** A new console stream of `kind` for the fake guest `name`. */
export function openFakeConsole(kind: ConsoleKind, name: string): Duplex {
  return kind === 'serial' ? new PassThrough() : new FakeVncServer(name);
}
