/**
 * Who may read GET /metrics. OpenStack's services serve no such page, so
 * the rule is Nimbus's own (README.md, "Who may scrape"): a scraper on this
 * host by default, another host with the configured bearer token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { ExporterConfig } from './config.js';

/** Null when the request may scrape, else why not (the 403 body). */
export function scrapeRefusal(request: FastifyRequest, config: ExporterConfig): string | null {
  if (config.allow_loopback && isLoopback(request.socket.remoteAddress)) return null;
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (config.bearer_token !== null && token !== undefined && sameSecret(token, config.bearer_token)) return null;
  if (config.bearer_token === null) return 'Metrics are served to this host only (exporter.allow_loopback); no exporter.bearer_token is configured for others.';
  return 'Metrics need "Authorization: Bearer <exporter.bearer_token>" from another host.';
}

function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

/** Compares digests, so that neither the secret's length nor its content leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
