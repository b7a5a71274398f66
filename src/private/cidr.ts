/**
 * Strict IPv4 address and CIDR arithmetic, shared by every construct and by the reachability model.
 *
 * aws-cdk-lib's `NetworkUtils`/`CidrBlock` accept malformed input (`parseInt` reads `1.2.3.4x` as valid, a CIDR
 * with host bits set is silently moved to its network address), and this library must reject such input at synth
 * with a message naming the prop. The arithmetic needed is small, so it lives here with its own tests instead of
 * a runtime dependency that would be bundled into every language package.
 */

const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4_PATTERN = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);
const PREFIX_PATTERN = /^(3[0-2]|[12]?[0-9])$/;

/** Number of addresses in the IPv4 space. */
const SPACE = 2 ** 32;

/** True when `value` is a dotted-quad IPv4 address without leading zeros (`10.0.0.1`, not `010.0.0.1`). */
export function isIpv4(value: string): boolean {
  return IPV4_PATTERN.test(value);
}

/** Converts a dotted-quad IPv4 address to its unsigned 32-bit value. Throws on malformed input. */
export function ipv4ToNumber(value: string): number {
  if (!isIpv4(value)) {
    throw new Error(`${JSON.stringify(value)} is not an IPv4 address`);
  }
  return value.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

/** Converts an unsigned 32-bit value to a dotted-quad IPv4 address. */
export function numberToIpv4(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value >= SPACE) {
    throw new Error(`${value} is outside the IPv4 address space`);
  }
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Why a string is not a usable IPv4 CIDR, or undefined when it is one. */
export function cidrProblem(value: string): string | undefined {
  const parts = value.split('/');
  if (parts.length !== 2 || !isIpv4(parts[0]) || !PREFIX_PATTERN.test(parts[1])) {
    return 'is not an IPv4 CIDR; write it as a.b.c.d/n with n from 0 to 32';
  }
  const cidr = new Ipv4Cidr(ipv4ToNumber(parts[0]), Number(parts[1]), true);
  if (cidr.network !== ipv4ToNumber(parts[0])) {
    return `has host bits set; its network address is ${cidr.toString()}`;
  }
  return undefined;
}

/**
 * An IPv4 network in CIDR notation. Instances are always normalised (no host bits set).
 */
export class Ipv4Cidr {
  /** Parses `a.b.c.d/n`. Throws when the text is malformed or has host bits set. */
  public static parse(value: string): Ipv4Cidr {
    const problem = cidrProblem(value);
    if (problem) {
      throw new Error(`${JSON.stringify(value)} ${problem}`);
    }
    const [address, prefix] = value.split('/');
    return new Ipv4Cidr(ipv4ToNumber(address), Number(prefix));
  }

  /** Parses either an address (as a /32) or a CIDR. Throws on malformed input. */
  public static parseHostOrCidr(value: string): Ipv4Cidr {
    return value.includes('/') ? Ipv4Cidr.parse(value) : new Ipv4Cidr(ipv4ToNumber(value), 32);
  }

  /** The first address of the network, as an unsigned 32-bit value. */
  public readonly network: number;
  /** The prefix length, 0 to 32. */
  public readonly prefixLength: number;

  /** @param normalise when true, host bits of `address` are cleared instead of rejected. */
  constructor(address: number, prefixLength: number, normalise = false) {
    if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > 32) {
      throw new Error(`prefix length ${prefixLength} is outside 0-32`);
    }
    if (!Number.isInteger(address) || address < 0 || address >= SPACE) {
      throw new Error(`${address} is outside the IPv4 address space`);
    }
    const size = 2 ** (32 - prefixLength);
    const network = address - (address % size);
    if (network !== address && !normalise) {
      throw new Error(`${numberToIpv4(address)}/${prefixLength} has host bits set`);
    }
    this.network = network;
    this.prefixLength = prefixLength;
  }

  /** Number of addresses in the network. */
  public get size(): number {
    return 2 ** (32 - this.prefixLength);
  }

  /** The last address of the network, as an unsigned 32-bit value. */
  public get last(): number {
    return this.network + this.size - 1;
  }

  /** The network address in dotted-quad form. */
  public get networkAddress(): string {
    return numberToIpv4(this.network);
  }

  /** True when every address of `other` lies inside this network. */
  public contains(other: Ipv4Cidr): boolean {
    return this.network <= other.network && other.last <= this.last;
  }

  /** True when the address (dotted quad) lies inside this network. */
  public containsAddress(address: string): boolean {
    const n = ipv4ToNumber(address);
    return this.network <= n && n <= this.last;
  }

  /** True when the two networks share at least one address. */
  public overlaps(other: Ipv4Cidr): boolean {
    return this.network <= other.last && other.network <= this.last;
  }

  /** True when both denote the same network. */
  public equals(other: Ipv4Cidr): boolean {
    return this.network === other.network && this.prefixLength === other.prefixLength;
  }

  /**
   * The address at `offset` from the network address (negative offsets count back from the last address).
   * Throws when the offset falls outside the network.
   */
  public addressAt(offset: number): string {
    const n = offset >= 0 ? this.network + offset : this.last + 1 + offset;
    if (n < this.network || n > this.last) {
      throw new Error(`offset ${offset} is outside ${this.toString()}`);
    }
    return numberToIpv4(n);
  }

  /** Splits this network into consecutive subnets of the given prefix length. */
  public split(prefixLength: number): Ipv4Cidr[] {
    if (prefixLength < this.prefixLength || prefixLength > 32) {
      throw new Error(`cannot split ${this.toString()} into /${prefixLength} networks`);
    }
    const step = 2 ** (32 - prefixLength);
    const result: Ipv4Cidr[] = [];
    for (let n = this.network; n <= this.last; n += step) {
      result.push(new Ipv4Cidr(n, prefixLength));
    }
    return result;
  }

  /** `a.b.c.d/n`. */
  public toString(): string {
    return `${numberToIpv4(this.network)}/${this.prefixLength}`;
  }
}

/**
 * The pairs of overlapping networks in a list, in input order: `[i, j]` with `i < j`.
 */
export function overlappingPairs(cidrs: Ipv4Cidr[]): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < cidrs.length; i++) {
    for (let j = i + 1; j < cidrs.length; j++) {
      if (cidrs[i].overlaps(cidrs[j])) {
        pairs.push([i, j]);
      }
    }
  }
  return pairs;
}

/** A routing-table entry for `longestPrefixMatch`. */
export interface PrefixEntry<T> {
  readonly cidr: Ipv4Cidr;
  readonly value: T;
}

/**
 * Longest-prefix match: the entry whose network contains `address` with the longest prefix, or undefined.
 * Ties (equal prefixes, as a static route and a propagated one may have) return the first entry in input order.
 */
export function longestPrefixMatch<T>(address: Ipv4Cidr, entries: ReadonlyArray<PrefixEntry<T>>): PrefixEntry<T> | undefined {
  let best: PrefixEntry<T> | undefined;
  for (const entry of entries) {
    if (entry.cidr.contains(address) && (!best || entry.cidr.prefixLength > best.cidr.prefixLength)) {
      best = entry;
    }
  }
  return best;
}
