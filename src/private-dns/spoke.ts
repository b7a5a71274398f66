import { Fn, Stack } from 'aws-cdk-lib';
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
  /** The name of the RAM resource share that carries the Profile, e.g. `PrivateDnsHub.zoneShareName(...)`. */
  readonly resourceShareName: string;
}

/**
 * Finds, at deployment, the Route 53 Profile that another account (the Network account's PrivateDnsHub) shared
 * with this account through AWS RAM, by the name of the resource share. CloudFormation has no cross-account
 * references, and the Profile ID is only known after the hub is deployed.
 *
 * Two read-only SDK calls in this account: RAM `GetResourceShares` (shares owned by other accounts, active, with that
 * name) and RAM `ListResources` (the `route53profiles:Profile` in that share). The deployment fails with
 * "...doesn't contain resourceShares.0.resourceShareArn" when the hub has not shared the Profile with this account
 * yet (deploy the hub first; within an organization with RAM sharing enabled no invitation must be accepted).
 * Share names are not unique across accounts: keep the hub name unique in the organization, since the first active
 * share of that name shared with this account is used. The lookup runs on create and when its inputs change.
 *
 * @see https://docs.aws.amazon.com/ram/latest/APIReference/API_GetResourceShares.html
 * @see https://docs.aws.amazon.com/ram/latest/APIReference/API_ListResources.html
 */
export class HubProfileLookup extends Construct {
  /** The Profile's ARN (`arn:aws:route53profiles:<region>:<hub account>:profile/rp-...`). */
  public readonly profileArn: string;
  /** The Profile's ID (`rp-...`). */
  public readonly profileId: string;

  constructor(scope: Construct, id: string, props: HubProfileLookupProps) {
    super(scope, id);
    const shareCall: cr.AwsSdkCall = {
      service: 'RAM',
      action: 'getResourceShares',
      parameters: { resourceOwner: 'OTHER-ACCOUNTS', name: props.resourceShareName, resourceShareStatus: 'ACTIVE' },
      physicalResourceId: cr.PhysicalResourceId.of(props.resourceShareName),
      outputPaths: ['resourceShares.0.resourceShareArn'],
    };
    const share = new cr.AwsCustomResource(this, 'ResourceShare', {
      onCreate: shareCall,
      onUpdate: shareCall,
      installLatestAwsSdk: false,
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({ actions: ['ram:GetResourceShares'], resources: ['*'] })]),
    });
    const shareArn = share.getResponseField('resourceShares.0.resourceShareArn');
    const profileCall: cr.AwsSdkCall = {
      service: 'RAM',
      action: 'listResources',
      parameters: { resourceOwner: 'OTHER-ACCOUNTS', resourceShareArns: [shareArn], resourceType: 'route53profiles:Profile' },
      physicalResourceId: cr.PhysicalResourceId.of(shareArn),
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
    acknowledgeAwsCustomResourceProvider(Stack.of(this));
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
   * The hub's Profile ID (`rp-...`), when known (e.g. from the hub stack's `ProfileIdOutput`). Skips the deploy-time
   * RAM lookup.
   * @default - looked up at deployment through the RAM share `<hubName>-zone-<zoneName>`
   */
  readonly hubProfileId?: string;

  /**
   * Associate the hub's Profile with `vpc`, which gives the VPC the forwarding rules (e.g. `onprem.example.local`
   * to the DC), the other spokes' zones and query logging. Turn it off only when the VPC already has another
   * Route 53 Profile (a VPC can have one); then associate the hub's directly shared rules yourself.
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
 * Other constructs register their records through `privateZone` (a standard `route53.IPrivateHostedZone`), e.g. the
 * ALB as `app.prod.internal`, the database as `db.prod.internal`, the SFTP endpoint as `sftp.prod.internal`.
 *
 * Deploy after the hub (Network account). Throws at synth (one error) for an invalid zone name or hub name.
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
      ?? new HubProfileLookup(this, 'HubProfile', { resourceShareName: zoneShareName(hubName, zoneName) }).profileId;

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

  /**
   * Adds an alias A record `<recordName>.<zone>` (e.g. `app` → the internal ALB).
   * @param recordName the name relative to the zone (`app`), or a full name inside it (`app.prod.internal`)
   */
  public addAliasRecord(id: string, recordName: string, target: route53.IAliasRecordTarget): route53.ARecord {
    this.checkRecordName(recordName);
    return new route53.ARecord(this, id, { zone: this.privateZone, recordName, target: route53.RecordTarget.fromAlias(target) });
  }

  /**
   * Adds a CNAME record `<recordName>.<zone>` → `domainName` (e.g. `db` → the RDS endpoint address).
   * @param recordName the name relative to the zone (`db`), or a full name inside it
   * @param domainName the canonical name, e.g. the database's `dbInstanceEndpointAddress`
   */
  public addCnameRecord(id: string, recordName: string, domainName: string): route53.CnameRecord {
    this.checkRecordName(recordName);
    return new route53.CnameRecord(this, id, { zone: this.privateZone, recordName, domainName });
  }

  private checkRecordName(recordName: string): void {
    const v = new PropsValidator('PrivateDnsSpoke record');
    v.domainName('recordName', recordName);
    v.throwIfInvalid(this);
  }
}
