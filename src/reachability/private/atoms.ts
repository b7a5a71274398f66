import { Ipv4Cidr } from '../../private/cidr';

/**
 * Splits an address range into atoms: ranges that every boundary CIDR either contains entirely or misses entirely,
 * so that every route, rule and site decides the same way for all addresses of an atom. CIDRs either nest or are
 * disjoint, so halving the range until no boundary lies strictly inside it is enough.
 */
export function atoms(range: Ipv4Cidr, boundaries: readonly Ipv4Cidr[]): Ipv4Cidr[] {
  const inner = boundaries.filter((b) => b.prefixLength > range.prefixLength && range.contains(b));
  if (inner.length === 0) {
    return [range];
  }
  return range.split(range.prefixLength + 1).flatMap((half) => atoms(half, inner));
}

/** The smallest list of CIDRs that covers exactly the given ones: duplicates and nested CIDRs dropped, siblings joined. */
export function aggregate(cidrs: readonly Ipv4Cidr[]): Ipv4Cidr[] {
  let list = [...cidrs].sort((a, b) => a.network - b.network || a.prefixLength - b.prefixLength)
    .filter((c, i, all) => !all.slice(0, i).some((o) => o.contains(c)));
  let changed = true;
  while (changed) {
    changed = false;
    const next: Ipv4Cidr[] = [];
    for (let i = 0; i < list.length; i++) {
      const a = list[i];
      const b = list[i + 1];
      if (b && a.prefixLength === b.prefixLength && a.prefixLength > 0 && a.last + 1 === b.network
        && a.network % (a.size * 2) === 0) {
        next.push(new Ipv4Cidr(a.network, a.prefixLength - 1));
        i++;
        changed = true;
      } else {
        next.push(a);
      }
    }
    list = next;
  }
  return list;
}
