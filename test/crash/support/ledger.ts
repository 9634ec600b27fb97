/**
 * What the clients of the crash test were told: every create and delete the
 * cloud accepted (2xx), and every answer that was a server error. The
 * invariants after the last restart are checked against it.
 */

export interface AcceptedServer {
  name: string;
  /** A multi-create's first server: the others are `<base>-2` ... `<base>-<count>`. */
  multi?: { base: string; count: number };
}

export interface AcceptedImage {
  name: string;
  /** md5 of the bytes whose upload was acknowledged (204); null while none was. */
  uploadedMd5: string | null;
}

export class Ledger {
  readonly servers = new Map<string, AcceptedServer>();
  readonly serverDeletes = new Set<string>();
  /** Volume id to size (GiB). */
  readonly volumes = new Map<string, number>();
  readonly volumeDeletes = new Set<string>();
  readonly snapshots = new Set<string>();
  /** Attachments acknowledged with 200: volume id to server id and delete_on_termination. */
  readonly attachments = new Map<string, { server: string; deleteOnTermination: boolean }>();
  /** Volumes whose attach request the kill cut (no answer). */
  readonly cutAttaches = new Set<string>();
  readonly networks = new Set<string>();
  readonly ports = new Set<string>();
  readonly routers = new Set<string>();
  readonly images = new Map<string, AcceptedImage>();
  /** Container to object name to the md5 of the acknowledged (201) bytes. */
  readonly objects = new Map<string, Map<string, string>>();
  /** Answers with a 5xx status: a request can fail, but not crash. */
  readonly serverErrors: string[] = [];
  /** How many requests got an answer, and how many got none (cut by a kill). */
  answered = 0;
  unanswered = 0;
  /** `<verb> <kind>` to status to how many answers (0: none), for the diagnostics. */
  readonly tally = new Map<string, Map<number, number>>();

  note(what: string, status: number, text: string): void {
    if (status === 0) this.unanswered++;
    else this.answered++;
    const kind = what.split(' ').slice(0, 2).join(' ');
    const statuses = this.tally.get(kind) ?? new Map<number, number>();
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    this.tally.set(kind, statuses);
    if (status >= 500) this.serverErrors.push(`${what} -> ${status} ${text.slice(0, 300)}`);
  }

  /** The tally as one line: `create server 202x5 0x1, ...`. */
  summary(): string {
    return [...this.tally].map(([kind, statuses]) => `${kind} ${[...statuses].map(([s, n]) => `${s}x${n}`).join(' ')}`).join(', ');
  }

  /** Whether a volume may be gone without a delete of its own: a server it was attached to with delete_on_termination was deleted. */
  volumeMayBeGone(id: string): boolean {
    const attachment = this.attachments.get(id);
    return this.volumeDeletes.has(id) || (attachment !== undefined && attachment.deleteOnTermination && this.serverDeletes.has(attachment.server));
  }
}

/** A seeded pseudo-random source (mulberry32): the same seed gives the same kill times and operation mix. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One of `items`, picked by `random`; undefined when there is none. */
export function pick<T>(random: () => number, items: Iterable<T>): T | undefined {
  const all = [...items];
  return all.length === 0 ? undefined : all[Math.floor(random() * all.length)];
}
