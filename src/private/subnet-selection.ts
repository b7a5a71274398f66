import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Ipv4Cidr } from './cidr';
import { PropsValidator } from './validation';

/** Address ranges every selected subnet must lie in (`SubnetSelectionCheck.withinCidrs`). */
export interface SubnetRangeCheck {
  /** The ranges; a subnet passes when one of them contains it. An empty list checks nothing. */
  readonly cidrs: ReadonlyArray<Ipv4Cidr>;
  /**
   * The rest of the message after "lies outside ", naming the range and the fix, e.g.
   * "the VPC CIDR 10.0.0.0/18 (`vpc`); choose subnets of the VPC that hosts the endpoint."
   */
  readonly outside: string;
}

/** Options of `checkSubnetSelection`. */
export interface SubnetSelectionCheck {
  /** The prop that holds the selection, e.g. `applicationSubnets`. */
  readonly prop: string;
  /** How to name the VPC prop in messages. @default vpc */
  readonly vpcProp?: string;
  /** Fewest distinct availability zones the selection must cover (e.g. 2 for an ALB or an RDS subnet group). @default 1 */
  readonly minAzs?: number;
  /** Why `minAzs` holds, appended to the message, e.g. `an Application Load Balancer needs subnets in at least two AZs`. */
  readonly minAzsReason?: string;
  /**
   * Fewest subnets the selection must hold (e.g. 2 for a Route 53 Resolver endpoint, one IP address per subnet).
   * When it fails, the AZ count is not checked as well.
   * @default 1
   */
  readonly minSubnets?: number;
  /** Why `minSubnets` holds, with the fix, appended to the message. @default - "select at least <n> subnets" */
  readonly minSubnetsReason?: string;
  /**
   * Reject two selected subnets in the same availability zone (a VPC endpoint or a transit gateway attachment takes
   * one subnet per AZ). Reported on the later subnet, naming the earlier one.
   * @default false
   */
  readonly onePerAz?: boolean;
  /** Why `onePerAz` holds, appended to the message. @default - "select at most one subnet per availability zone" */
  readonly onePerAzReason?: string;
  /**
   * Ranges each selected subnet must lie in, checked in order (only the first one a subnet violates is reported):
   * e.g. the VPC CIDR, then the range the transit gateway routes to the subnets. Subnets whose CIDR is unknown or a
   * token are skipped.
   * @default - no range check
   */
  readonly withinCidrs?: SubnetRangeCheck[];
  /**
   * An example selection for the fix when the selection cannot be resolved.
   * @default "{ subnetGroupName: 'app' }"
   */
  readonly example?: string;
}

/**
 * Resolves `selection` against `vpc` and records a problem on `v` when it selects nothing, when explicitly given
 * subnets are not subnets of `vpc`, when it selects fewer subnets or covers fewer availability zones than required,
 * when two subnets share an availability zone (`onePerAz`), or when a subnet lies outside the required ranges
 * (`withinCidrs`). This is the one subnet check of the library's constructs, so their messages read alike.
 *
 * What "belongs to the VPC" means offline: a subnet passed in `selection.subnets` must be one of the subnets the
 * `vpc` object knows (its public, private and isolated subnets), compared by object and by subnet ID. A VPC
 * imported without subnets (`Vpc.fromVpcAttributes` with no subnet IDs) knows none, so this check is skipped for it;
 * AWS then rejects a foreign subnet at deployment. Availability zones that are tokens are not counted.
 *
 * @returns the selected subnets, or undefined when the selection could not be resolved
 */
export function checkSubnetSelection(v: PropsValidator, vpc: ec2.IVpc, selection: ec2.SubnetSelection,
  check: SubnetSelectionCheck): ec2.ISubnet[] | undefined {
  const vpcProp = check.vpcProp ?? 'vpc';
  let selected: ec2.SelectedSubnets;
  try {
    selected = vpc.selectSubnets(selection);
  } catch (e) {
    v.report(check.prop, describeSelection(selection),
      `cannot be resolved in \`${vpcProp}\` (${firstLine((e as Error).message)}); select subnets of that VPC, e.g. ${check.example ?? "{ subnetGroupName: 'app' }"}.`);
    return undefined;
  }

  if (selection.subnets) {
    const known = [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets];
    const knownIds = new Set(known.map((s) => s.subnetId));
    if (known.length > 0) {
      selection.subnets.forEach((subnet, i) => {
        if (!known.includes(subnet) && !knownIds.has(subnet.subnetId)) {
          v.report(`${check.prop}.subnets[${i}]`, describeSubnet(subnet),
            `is not a subnet of \`${vpcProp}\` (${describeVpc(vpc)}); select subnets of the VPC the workload runs in.`);
        }
      });
    }
  }

  if (selected.subnets.length === 0) {
    v.report(check.prop, describeSelection(selection), `selects no subnets in \`${vpcProp}\`; select at least one subnet per availability zone.`);
    return undefined;
  }

  const minSubnets = check.minSubnets ?? 1;
  const count = selected.subnets.length;
  if (count < minSubnets) {
    v.report(check.prop, describeSelection(selection),
      `selects ${count} subnet${count === 1 ? '' : 's'}; ${check.minSubnetsReason ?? `select at least ${minSubnets} subnets`}.`);
  } else {
    const minAzs = check.minAzs ?? 1;
    const azs = new Set(selected.subnets.map((s) => s.availabilityZone).filter((az) => !Token.isUnresolved(az)));
    const allKnown = selected.subnets.every((s) => !Token.isUnresolved(s.availabilityZone));
    if (allKnown && azs.size < minAzs) {
      v.report(check.prop, describeSelection(selection),
        `selects subnets in ${azs.size} availability zone${azs.size === 1 ? '' : 's'} (${[...azs].join(', ')}); ${check.minAzsReason ?? `select subnets in at least ${minAzs} AZs`}.`);
    }
  }

  const firstInAz = new Map<string, number>();
  selected.subnets.forEach((subnet, i) => {
    const where = `${check.prop}[${i}]`;
    const zone = tryRead(() => subnet.availabilityZone);
    if (check.onePerAz && zone !== undefined && !Token.isUnresolved(zone)) {
      const first = firstInAz.get(zone);
      if (first !== undefined) {
        v.report(where, describeSubnet(subnet),
          `is in ${zone} like \`${check.prop}[${first}]\`; ${check.onePerAzReason ?? 'select at most one subnet per availability zone'}.`);
      } else {
        firstInAz.set(zone, i);
      }
    }
    const text = tryRead(() => subnet.ipv4CidrBlock);
    if (!check.withinCidrs || text === undefined || Token.isUnresolved(text)) {
      return;
    }
    let cidr: Ipv4Cidr;
    try {
      cidr = Ipv4Cidr.parse(text);
    } catch {
      return; // an imported subnet with a malformed CIDR: AWS rejects it at deployment
    }
    const violated = check.withinCidrs.find((range) => range.cidrs.length > 0 && !range.cidrs.some((r) => r.contains(cidr)));
    if (violated) {
      v.report(where, text, `lies outside ${violated.outside}`);
    }
  });
  return selected.subnets;
}

/** A compact rendering of a subnet selection for error messages (no spaces, so it is shown unquoted). */
export function describeSelection(selection: ec2.SubnetSelection): string {
  const parts: string[] = [];
  if (selection.subnetGroupName) {
    parts.push(`subnetGroupName:'${selection.subnetGroupName}'`);
  }
  if (selection.subnetType) {
    parts.push(`subnetType:'${selection.subnetType}'`);
  }
  if (selection.availabilityZones) {
    parts.push(`availabilityZones:[${selection.availabilityZones.join(',')}]`);
  }
  if (selection.subnets) {
    parts.push(`subnets:[${selection.subnets.map(describeSubnet).join(',')}]`);
  }
  return `{${parts.join(',')}}`;
}

function describeSubnet(subnet: ec2.ISubnet): string {
  return Token.isUnresolved(subnet.subnetId) ? subnet.node.path : subnet.subnetId;
}

function describeVpc(vpc: ec2.IVpc): string {
  return Token.isUnresolved(vpc.vpcId) ? vpc.node.path : vpc.vpcId;
}

/** Reads a subnet attribute that an imported subnet may not have (aws-cdk-lib throws then). */
function tryRead(read: () => string): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim().replace(/\.$/, '');
}
