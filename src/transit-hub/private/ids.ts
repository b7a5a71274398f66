import { Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

/** `network-vpc` → `NetworkVpc`; falls back to `Attachment<index>` for names that are tokens or have no letters. */
export function idPart(name: string, index: number): string {
  if (Token.isUnresolved(name) || !/[A-Za-z0-9]/.test(name)) {
    return `Attachment${index}`;
  }
  return name.split(/[^A-Za-z0-9]+/).filter((p) => p.length > 0).map((p) => p[0].toUpperCase() + p.slice(1)).join('');
}

/** A construct ID for a CIDR: `10.0.20.0/26` → `10_0_20_0_26`, stable when other routes are added or reordered. */
export function cidrIdPart(cidr: string, index: number): string {
  return Token.isUnresolved(cidr) ? `Destination${index}` : cidr.replace(/[./]/g, '_');
}

/** `base`, or `base2`, `base3`… when a sibling already uses the ID (the duplicate itself is reported by validation). */
export function freeId(scope: IConstruct, base: string): string {
  let id = base;
  for (let n = 2; scope.node.tryFindChild(id); n++) {
    id = `${base}${n}`;
  }
  return id;
}

/** The child `id` of `scope`, created as a plain construct when absent. */
export function findOrCreate(scope: IConstruct, id: string): Construct {
  return (scope.node.tryFindChild(id) as Construct | undefined) ?? new Construct(scope, id);
}
