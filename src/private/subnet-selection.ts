import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { PropsValidator } from './validation';

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
}

/**
 * Resolves `selection` against `vpc` and records a problem on `v` when it selects nothing, when explicitly given
 * subnets are not subnets of `vpc`, or when the subnets cover fewer availability zones than required.
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
      `cannot be resolved in \`${vpcProp}\` (${firstLine((e as Error).message)}); select subnets of that VPC, e.g. { subnetGroupName: 'app' }.`);
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

  const minAzs = check.minAzs ?? 1;
  const azs = new Set(selected.subnets.map((s) => s.availabilityZone).filter((az) => !Token.isUnresolved(az)));
  const allKnown = selected.subnets.every((s) => !Token.isUnresolved(s.availabilityZone));
  if (allKnown && azs.size < minAzs) {
    v.report(check.prop, describeSelection(selection),
      `selects subnets in ${azs.size} availability zone${azs.size === 1 ? '' : 's'} (${[...azs].join(', ')}); ${check.minAzsReason ?? `select subnets in at least ${minAzs} AZs`}.`);
  }
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

function firstLine(text: string): string {
  return text.split('\n')[0].trim().replace(/\.$/, '');
}
