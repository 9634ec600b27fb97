/**
 * The on-disk form of one object version: `<timestamp>.data` holds the bytes,
 * then the metadata as JSON, then an 8-byte footer (the JSON's length, big
 * endian, and the magic `NOB1`). One file means one rename makes bytes and
 * metadata visible together; xattrs are not reliable on every filesystem.
 */
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import type { ObjectMetadata } from './contract.js';

const MAGIC = Buffer.from('NOB1');
const FOOTER = 8;

export function encodeTrailer(metadata: ObjectMetadata): Buffer {
  const json = Buffer.from(JSON.stringify(metadata));
  const footer = Buffer.alloc(FOOTER);
  footer.writeUInt32BE(json.length, 0);
  MAGIC.copy(footer, 4);
  return Buffer.concat([json, footer]);
}

/** Reads the metadata of an open `.data` file; throws when the footer is not there. */
export async function readTrailer(file: FileHandle): Promise<ObjectMetadata> {
  const { size } = await file.stat();
  if (size < FOOTER) throw new Error('object file too short');
  const footer = Buffer.alloc(FOOTER);
  await file.read(footer, 0, FOOTER, size - FOOTER);
  if (!footer.subarray(4).equals(MAGIC)) throw new Error('object file footer missing');
  const length = footer.readUInt32BE(0);
  if (length + FOOTER > size) throw new Error('object file metadata length out of range');
  const json = Buffer.alloc(length);
  await file.read(json, 0, length, size - FOOTER - length);
  const metadata = JSON.parse(json.toString('utf8')) as ObjectMetadata;
  if (metadata.size !== size - FOOTER - length) throw new Error('object file size does not match its metadata');
  return metadata;
}

/** True when the bytes' md5 matches the metadata's etag. */
export async function verifyObjectFile(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const metadata = await readTrailer(file);
    const md5 = createHash('md5');
    const buffer = Buffer.alloc(1024 * 1024);
    for (let position = 0; position < metadata.size;) {
      const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, metadata.size - position), position);
      if (bytesRead === 0) return false;
      md5.update(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
    return md5.digest('hex') === metadata.etag;
  } catch {
    return false;
  } finally {
    await file.close();
  }
}
