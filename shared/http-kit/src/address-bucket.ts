import { isIPv6 } from 'node:net';

/**
 * The rate-limit bucket of a client address: IPv4 as is (IPv4-mapped IPv6
 * included), IPv6 by its /64, since one subscriber is usually given a whole /64
 * and could otherwise rotate addresses to get a fresh bucket each time.
 */
export function addressBucket(address: string | undefined): string {
  if (!address) return 'unknown';
  if (address.startsWith('::ffff:') && address.includes('.')) return address.slice(7);
  if (!isIPv6(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const middle = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...middle, ...right].map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''));
}
