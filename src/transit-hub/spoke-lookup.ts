import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ITransitGatewayAttachment, TransitGatewayAttachmentType } from './attachment';
import { AttachmentResolver } from './private/resolver';
import { acknowledgeNag, nagFinding } from '../private/nag';
import { PropsValidator } from '../private/validation';

/** Options for looking up a spoke's VPC attachment from the Network account (`GovHybridTransitHub.lookupSpokeAttachment`). */
export interface SpokeAttachmentLookupOptions {
  /** A short name, unique within the hub, e.g. `prod`; used in construct IDs and messages. */
  readonly name: string;
  /** The 12-digit ID of the account that owns the spoke VPC and created the attachment. */
  readonly ownerAccount: string;
  /**
   * The spoke VPC's IPv4 CIDR blocks, e.g. `['10.0.0.0/18']` (from the shared address plan). Static routes to the
   * spoke must lie inside them, and VPC attachments of one hub must not overlap.
   */
  readonly cidrs: string[];
  /**
   * The spoke VPC's ID, only needed when the owner account attaches several VPCs to this transit gateway.
   * @default - the account's only VPC attachment to the transit gateway
   */
  readonly vpcId?: string;
  /**
   * Accept the attachment when it is `pendingAcceptance` (`AcceptTransitGatewayVpcAttachment`), then wait until it is
   * `available` before the segments associate it.
   * @default - true when the hub does not auto-accept shared attachments
   */
  readonly acceptAttachment?: boolean;
  /**
   * How long the lookup waits for the attachment to appear before failing with "deploy the spoke stack first", so the
   * spoke and routing stacks may also be deployed at the same time. From 0 to 10 minutes.
   * @default Duration.minutes(5)
   */
  readonly waitForAttachment?: Duration;

  /**
   * Any text; change it to run the lookup again. CloudFormation calls the lookup only when its properties change, and
   * nothing in them changes when the spoke account replaces its VPC or attachment (the new attachment has a new ID),
   * so after such a rebuild the associations, propagations and static routes would keep the old ID. Set this to e.g.
   * the date of the rebuild and deploy the routing stack again.
   *
   * @default - no refresh key: the lookup runs when the stack is created and when another option changes
   */
  readonly refreshKey?: string;
}

/** Properties of a `SpokeAttachmentLookup`. */
export interface SpokeAttachmentLookupProps extends SpokeAttachmentLookupOptions {
  /** The transit gateway ID, `tgw-…` (a cross-stack reference to the hub is fine). */
  readonly transitGatewayId: string;
  /**
   * The KMS key for the resolver function's log group (the hub passes its log key).
   * @default - CloudWatch Logs service encryption
   */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * A spoke VPC attachment created in another account (by `GovHybridSpokeAttachment`), found from the Network account
 * at deployment so that nobody copies attachment IDs by hand (ARCHITECTURE.md correction 6: cross-account
 * CloudFormation references do not exist).
 *
 * How it works: the transit gateway owner sees every attachment to its transit gateway, including those created by
 * the accounts it is shared with through AWS RAM. A custom resource calls EC2 `DescribeTransitGatewayAttachments`
 * with the filters `transit-gateway-id`, `resource-type` = `vpc`, `resource-owner-id` = the spoke account (and
 * `resource-id` = the VPC ID when given) and `state` = pendingAcceptance/pending/available/modifying. When the hub
 * does not auto-accept shared attachments, it accepts the attachment (`AcceptTransitGatewayVpcAttachment`) and waits
 * until it is `available`. No attachment after `waitForAttachment` fails the deployment with "Deploy the spoke stack
 * first"; two or more ask for `vpcId`.
 *
 * IAM: `ec2:DescribeTransitGatewayAttachments` on `*` (EC2 Describe actions support no resource-level permissions);
 * `ec2:AcceptTransitGatewayVpcAttachment` on `transit-gateway-attachment/*` of the spoke account and of the hub
 * account in this region (the attachment ID is created by the spoke account at its deployment, so it cannot be named
 * at synthesis, and AWS does not document which of the two accounts a shared attachment's ARN carries). The hub-account
 * ARN therefore covers every attachment the hub may accept in the region. When the hub auto-accepts shared
 * attachments (as the reference deployment does), `acceptAttachment` defaults to false and the permission is not
 * granted at all.
 *
 * Use it in a stack of the Network account that is deployed after the spokes (the "routing" stack), then associate,
 * propagate and route it with the hub's segments.
 *
 * Scale: every lookup of a stack shares one function and one accept statement, which names each spoke account once
 * (about 70 characters). IAM managed policies hold 6,144 characters, so synthesis fails beyond about 80 spoke accounts
 * in one stack; spread the lookups over several routing stacks (e.g. one per department or OU, at most ~60 spokes each).
 *
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-share.html
 * @see https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeTransitGatewayAttachments.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AcceptTransitGatewayVpcAttachment.html
 */
export class SpokeAttachmentLookup extends Construct implements ITransitGatewayAttachment {
  public readonly attachmentId: string;
  public readonly attachmentName: string;
  public readonly cidrs: string[];
  public readonly propagatesRoutes: boolean = true;
  public readonly attachmentType: TransitGatewayAttachmentType = TransitGatewayAttachmentType.VPC;
  /** The account that owns the spoke VPC. */
  public readonly ownerAccount: string;

  constructor(scope: Construct, id: string, props: SpokeAttachmentLookupProps) {
    super(scope, id);
    const wait = props.waitForAttachment ?? Duration.minutes(5);
    const v = new PropsValidator('SpokeAttachmentLookup');
    v.accountId('ownerAccount', props.ownerAccount);
    v.nonEmpty('cidrs', props.cidrs, "give the spoke VPC's CIDR blocks from the address plan, e.g. 10.0.0.0/18.");
    props.cidrs.forEach((c, i) => v.cidr(`cidrs[${i}]`, c));
    if (props.vpcId !== undefined && !v.isToken(props.vpcId)) {
      v.check(/^vpc-[0-9a-f]{8,17}$/.test(props.vpcId), 'vpcId', props.vpcId, 'is not a VPC ID; write it as vpc- followed by 8 or 17 hexadecimal digits.');
    }
    v.integerInRange('waitForAttachment', wait.toSeconds({ integral: false }), 0, 600, 'a wait in whole seconds');
    v.throwIfInvalid(this);

    this.attachmentName = props.name;
    this.cidrs = [...props.cidrs];
    this.ownerAccount = props.ownerAccount;
    const accept = props.acceptAttachment ?? true;

    const resolver = AttachmentResolver.of(this, props.logEncryptionKey);
    resolver.grant(new iam.PolicyStatement({
      actions: ['ec2:DescribeTransitGatewayAttachments'],
      resources: ['*'],
    }));
    const stack = Stack.of(this);
    const acknowledged: string[] = [nagFinding(resolver.policy, 'AwsSolutions-IAM5', 'Resource', '*')];
    if (accept) {
      // Which account appears in a shared attachment's ARN is not documented: allow the resource owner (the spoke)
      // and the transit gateway owner, for transit gateway attachments only.
      const accounts = [props.ownerAccount, stack.account];
      const resources = accounts.map((account) => `arn:${Aws.PARTITION}:ec2:${stack.region}:${account}:transit-gateway-attachment/*`);
      resolver.grantAccept(resources);
      acknowledged.push(...resources.map((resource) => nagFinding(resolver.policy, 'AwsSolutions-IAM5', 'Resource', resource)));
    }
    acknowledgeNag(resolver.policy, ...acknowledged.map((finding) => ({
      id: finding,
      reason: finding === 'AwsSolutions-IAM5[Resource::*]'
        ? 'The spoke attachment lookup calls ec2:DescribeTransitGatewayAttachments, an EC2 Describe action that supports no resource-level permissions, so its Resource must be *.'
        : 'ec2:AcceptTransitGatewayVpcAttachment is limited to transit gateway attachments of the spoke or hub account in this region; the attachment ID is created by the spoke account at its deployment and cannot be named at synthesis.',
    })));

    const resource = resolver.resolve(this, 'Resource', 'Custom::TransitGatewaySpokeAttachment', {
      Operation: 'SpokeAttachment',
      Name: props.name,
      TransitGatewayId: props.transitGatewayId,
      OwnerAccount: props.ownerAccount,
      ...(props.vpcId ? { VpcId: props.vpcId } : {}),
      Accept: String(accept),
      WaitSeconds: String(wait.toSeconds()),
      ...(props.refreshKey !== undefined ? { RefreshKey: props.refreshKey } : {}),
    });
    this.attachmentId = resource.getAttString('Id');
  }
}

