/**
 * Container sync's realms, as Swift's container-sync-realms.conf and its
 * container_sync middleware: which `X-Container-Sync-To` values a container
 * may hold, and what `/info` announces. Realm and cluster names match
 * without regard to case (Swift upper-cases them). Nimbus syncs between the
 * containers of its own cluster, so a target is `//realm/<this cluster>/...`
 * of a realm this cluster belongs to; full URLs are refused as Swift refuses
 * them with `allow_full_urls = false`.
 */
import type { SyncRealmConfig } from '../config.js';

export interface SyncTarget {
  account: string;
  container: string;
}

/** Python's repr of a string, as Swift's messages quote values. */
function repr(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

export class SyncRealms {
  private readonly realms: Map<string, SyncRealmConfig>;
  private readonly cluster: string;

  constructor(realms: Record<string, SyncRealmConfig>, cluster: string) {
    this.realms = new Map(Object.entries(realms).map(([name, realm]) => [name.toUpperCase(), realm]));
    this.cluster = cluster.toUpperCase();
  }

  get enabled(): boolean {
    return this.realms.size > 0;
  }

  /** The error Swift answers (400) for a value it would not keep, or null when the value is fine ('' clears it). */
  invalid(value: string): string | null {
    const target = value.replace(/\/+$/, '');
    if (target === '') return null;
    if (!target.startsWith('//')) {
      return 'Full URLs are not allowed for X-Container-Sync-To values. Only realm values of the format //realm/cluster/account/container are allowed.\n';
    }
    const parts = target.slice(2).split('/');
    if (parts.length !== 4) return `Invalid X-Container-Sync-To format ${repr(value)}`;
    const [realm = '', cluster = ''] = parts;
    if (!this.realms.get(realm.toUpperCase())?.key) return `No realm key for ${repr(realm)}`;
    if (cluster.toUpperCase() !== this.cluster) return `No cluster endpoint for ${repr(realm)} ${repr(cluster)}`;
    return null;
  }

  /** The container a valid stored value names; null for a value no longer valid (a realm since removed). */
  target(value: string): SyncTarget | null {
    if (value === '' || this.invalid(value) !== null) return null;
    const [, , account = '', container = ''] = value.replace(/\/+$/, '').slice(2).split('/');
    return { account, container };
  }

  /** `/info`'s `container_sync`: each realm with this cluster, marked current. */
  info(): Record<string, unknown> {
    const realms = Object.fromEntries([...this.realms.keys()].map((realm) => [realm, { clusters: { [this.cluster]: { current: true } } }]));
    return { realms };
  }
}
