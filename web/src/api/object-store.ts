/** Swift's account and container listings (format=json) and the paths the panels build. */
export interface ContainerEntry {
  name: string;
  count: number;
  bytes: number;
}

export type ObjectEntry = { name: string; bytes: number; content_type: string; last_modified: string; hash: string } | { subdir: string };

/** X-Container-Read that lets anyone read the objects and list the container (Swift's referrer ACL). */
export const PUBLIC_READ_ACL = '.r:*,.rlistings';

export function isPublicRead(acl: string | null): boolean {
  return (acl ?? '').split(',').some((grant) => grant.trim() === '.r:*');
}

/** A container or object path with each segment escaped and the slashes kept. */
export function swiftPath(container: string, object = ''): string {
  const escaped = [container, ...(object ? object.split('/') : [])].map(encodeURIComponent).join('/');
  return `/${escaped}`;
}

/** A listing answered 204 (nothing in it) has no body: the client then gives `{}`, not `[]`. */
export function listing<T>(data: unknown): T[] {
  return Array.isArray(data) ? (data as T[]) : [];
}
