import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { cidrProblem, Ipv4Cidr } from './cidr';

/** What is known at synth about the IPv4 ranges of a VPC (`knownVpcCidrs`). */
export interface KnownVpcCidrs {
  /**
   * False when the VPC was imported without its CIDR (`Vpc.fromVpcAttributes` with no `vpcCidrBlock`): aws-cdk-lib
   * then throws on `vpcCidrBlock`, and nothing can be checked against the VPC's range.
   */
  readonly supplied: boolean;
  /**
   * The primary CIDR as written, when it is a literal: the `vpcCidrBlock` of an imported VPC, or the `cidrBlock` of
   * the `AWS::EC2::VPC` of an `ec2.Vpc` defined in this app (whose `vpcCidrBlock` is a token). It may be malformed
   * (an imported VPC's attribute is not validated): callers that must report that parse it with `PropsValidator.cidr`.
   */
  readonly primaryText?: string;
  /** The primary CIDR, when `primaryText` is a well-formed IPv4 CIDR. */
  readonly primary?: Ipv4Cidr;
  /**
   * Secondary IPv4 blocks of the VPC that are literal `AWS::EC2::VPCCidrBlock` resources (`ec2.CfnVPCCidrBlock`) of
   * the VPC's stack, defined before this call. Blocks added later, imported, or allocated from IPAM are not seen.
   */
  readonly secondary: Ipv4Cidr[];
  /** `primary` (when known) followed by `secondary`: every range whose addresses are `local` to the VPC. */
  readonly all: Ipv4Cidr[];
}

/**
 * The IPv4 ranges of a VPC that are known at synth, for checks such as "this on-premises address must lie outside
 * the VPC" (ARCHITECTURE.md correction 3) or "these subnets must lie inside the VPC".
 *
 * - An `ec2.Vpc` of this app: its `vpcCidrBlock` is a token, so the literal `cidrBlock` of its `CfnVPC` is used.
 * - An imported VPC: its `vpcCidrBlock` when it is a literal; nothing when it is a token; `supplied: false` when it
 *   was imported without one.
 * - Secondary CIDR blocks: a VPC route more specific than `local` cannot point at a transit gateway for them either,
 *   so they count as much as the primary. They are found as `ec2.CfnVPCCidrBlock` resources of the VPC's stack whose
 *   `vpcId` is this VPC and whose `cidrBlock` is a literal, at the time of the call (define them before the
 *   construct that checks). Blocks from IPAM pools, of imported VPCs, or added later are not known; checks then
 *   cover the primary CIDR only, and AWS enforces the rest at deployment.
 */
export function knownVpcCidrs(vpc: ec2.IVpc): KnownVpcCidrs {
  let text: string | undefined;
  let supplied = true;
  try {
    text = vpc.vpcCidrBlock;
  } catch {
    supplied = false;
  }
  if (text !== undefined && Token.isUnresolved(text)) {
    const cfnVpc = vpc.node.defaultChild;
    text = cfnVpc instanceof ec2.CfnVPC && typeof cfnVpc.cidrBlock === 'string' && !Token.isUnresolved(cfnVpc.cidrBlock)
      ? cfnVpc.cidrBlock
      : undefined;
  }
  const primary = text !== undefined && cidrProblem(text) === undefined ? Ipv4Cidr.parse(text) : undefined;
  const secondary = secondaryBlocks(vpc);
  return { supplied, primaryText: text, primary, secondary, all: [...(primary ? [primary] : []), ...secondary] };
}

/** Literal secondary IPv4 blocks (`AWS::EC2::VPCCidrBlock`) of `vpc` in its own stack. */
function secondaryBlocks(vpc: ec2.IVpc): Ipv4Cidr[] {
  let stack: Stack;
  try {
    stack = Stack.of(vpc);
  } catch {
    return [];
  }
  const vpcId = JSON.stringify(stack.resolve(vpc.vpcId));
  return stack.node.findAll()
    .filter((c: IConstruct): c is ec2.CfnVPCCidrBlock => c instanceof ec2.CfnVPCCidrBlock)
    .filter((block) => typeof block.cidrBlock === 'string' && !Token.isUnresolved(block.cidrBlock) && cidrProblem(block.cidrBlock) === undefined)
    .filter((block) => JSON.stringify(stack.resolve(block.vpcId)) === vpcId)
    .map((block) => Ipv4Cidr.parse(block.cidrBlock!));
}
