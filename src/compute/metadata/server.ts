/**
 * Serves the metadata API over HTTP on a unix socket (Nova's
 * nova-api-metadata role); the network driver's per-namespace proxies
 * forward guest requests to it. A stale socket file from a previous run is
 * replaced.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { dirname } from 'node:path';
import type { Logger } from '../../core/logger.js';
import { handleMetadata, type MetadataSources } from './handler.js';

export async function serveMetadata(socketPath: string, sources: MetadataSources, log: Logger): Promise<HttpServer> {
  mkdirSync(dirname(socketPath), { recursive: true });
  rmSync(socketPath, { force: true });
  const server = createServer((req, res) => {
    handleMetadata(sources, { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers })
      .then((reply) => {
        log.debug({ path: req.url, ip: req.headers['x-forwarded-for'], status: reply.status }, 'metadata request');
        res.writeHead(reply.status, { 'content-type': reply.contentType, 'content-length': Buffer.byteLength(reply.body) });
        res.end(req.method === 'HEAD' ? undefined : reply.body);
      })
      .catch((error: unknown) => {
        log.error({ err: error, path: req.url }, 'metadata request failed');
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('An unknown error has occurred.');
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  return server;
}

export function closeMetadata(server: HttpServer, socketPath: string): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      rmSync(socketPath, { force: true });
      resolve();
    });
  });
}
