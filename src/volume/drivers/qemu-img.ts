/**
 * Debian's qemu-img (package qemu-utils), one typed function per command the
 * file backend uses. Arguments go as an array (no shell); a failure throws
 * `BackendCommandFailed` with qemu-img's own message.
 */
import { execFile } from 'node:child_process';
import { BackendCommandFailed } from './errors.js';

export type DiskFormat = 'raw' | 'qcow2';

export interface DiskInfo {
  format: string;
  virtualSize: number;
  /** Absolute path of the backing file, or null for a standalone disk. */
  backingFile: string | null;
}

function run(args: string[], signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('qemu-img', args, { maxBuffer: 16 * 1024 * 1024, ...(signal ? { signal } : {}) }, (error, stdout, stderr) => {
      if (error) reject(new BackendCommandFailed(`qemu-img ${args[0]}`, stderr || error.message));
      else resolve(stdout);
    });
  });
}

export async function createDisk(path: string, format: DiskFormat, bytes: number, backing?: { path: string; format: DiskFormat }): Promise<void> {
  const args = ['create', '-q', '-f', format];
  if (backing) args.push('-b', backing.path, '-F', backing.format);
  await run([...args, path, String(bytes)]);
}

/** Copies `source` into a new file `target`, converting formats; sparse where the target format allows. */
export async function convertDisk(source: string, sourceFormat: string, target: string, targetFormat: string): Promise<void> {
  await run(['convert', '-q', '-f', sourceFormat, '-O', targetFormat, source, target]);
}

export async function resizeDisk(path: string, format: DiskFormat, bytes: number): Promise<void> {
  await run(['resize', '-q', '-f', format, path, String(bytes)]);
}

/** Detaches a qcow2 overlay from its backing file, copying in the data it shared. */
export async function flattenDisk(path: string): Promise<void> {
  await run(['rebase', '-q', '-f', 'qcow2', '-b', '', path]);
}

export async function diskInfo(path: string, format?: string): Promise<DiskInfo> {
  const args = ['info', '--output=json'];
  if (format) args.push('-f', format);
  const info = JSON.parse(await run([...args, path])) as {
    format: string;
    'virtual-size': number;
    'full-backing-filename'?: string;
    'backing-filename'?: string;
  };
  return {
    format: info.format,
    virtualSize: info['virtual-size'],
    backingFile: info['full-backing-filename'] ?? info['backing-filename'] ?? null,
  };
}
