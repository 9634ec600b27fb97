/**
 * Sets of addresses of one IP version as sorted, disjoint, non-adjacent
 * ranges: what subnet pools need to merge prefixes, take allocated subnets
 * out of them and find room for a new prefix (netaddr's IPSet in Neutron).
 */
import { bits, formatCidr, lastAddress, parseCidr, type Cidr, type IpVersion } from '../../core/net/ip.js';

interface Range {
  start: bigint;
  end: bigint;
}

export class IpSet {
  private constructor(
    readonly version: IpVersion,
    private readonly ranges: Range[],
  ) {}

  static of(version: IpVersion, cidrs: Cidr[]): IpSet {
    return new IpSet(version, merge(cidrs.filter((c) => c.version === version).map((c) => ({ start: c.network, end: lastAddress(c) }))));
  }

  /** Parses CIDR texts that callers have already validated. */
  static parse(version: IpVersion, texts: string[]): IpSet {
    return IpSet.of(
      version,
      texts.map((t) => parseCidr(t)).filter((c): c is Cidr => c !== null),
    );
  }

  union(other: IpSet): IpSet {
    return new IpSet(this.version, merge([...this.ranges, ...other.ranges]));
  }

  difference(other: IpSet): IpSet {
    let result = this.ranges;
    for (const cut of other.ranges) {
      const next: Range[] = [];
      for (const r of result) {
        if (cut.end < r.start || cut.start > r.end) next.push(r);
        else {
          if (cut.start > r.start) next.push({ start: r.start, end: cut.start - 1n });
          if (cut.end < r.end) next.push({ start: cut.end + 1n, end: r.end });
        }
      }
      result = next;
    }
    return new IpSet(this.version, result);
  }

  intersects(other: IpSet): boolean {
    return this.ranges.some((a) => other.ranges.some((b) => a.start <= b.end && b.start <= a.end));
  }

  /** True when every address of `this` is in `other`. */
  isSubsetOf(other: IpSet): boolean {
    return this.difference(other).isEmpty();
  }

  isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  /** The fewest CIDRs covering exactly this set, in address order (netaddr's iter_cidrs). */
  cidrs(): Cidr[] {
    const width = bits(this.version);
    const out: Cidr[] = [];
    for (const { start, end } of this.ranges) {
      let at = start;
      while (at <= end) {
        // The largest block aligned at `at` that does not pass `end`.
        let size = 0;
        while (size < width && (at & ((1n << BigInt(size + 1)) - 1n)) === 0n && at + (1n << BigInt(size + 1)) - 1n <= end) size++;
        out.push({ version: this.version, network: at, prefixLen: width - size });
        at += 1n << BigInt(size);
      }
    }
    return out;
  }

  cidrTexts(): string[] {
    return this.cidrs().map(formatCidr);
  }

  /**
   * The first free prefix of `prefixLen`, Neutron's way: the smallest free
   * block that can hold it (best fit, lowest address among equals), and the
   * first prefix of that block. Null when none fits.
   */
  firstFree(prefixLen: number): Cidr | null {
    const blocks = this.cidrs().filter((c) => c.prefixLen <= prefixLen);
    if (blocks.length === 0) return null;
    const best = blocks.reduce((a, b) => (b.prefixLen > a.prefixLen ? b : a));
    return { version: this.version, network: best.network, prefixLen };
  }

  /** True when `cidr` lies wholly inside one range of this set. */
  contains(cidr: Cidr): boolean {
    return IpSet.of(this.version, [cidr]).isSubsetOf(this);
  }
}

function merge(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end + 1n) {
      if (r.end > last.end) last.end = r.end;
    } else out.push({ ...r });
  }
  return out;
}
