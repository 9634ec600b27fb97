/**
 * A resource as the API shows it: the standard attributes (id, name,
 * project_id and tenant_id, description, timestamps, revision_number, tags)
 * plus its own attributes. The api layer only selects `fields=` and renders.
 */
import { createHash } from 'node:crypto';
import { isoSeconds } from '../../core/time.js';
import type { Resource } from '../store/index.js';

export type NeutronObject = Record<string, unknown> & { id: string };

export function toObject(resource: Resource, extra: Record<string, unknown> = {}): NeutronObject {
  const { description, ...attrs } = resource.attrs;
  return {
    id: resource.id,
    name: resource.name,
    project_id: resource.projectId,
    tenant_id: resource.projectId,
    description: description ?? '',
    ...attrs,
    ...extra,
    tags: resource.tags,
    created_at: isoSeconds(resource.createdAt),
    updated_at: isoSeconds(resource.updatedAt),
    revision_number: resource.revisionNumber,
  };
}

/** `If-Match: revision_number=N` (Neutron's revision-if-match extension). */
export function checkRevision(resource: Resource, ifMatch: string | undefined, fail: (expected: string, current: number) => Error): void {
  if (!ifMatch) return;
  for (const part of ifMatch.split(',')) {
    const match = /^\s*"?revision_number=(\d+)"?\s*$/.exec(part);
    if (match && Number(match[1]) !== resource.revisionNumber) throw fail(part.trim(), resource.revisionNumber);
  }
}

/** A UUID-shaped id derived from `seed`: rows that must exist once (per project, per host) take it, so concurrent creators make one. */
export function derivedUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
