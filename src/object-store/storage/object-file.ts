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

/** Files up to this size are read whole in one call: a small GET then costs one read, not three and a stream. */
const SMALL_FILE = 64 * 1024;

export interface ObjectFileContents {
  metadata: ObjectMetadata;
  /** The object's bytes when the file was small enough to read whole; null for a file to stream. */
  body: Buffer | null;
}

/** Reads the metadata of an open `.data` file (and a small file's bytes); throws when the footer is not there. */
export async function readObjectFile(file: FileHandle): Promise<ObjectFileContents> {
  const { size } = await file.stat();
  if (size < FOOTER) throw new Error('object file too short');
  if (size <= SMALL_FILE) {
    const whole = Buffer.allocUnsafe(size);
    const { bytesRead } = await file.read(whole, 0, size, 0);
    if (bytesRead !== size) throw new Error('object file shorter than its size');
    const length = metadataLength(whole.subarray(size - FOOTER), size);
    const metadata = parseMetadata(whole.subarray(size - FOOTER - length, size - FOOTER), size);
    return { metadata, body: whole.subarray(0, metadata.size) };
  }
  const footer = Buffer.alloc(FOOTER);
  await file.read(footer, 0, FOOTER, size - FOOTER);
  const json = Buffer.alloc(metadataLength(footer, size));
  await file.read(json, 0, json.length, size - FOOTER - json.length);
  return { metadata: parseMetadata(json, size), body: null };
}

/** The metadata JSON's length the footer gives, checked against the file's size. */
function metadataLength(footer: Buffer, size: number): number {
  if (!footer.subarray(4).equals(MAGIC)) throw new Error('object file footer missing');
  const length = footer.readUInt32BE(0);
  if (length + FOOTER > size) throw new Error('object file metadata length out of range');
  return length;
}

function parseMetadata(json: Buffer, size: number): ObjectMetadata {
  const metadata = JSON.parse(json.toString('utf8')) as ObjectMetadata;
  if (metadata.size !== size - FOOTER - json.length) throw new Error('object file size does not match its metadata');
  return metadata;
}

/** True when the bytes' md5 matches the metadata's etag. */
export async function verifyObjectFile(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const { metadata } = await readObjectFile(file);
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
