/** The little IPv4 arithmetic the host side needs (address/prefix forms for iproute2 and dnsmasq). */

function toNumber(address: string): number {
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function toAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** `10.0.0.0/24` → network address, netmask and prefix length. */
export function ipv4Network(cidr: string): { network: string; netmask: string; prefix: number } {
  const [address = '', bits = '32'] = cidr.split('/');
  const prefix = Number(bits);
  const size = 2 ** (32 - prefix);
  return { network: toAddress(toNumber(address) - (toNumber(address) % size)), netmask: toAddress(2 ** 32 - size), prefix };
}

/** `address` with the prefix length of `cidr`: what goes on an interface. */
export function withPrefix(address: string, cidr: string): string {
  return `${address}/${ipv4Network(cidr).prefix}`;
}

export const isIpv4 = (address: string) => !address.includes(':');

/** Whether IPv4 `address` lies in `cidr`. */
export function contains(cidr: string, address: string): boolean {
  if (!isIpv4(address) || !isIpv4(cidr)) return false;
  return ipv4Network(`${address}/${ipv4Network(cidr).prefix}`).network === ipv4Network(cidr).network;
}
