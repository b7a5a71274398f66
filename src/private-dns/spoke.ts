import { Fn, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53profiles from 'aws-cdk-lib/aws-route53profiles';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { canonicalDomain, DEFAULT_HUB_NAME, HUB_NAME_PATTERN, resourceName, zoneShareName } from './names';
import { checkVpcDnsAttributes } from './support';
import { acknowledgeAwsCustomResourceProvider } from '../private/aws-custom-resource';
import { acknowledgeNag } from '../private/nag';
import { PropsValidator } from '../private/validation';

/** Properties of a HubProfileLookup. */
export interface HubProfileLookupProps {
  /**
   * The name of the RAM resource share that carries the Profile: `PrivateDnsHub.zoneShareName(hubName, zoneName)`
   * for a zone contributor, `PrivateDnsHub.consumerShareName(hubName)` for a read-only consumer.
   */
  readonly resourceShareName: string;

  /**
   * The 12-digit ID of the account that owns the Profile and the share (the Network account of the
   * PrivateDnsHub). Only a share owned by this account is accepted: a share of the same name that another account
   * of the organization shares with this account is never used.
   */
  readonly ownerAccount: string;
}

/**
 * Finds, at deployment, the Route 53 Profile that the Network account's PrivateDnsHub shared with this account
 * through AWS RAM. CloudFormation has no cross-account references, and the Profile ID is only known after the hub is
 * deployed.
 *
 * Two read-only SDK calls in this account (aws-cdk-lib `AwsCustomResource`):
 * 1. RAM `GetResourceShares` (shares owned by other accounts, active, named `resourceShareName`) gives a share ARN.
 *    RAM cannot filter shares by owner and share names are not unique across accounts, so this is only a candidate.
 * 2. RAM `ListResources` (`route53profiles:Profile` resources of other accounts) in the share whose ARN is rebuilt
 *    with `ownerAccount`: `arn:<partition>:ram:<region>:<ownerAccount>:resource-share/<ID of the candidate>`. A
 *    share's ID is unique, so this names the candidate only if `ownerAccount` owns it, and a share holds only
 *    resources its owner owns: the Profile returned is the hub's. If the candidate belongs to any other account, the
 *    rebuilt ARN names no share shared with this account, the call returns nothing and the deployment fails ("...
 *    doesn't contain resources.0.arn" or RAM's unknown-resource error): a foreign Profile is never associated.
 *
 * Exactness: the hub's share holds exactly one Profile (PrivateDnsHub shares only its own), so a match is unique.
 * The lookup cannot be misled, but it can be blocked: if another account of the organization shares a share of the
 * same name with this account and RAM lists it first, the deployment fails instead of picking the hub's share.
 * Then pass the Profile ID directly (`PrivateDnsSpoke.hubProfileId`, from the hub stack's `ProfileIdOutput`), and
 * remove the other share. The deployment also fails when the hub has not shared the Profile with this account yet
 * (deploy the hub first; within an organization with RAM sharing enabled no invitation must be accepted).
 *
 * When it runs: on create, and on every update that changes `resourceShareName` or `ownerAccount` (both are in the
 * calls' parameters and physical IDs). It does not re-run on its own when the hub replaces its Profile; that happens
 * only when the hub's name changes (which changes `resourceShareName` here) or the hub stack is recreated, which
 * needs every spoke association removed first, i.e. the spokes redeployed.
 *
 * @see https://docs.aws.amazon.com/ram/latest/APIReference/API_GetResourceShares.html
 * @see https://docs.aws.amazon.com/ram/latest/APIReference/API_ListResources.html
 * @see https://docs.aws.amazon.com/ram/latest/userguide/working-with-sharing.html
 */
export class HubProfileLookup extends Construct {
  /** The Profile's ARN (`arn:aws:route53profiles:<region>:<hub account>:profile/rp-...`). */
  public readonly profileArn: string;
  /** The Profile's ID (`rp-...`). */
  public readonly profileId: string;

  constructor(scope: Construct, id: string, props: HubProfileLookupProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const v = new PropsValidator('HubProfileLookup');
    checkHubAccount(v, 'ownerAccount', props.ownerAccount, stack.account);
    v.throwIfInvalid(this);

    const shareCall: cr.AwsSdkCall = {
      service: 'RAM',
      action: 'getResourceShares',
      parameters: { resourceOwner: 'OTHER-ACCOUNTS', name: props.resourceShareName, resourceShareStatus: 'ACTIVE' },
      physicalResourceId: cr.PhysicalResourceId.of(`${props.ownerAccount}/${props.resourceShareName}`),
      outputPaths: ['resourceShares.0.resourceShareArn'],
    };
    const share = new cr.AwsCustomResource(this, 'ResourceShare', {
      onCreate: shareCall,
      onUpdate: shareCall,
      installLatestAwsSdk: false,
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: ['ram:GetResourceShares'], resources: ['*'] })]),
    });
    // The candidate share's ID under the hub's account: only the hub's own share has this ARN.
    const candidateArn = share.getResponseField('resourceShares.0.resourceShareArn');
    const ownedShareArn = Fn.join('', [
      'arn:', stack.partition, ':ram:', stack.region, ':', props.ownerAccount, ':resource-share/',
      Fn.select(1, Fn.split('/', candidateArn)),
    ]);
    const profileCall: cr.AwsSdkCall = {
      service: 'RAM',
      action: 'listResources',
      parameters: { resourceOwner: 'OTHER-ACCOUNTS', resourceShareArns: [ownedShareArn], resourceType: 'route53profiles:Profile' },
      physicalResourceId: cr.PhysicalResourceId.of(ownedShareArn),
      outputPaths: ['resources.0.arn'],
    };
    const profile = new cr.AwsCustomResource(this, 'Profile', {
      onCreate: profileCall,
      onUpdate: profileCall,
      installLatestAwsSdk: false,
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: ['ram:ListResources'], resources: ['*'] })]),
    });
    this.profileArn = profile.getResponseField('resources.0.arn');
    this.profileId = Fn.select(1, Fn.split('/', this.profileArn));

    for (const lookup of [share, profile]) {
      acknowledgeNag(lookup,
        { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'ram:GetResourceShares and ram:ListResources support no resource-level permissions; the lookup only reads which resources other accounts share with this one.' },
        { id: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: 'aws-cdk-lib attaches the AwsCustomResource policy inline to its provider role; it holds only one RAM read action of this lookup.' },
      );
    }
    acknowledgeAwsCustomResourceProvider(stack);
  }
}

/** The hub's account: 12 digits, and another account than this one (RAM shares reach other accounts only). */
function checkHubAccount(v: PropsValidator, prop: string, account: string, ownAccount: string): void {
  if (v.accountId(prop, account) && !v.isToken(account) && !Token.isUnresolved(ownAccount) && account === ownAccount) {
    v.report(prop, account, 'is this stack\'s own account; the hub\'s Profile is looked up among shares of other accounts, so give the Network account that owns the PrivateDnsHub, or pass `hubProfileId` when the hub is in this account.');
  }
}

/** Properties of a PrivateDnsSpoke. */
export interface PrivateDnsSpokeProps {
  /** The spoke VPC (Prod or Dev). DNS support and DNS hostnames must be enabled. */
  readonly vpc: ec2.IVpc;

  /**
   * The private hosted zone to create, e.g. `prod.internal`. The hub must list it in `spokeZones` with this
   * account as a principal: the RAM share of that zone is what this construct looks up, and its permission allows
   * adding only a zone of exactly this name.
   */
  readonly zoneName: string;

  /**
   * The `hubName` of the Network account's PrivateDnsHub.
   * @default 'gov-private-dns'
   */
  readonly hubName?: string;

  /**
   * The ID of the Network account that owns the PrivateDnsHub (12 digits), e.g. `222222222222`. The deploy-time
   * lookup accepts the Profile only from a RAM share owned by this account (see `HubProfileLookup`), so another
   * account of the organization cannot slip its own Profile (and its forwarding rules) into this VPC by sharing a
   * share of the same name. Required unless `hubProfileId` is given.
   * @default - none; then `hubProfileId` is required
   */
  readonly hubAccount?: string;

  /**
   * The hub's Profile ID (`rp-...`), when known (e.g. from the hub stack's `ProfileIdOutput`). Skips the deploy-time
   * RAM lookup.
   * @default - looked up at deployment through the RAM share `<hubName>-zone-<zoneName>` owned by `hubAccount`
   */
  readonly hubProfileId?: string;

  /**
   * Associate the hub's Profile with `vpc`, which gives the VPC the forwarding rules (e.g. `onprem.example.local`
   * to the DC), the other spokes' zones and query logging. Turn it off only when the VPC already has another
   * Route 53 Profile (a VPC can have one); then have the hub share its rules directly
   * (`PrivateDnsHub.shareRulesDirectly: true`) and associate them with the VPC yourself.
   * @default true
   */
  readonly associateHubProfile?: boolean;

  /**
   * A comment on the hosted zone.
   * @default - names the hub
   */
  readonly comment?: string;
}

/**
 * A spoke account's side of the hybrid private DNS (Prod, Dev): the private hosted zone of the spoke
 * (`prod.internal`), associated with the spoke VPC, added to the Network account's Route 53 Profile so that the
 * Network VPC (and so the DC, through the Resolver inbound endpoint) and the other VPCs of the Profile resolve it,
 * and the Profile associated with the spoke VPC so that the spoke resolves `onprem.example.local` through the
 * hub's forwarding rules.
 *
 * A private hosted zone cannot be shared through AWS RAM (ARCHITECTURE.md correction 4); the hub shares its Profile
 * with this account under a permission that allows adding exactly this zone, and this construct adds it. Both
 * associations are CloudFormation resources of this stack (`AWS::Route53Profiles::ProfileResourceAssociation`,
 * `AWS::Route53Profiles::ProfileAssociation`), so deleting the stack removes them.
 *
 * Other constructs register their records through `privateZone`, a standard `route53.IPrivateHostedZone`: pass it as
 * their `privateZone` prop (SecureEcsWorkload: `app.prod.internal`, `db.prod.internal`; SftpBackupBridge:
 * `sftp.prod.internal`) or create `route53.ARecord`/`CnameRecord` in it.
 *
 * Every spoke VPC associated with the hub's Profile resolves every spoke zone in it (Dev resolves `prod.internal`),
 * by design: see PrivateDnsHub.
 *
 * Deploy after the hub (Network account). Throws at synth (one error) for an invalid zone name, hub name, hub account
 * or Profile ID, and when neither `hubAccount` nor `hubProfileId` is given.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/sharing-profiles.html
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/profile-associate-private-hz.html
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/profile-associate-vpcs.html
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-considerations.html
 */
export class PrivateDnsSpoke extends Construct {
  /** The spoke's private hosted zone; other constructs create their records in it. */
  public readonly privateZone: route53.IPrivateHostedZone;
  /** The hub's Profile ID (given, or looked up at deployment). */
  public readonly hubProfileId: string;
  /** The association that adds `privateZone` to the hub's Profile. */
  public readonly zoneInHubProfile: route53profiles.CfnProfileResourceAssociation;
  /** The association of the hub's Profile with the spoke VPC, unless `associateHubProfile` is false. */
  public readonly hubProfileAssociation?: route53profiles.CfnProfileAssociation;

  constructor(scope: Construct, id: string, props: PrivateDnsSpokeProps) {
    super(scope, id);
    const hubName = props.hubName ?? DEFAULT_HUB_NAME;
    const v = new PropsValidator('PrivateDnsSpoke');
    v.domainName('zoneName', props.zoneName);
    if (!v.isToken(hubName)) {
      v.check(HUB_NAME_PATTERN.test(hubName), 'hubName', hubName,
        'is not a valid hub name; use 1-32 letters, digits and hyphens, starting and ending with a letter or digit.');
    }
    if (props.hubProfileId !== undefined && !v.isToken(props.hubProfileId)) {
      v.check(/^rp-[a-z0-9]+$/.test(props.hubProfileId), 'hubProfileId', props.hubProfileId,
        'is not a Route 53 Profile ID; use the rp-... ID from the hub stack\'s ProfileIdOutput, or omit it to look the Profile up.');
    }
    if (props.hubProfileId === undefined && props.hubAccount === undefined) {
      v.report('hubAccount', undefined,
        'is required to look up the hub\'s Profile; give the ID of the Network account that owns the PrivateDnsHub (e.g. 222222222222), or pass `hubProfileId`.');
    } else if (props.hubAccount !== undefined) {
      checkHubAccount(v, 'hubAccount', props.hubAccount, Stack.of(this).account);
    }
    checkVpcDnsAttributes(v, 'vpc', props.vpc);
    v.throwIfInvalid(this);

    const zoneName = v.isToken(props.zoneName) ? props.zoneName : canonicalDomain(props.zoneName);
    const zone = new route53.PrivateHostedZone(this, 'Zone', {
      zoneName,
      vpc: props.vpc,
      comment: props.comment ?? `Private zone of this spoke, shared through the Route 53 Profile of ${hubName}`,
    });
    this.privateZone = zone;

    this.hubProfileId = props.hubProfileId
      ?? new HubProfileLookup(this, 'HubProfile', { resourceShareName: zoneShareName(hubName, zoneName), ownerAccount: props.hubAccount! }).profileId;

    this.zoneInHubProfile = new route53profiles.CfnProfileResourceAssociation(this, 'ZoneInHubProfile', {
      name: resourceName('zone', zoneName),
      profileId: this.hubProfileId,
      resourceArn: zone.hostedZoneArn,
    });
    if (props.associateHubProfile ?? true) {
      this.hubProfileAssociation = new route53profiles.CfnProfileAssociation(this, 'HubProfileToVpc', {
        name: resourceName(hubName, 'vpc', zoneName),
        profileId: this.hubProfileId,
        resourceId: props.vpc.vpcId,
      });
    }
  }
}
