/**
 * Disks of the QEMU driver, as Nova's image cache keeps them: each image is
 * fetched once to `<dataDir>/instances/_base/<imageId>` (through the image
 * service) and every instance boots from a qcow2 overlay on it, grown to the
 * flavor's root disk. Config drives are ISO9660 images labelled `config-2`.
 */
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { KeyedMutex } from '../../../core/keyed-mutex.js';
import { run } from './host.js';

/** Returns an image's data (the compute service reads it through Glance). */
export type ImageFetcher = (imageId: string) => Promise<Readable>;

export class ImageCache {
  readonly #locks = new KeyedMutex();

  constructor(
    readonly dir: string,
    private readonly fetch: ImageFetcher,
  ) {}

  /** The cached base file of an image (downloaded on first use) and its format. */
  async base(imageId: string): Promise<{ path: string; format: string; virtualSize: number }> {
    if (!/^[A-Za-z0-9._-]+$/.test(imageId)) throw new Error(`Invalid image id ${JSON.stringify(imageId)}`);
    const path = join(this.dir, imageId);
    return this.#locks.run(imageId, async () => {
      if (!existsSync(path)) {
        mkdirSync(this.dir, { recursive: true });
        const partial = `${path}.part`;
        try {
          const out = createWriteStream(partial);
          await once(out, 'open');
          await pipeline(await this.fetch(imageId), out);
        } catch (error) {
          rmSync(partial, { force: true });
          throw error;
        }
        renameSync(partial, path);
      }
      const info = JSON.parse((await run('qemu-img', ['info', '--output=json', path])).stdout) as { format: string; 'virtual-size': number };
      return { path, format: info.format, virtualSize: info['virtual-size'] };
    });
  }

  /** Fetches the image's base unless it is there: 'existing' or 'cached'. */
  async prefetch(imageId: string): Promise<'cached' | 'existing'> {
    const existed = existsSync(join(this.dir, imageId));
    await this.base(imageId);
    return existed ? 'existing' : 'cached';
  }

  /** A qcow2 overlay on the image's base, at least `sizeGb` (never smaller than the image). */
  async overlay(imageId: string, target: string, sizeGb: number): Promise<void> {
    const base = await this.base(imageId);
    const size = Math.max(base.virtualSize, sizeGb * 1024 ** 3);
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', base.format, '-b', base.path, target, String(size)]);
  }
}

/** Grows a qcow2 disk to `sizeGb` when that is larger (disks never shrink). */
export async function growDisk(path: string, sizeGb: number): Promise<void> {
  const info = JSON.parse((await run('qemu-img', ['info', '-U', '--output=json', path])).stdout) as { 'virtual-size': number };
  const size = sizeGb * 1024 ** 3;
  if (size > info['virtual-size']) await run('qemu-img', ['resize', '-q', path, String(size)]);
}

/** Packs config drive files (path → content) as an ISO9660 image labelled `config-2`, as Nova does. */
export async function buildConfigDrive(files: Record<string, string>, target: string): Promise<void> {
  const staging = mkdtempSync(`${target}.staging-`);
  try {
    for (const [path, content] of Object.entries(files)) {
      const file = join(staging, path);
      if (!file.startsWith(staging + '/')) throw new Error(`Config drive path ${path} leaves the drive`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    await run('genisoimage', ['-quiet', '-o', target, '-V', 'config-2', '-r', '-J', '-input-charset', 'utf-8', staging]);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The disk's content as a standalone qcow2 (backing chain flattened), as bytes. */
export async function exportDisk(path: string): Promise<Uint8Array> {
  const out = `${path}.snapshot-${process.pid}-${Date.now()}`;
  try {
    // -U: QEMU holds the image lock; the caller has paused the guest.
    await run('qemu-img', ['convert', '-U', '-O', 'qcow2', path, out], 600_000);
    return new Uint8Array(readFileSync(out));
  } finally {
    rmSync(out, { force: true });
  }
}
