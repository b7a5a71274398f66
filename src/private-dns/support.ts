import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { cidrProblem } from '../private/cidr';
import { PropsValidator } from '../private/validation';

const ACCOUNT_ID = /^[0-9]{12}$/;
const OU_ARN = /^arn:aws[a-z-]*:organizations::[0-9]{12}:ou\/o-[a-z0-9]{10,32}\/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/;
const ORGANIZATION_ARN = /^arn:aws[a-z-]*:organizations::[0-9]{12}:organization\/o-[a-z0-9]{10,32}$/;

/**
 * Checks a RAM principal: a 12-digit account ID, an OU ARN or the organization ARN, and not the sharing account.
 * @see https://docs.aws.amazon.com/ram/latest/APIReference/API_CreateResourceShare.html
 */
export function validatePrincipal(v: PropsValidator, prop: string, principal: string, ownAccount: string): void {
  if (v.isToken(principal)) {
    return;
  }
  if (!ACCOUNT_ID.test(principal) && !OU_ARN.test(principal) && !ORGANIZATION_ARN.test(principal)) {
    v.report(prop, principal,
      'is not a RAM principal; use a 12-digit account ID, an OU ARN (arn:aws:organizations::<management account>:ou/o-.../ou-...) or the organization ARN.');
    return;
  }
  if (!Token.isUnresolved(ownAccount) && principal === ownAccount) {
    v.report(prop, principal, 'is the account that owns the Profile; RAM cannot share a resource with its owner, so remove it.');
  }
}

/**
 * Private hosted zones and Resolver endpoints need `enableDnsSupport` and `enableDnsHostnames`. Only an L2 `ec2.Vpc`
 * of this app tells us; imported VPCs are trusted.
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-considerations.html
 */
export function checkVpcDnsAttributes(v: PropsValidator, prop: string, vpc: ec2.IVpc): void {
  if (vpc instanceof ec2.Vpc && (!vpc.dnsSupportEnabled || !vpc.dnsHostnamesEnabled)) {
    v.report(prop, vpc.node.path,
      'has DNS support or DNS hostnames disabled; private hosted zones and Resolver endpoints need both, so set enableDnsSupport and enableDnsHostnames to true.');
  }
}

/**
 * The VPC's primary CIDR when it is known at synth (an `ec2.Vpc` of this app or a VPC imported with a literal CIDR);
 * undefined for tokens and malformed text (the VPC's own construct reports those).
 */
export function knownVpcCidr(vpc: ec2.IVpc): string | undefined {
  const candidates: Array<string | undefined> = [vpc.vpcCidrBlock];
  const child = vpc.node.defaultChild;
  if (child instanceof ec2.CfnVPC) {
    candidates.push(child.cidrBlock);
  }
  return candidates.find((c) => c !== undefined && !Token.isUnresolved(c) && cidrProblem(c) === undefined);
}

/** A short, JSON-safe description of a subnet selection for error messages. */
export function describeSelection(selection: ec2.SubnetSelection): Record<string, unknown> {
  const description: Record<string, unknown> = {};
  if (selection.subnetGroupName !== undefined) {
    description.subnetGroupName = selection.subnetGroupName;
  }
  if (selection.subnetType !== undefined) {
    description.subnetType = selection.subnetType;
  }
  if (selection.availabilityZones !== undefined) {
    description.availabilityZones = selection.availabilityZones;
  }
  if (selection.subnets !== undefined) {
    description.subnets = selection.subnets.map((s) => (Token.isUnresolved(s.subnetId) ? s.node.path : s.subnetId));
  }
  return description;
}
