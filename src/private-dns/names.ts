import { createHash } from 'crypto';

/**
 * Naming shared by the two sides of the private DNS design. The Network account (PrivateDnsHub) and the spoke
 * accounts (PrivateDnsSpoke) cannot reference each other's CloudFormation outputs, so the spoke finds the hub's
 * Route 53 Profile through the name of the AWS RAM resource share that carries it; both sides compute that name
 * from the same inputs (the hub name and the spoke's zone name).
 */

/** The default `hubName` of PrivateDnsHub and PrivateDnsSpoke. */
export const DEFAULT_HUB_NAME = 'gov-private-dns';

/** Pattern of a hub name: it prefixes RAM share, Profile and Resolver names. */
export const HUB_NAME_PATTERN = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/;

/** A domain name in canonical form: lower case, no trailing dot. Two rules for the same domain compare equal. */
export function canonicalDomain(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/**
 * A name accepted by Route 53 Resolver and Route 53 Profiles (`(?!^[0-9]+$)([a-zA-Z0-9\-_' ']+)`, at most 64
 * characters): dots and other characters become hyphens.
 */
export function resourceName(...parts: string[]): string {
  const text = parts.join('-').replace(/[^a-zA-Z0-9_ -]/g, '-').replace(/-+/g, '-').slice(0, 64);
  return /^[0-9]+$/.test(text) ? `n${text}`.slice(0, 64) : text;
}

/**
 * The name of the RAM resource share through which the hub shares its Route 53 Profile with the account(s) that
 * may contribute the private hosted zone `zoneName`. The spoke looks the share up by this name.
 */
export function zoneShareName(hubName: string, zoneName: string): string {
  return `${hubName}-zone-${canonicalDomain(zoneName)}`;
}

/**
 * The name of the RAM customer managed permission of one spoke zone: `<hubName>-<zoneName>` when it fits RAM's
 * limit (36 characters of `[\w.-]`), otherwise shortened with a hash of the full name so it stays unique.
 */
export function zonePermissionName(hubName: string, zoneName: string): string {
  const full = `${hubName}-${canonicalDomain(zoneName)}`.replace(/[^\w.-]/g, '-');
  if (full.length <= 36) {
    return full;
  }
  return `${full.slice(0, 27)}-${createHash('sha256').update(full).digest('hex').slice(0, 8)}`;
}

/** The name of the read-only RAM share of the hub's Profile (principals of `profileConsumers`). */
export function consumerShareName(hubName: string): string {
  return `${hubName}-profile`;
}
