/**
 * IP address arithmetic shared by the services (Neutron's IPAM, Nova's
 * fixed-IP requests): addresses as bigints, so IPv4 and IPv6 share one code
 * path. Parsing is strict: a malformed address or CIDR is the caller's 400,
 * never a silent coercion.
 */

export type IpVersion = 4 | 6;

export interface Cidr {
  version: IpVersion;
  /** First address of the network. */
  network: bigint;
  prefixLen: number;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The address as a bigint and its version, or null when it is not an IP address. */
export function parseIp(text: string): { version: IpVersion; value: bigint } | null {
  const v4 = V4.exec(text);
  if (v4) {
    let value = 0n;
    for (const part of v4.slice(1)) {
      const octet = Number(part);
      if (octet > 255 || (part.length > 1 && part.startsWith('0'))) return null;
      value = (value << 8n) | BigInt(octet);
    }
    return { version: 4, value };
  }
  if (!text.includes(':') || !/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const embedded = parseIp(tail);
    if (!embedded || embedded.version !== 4) return null;
    const words = `${(embedded.value >> 16n).toString(16)}:${(embedded.value & 0xffffn).toString(16)}`;
    return parseIp(text.slice(0, lastColon + 1) + words);
  }
  const head = text;
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const parse = (s: string) => (s === '' ? [] : s.split(':'));
  const left = parse(halves[0] ?? '');
  const right = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const groups = left.length + right.length;
  if (halves.length === 1 ? groups !== 8 : groups > 7) return null;
  const words: bigint[] = [];
  for (const g of left) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    words.push(BigInt(`0x${g}`));
  }
  for (let i = 0; i < 8 - groups; i++) words.push(0n);
  for (const g of right) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    words.push(BigInt(`0x${g}`));
  }
  return { version: 6, value: words.reduce((acc, w) => (acc << 16n) | w, 0n) };
}

export function formatIp(version: IpVersion, value: bigint): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((s) => Number((value >> s) & 0xffn)).join('.');
  const words = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt((7 - i) * 16)) & 0xffffn));
  // RFC 5952: compress the longest run (length >= 2) of zero words, the first on a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Canonical text of an address (`2001:DB8::01` → `2001:db8::1`), or null. */
export function normalizeIp(text: string): string | null {
  const ip = parseIp(text);
  return ip ? formatIp(ip.version, ip.value) : null;
}

export function bits(version: IpVersion): number {
  return version === 4 ? 32 : 128;
}

/** Parses `a.b.c.d/n`; `strict` refuses host bits set (Neutron's subnet CIDR rule). */
export function parseCidr(text: string, strict = false): Cidr | null {
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!ip) return null;
  const prefixText = slash < 0 ? String(bits(ip.version)) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefixLen = Number(prefixText);
  if (prefixLen > bits(ip.version)) return null;
  const network = ip.value & netmask(ip.version, prefixLen);
  if (strict && network !== ip.value) return null;
  return { version: ip.version, network, prefixLen };
}

export function netmask(version: IpVersion, prefixLen: number): bigint {
  const all = (1n << BigInt(bits(version))) - 1n;
  return all ^ ((1n << BigInt(bits(version) - prefixLen)) - 1n);
}

export function lastAddress(cidr: Cidr): bigint {
  return cidr.network + (1n << BigInt(bits(cidr.version) - cidr.prefixLen)) - 1n;
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIp(cidr.version, cidr.network)}/${cidr.prefixLen}`;
}

export function cidrContains(cidr: Cidr, version: IpVersion, value: bigint): boolean {
  return cidr.version === version && value >= cidr.network && value <= lastAddress(cidr);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.version === b.version && a.network <= lastAddress(b) && b.network <= lastAddress(a);
}
