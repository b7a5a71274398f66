import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Ipv4Cidr } from './cidr';
import { PropsValidator } from './validation';

/** One subnet group of a VPC whose subnets sit at planned addresses, one CIDR per availability zone. */
export interface ExactSubnetGroup {
  /** The group name, e.g. `bastion`; used as the CDK subnet group name. */
  readonly name: string;
  /** The subnet type; this library only builds isolated subnets unless the caller asks otherwise. */
  readonly subnetType: ec2.SubnetType;
  /** One CIDR per availability zone, in the order of the VPC's availability zones. */
  readonly cidrs: string[];
  /** The prop path that holds `cidrs`, for error messages, e.g. `subnets.bastion`. */
  readonly prop: string;
}

/** What `validateExactSubnets` found: the parsed VPC CIDR and the parsed subnet CIDRs by group. */
export interface ExactSubnetPlan {
  readonly vpcCidr?: Ipv4Cidr;
  readonly groups: ReadonlyArray<{ readonly group: ExactSubnetGroup; readonly cidrs: ReadonlyArray<Ipv4Cidr | undefined> }>;
}

/**
 * Checks a planned VPC: the VPC CIDR is /16 to /28, every subnet CIDR is /16 to /28 and lies inside it, no two
 * subnets overlap, every group has exactly one subnet per availability zone, and there are at least two AZs.
 * Problems are recorded on `v`; nothing is thrown here.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
 */
export function validateExactSubnets(v: PropsValidator, vpcCidrProp: string, vpcCidr: string, azProp: string,
  availabilityZones: string[], groups: ExactSubnetGroup[]): ExactSubnetPlan {
  const vpc = v.cidr(vpcCidrProp, vpcCidr);
  if (vpc && (vpc.prefixLength < 16 || vpc.prefixLength > 28)) {
    v.report(vpcCidrProp, vpcCidr, 'is outside the VPC size limits; a VPC CIDR must be from /16 to /28.');
  }
  v.check(availabilityZones.length >= 2, azProp, availabilityZones,
    'has fewer than two availability zones; give two or more so that every subnet group spans two AZs.');
  // A repeated AZ would count twice towards the two and put two subnets of a group in one AZ.
  availabilityZones.forEach((az, i) => {
    const first = availabilityZones.indexOf(az);
    if (first < i && !v.isToken(az)) {
      v.report(`${azProp}[${i}]`, az, `repeats \`${azProp}[${first}]\`; list each availability zone once.`);
    }
  });
  const seen: Array<{ cidr: Ipv4Cidr; where: string }> = [];
  const parsedGroups = groups.map((group) => {
    if (availabilityZones.length >= 2 && group.cidrs.length !== availabilityZones.length) {
      v.report(group.prop, group.cidrs,
        `has ${group.cidrs.length} subnet CIDRs for ${availabilityZones.length} availability zones; give exactly one CIDR per AZ, in the order of \`${azProp}\`.`);
    }
    const cidrs = group.cidrs.map((text, i) => {
      const prop = `${group.prop}[${i}]`;
      const cidr = v.cidr(prop, text);
      if (!cidr) {
        return undefined;
      }
      if (cidr.prefixLength < 16 || cidr.prefixLength > 28) {
        v.report(prop, text, 'is outside the subnet size limits; a subnet CIDR must be from /16 to /28.');
      }
      if (vpc && !vpc.contains(cidr)) {
        v.report(prop, text, `lies outside the VPC CIDR ${vpc.toString()} (\`${vpcCidrProp}\`); choose a subnet inside it.`);
      }
      for (const other of seen) {
        if (other.cidr.overlaps(cidr)) {
          v.report(prop, text, `overlaps ${other.cidr.toString()} (\`${other.where}\`); subnets of one VPC must not overlap.`);
        }
      }
      seen.push({ cidr, where: prop });
      return cidr;
    });
    return { group, cidrs };
  });
  return { vpcCidr: vpc, groups: parsedGroups };
}

/**
 * An `ec2.IIpAddresses` that hands each subnet of an `ec2.Vpc` its planned CIDR instead of carving the VPC range
 * automatically, so that an L2 `ec2.Vpc` (with `selectSubnets`, endpoints and flow logs) has subnets at exactly
 * the addresses of the address plan. Validate the plan with `validateExactSubnets` first.
 *
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_ec2.IIpAddresses.html
 */
export class ExactSubnetIpAddresses implements ec2.IIpAddresses {
  constructor(private readonly vpcCidr: string, private readonly availabilityZones: string[],
    private readonly groups: ExactSubnetGroup[]) {}

  public allocateVpcCidr(): ec2.VpcIpamOptions {
    return { cidrBlock: this.vpcCidr };
  }

  public allocateSubnetsCidr(input: ec2.AllocateCidrRequest): ec2.SubnetIpamOptions {
    return {
      allocatedSubnets: input.requestedSubnets.map((request) => {
        const group = this.groups.find((g) => g.name === request.configuration.name);
        const az = this.availabilityZones.indexOf(request.availabilityZone);
        if (!group || az < 0 || az >= group.cidrs.length) {
          throw new Error(`no planned CIDR for subnet group ${request.configuration.name} in ${request.availabilityZone}`);
        }
        return { cidr: group.cidrs[az] };
      }),
    };
  }
}

/**
 * The `subnetConfiguration` for an `ec2.Vpc` built with `ExactSubnetIpAddresses`. `cidrMask` only documents the
 * size; the planned CIDRs decide the addresses.
 */
export function exactSubnetConfiguration(groups: ExactSubnetGroup[]): ec2.SubnetConfiguration[] {
  return groups.map((group) => ({
    name: group.name,
    subnetType: group.subnetType,
    cidrMask: Number(group.cidrs[0]?.split('/')[1] ?? 28),
  }));
}
