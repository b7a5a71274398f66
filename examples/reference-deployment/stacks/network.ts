import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  GovHybridTransitHub, GovHybridVpnAttachment, ITransitGatewayAttachment, LogArchiveDestinations, OverlappingCidrOpsAccess,
  PrivateDnsHub, QueryLogDestination, SessionPreferencesMode, TransitGatewaySegment,
} from '../../../src';
import { ReferenceConfig } from '../config';

/** Props of the Network account's hub stack. */
export interface NetworkStackProps extends StackProps {
  readonly config: ReferenceConfig;
  readonly destinations: LogArchiveDestinations;
  readonly bastionRoleName: string;
}

/** The four route tables of ARCHITECTURE.md. */
export interface ReferenceSegments {
  readonly users: TransitGatewaySegment;
  readonly dc: TransitGatewaySegment;
  readonly spokes: TransitGatewaySegment;
  readonly network: TransitGatewaySegment;
}

/**
 * Network account, first stack: the Transit Gateway with its four segments and both VPNs, the isolated Network
 * VPC with the Session Manager bastion, and the Route 53 Resolver hub. The spokes attach after this stack; the
 * NetworkSpokesStack then associates and routes them.
 */
export class NetworkStack extends Stack {
  public readonly hub: GovHybridTransitHub;
  public readonly segments: ReferenceSegments;
  public readonly userVpn: GovHybridVpnAttachment;
  public readonly dcVpn: GovHybridVpnAttachment;
  public readonly networkVpc: ITransitGatewayAttachment;
  public readonly opsAccess: OverlappingCidrOpsAccess;
  public readonly dns: PrivateDnsHub;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    const { config, destinations } = props;
    const { accounts, dataCentre, userSites } = config;

    this.hub = new GovHybridTransitHub(this, 'Hub', {
      transitGatewayName: `${config.namePrefix}-tgw`,
      amazonSideAsn: config.transitGatewayAsn,
      shareWithAccounts: [accounts.prod, accounts.dev],
      // The spoke stacks create routes to the transit gateway, which need an accepted attachment, and they deploy
      // before NetworkSpokesStack. Auto-accept is safe here: the share names only Prod and Dev, and with default
      // association and propagation disabled an accepted attachment carries no traffic until NetworkSpokesStack
      // associates it with rt-spoke.
      autoAcceptSharedAttachments: true,
      flowLogDestination: destinations.transitGatewayFlowLogDestination(this, 'hub'),
    });

    this.userVpn = this.hub.addVpn('UserVpn', {
      name: 'user-vpn',
      customerGatewayAddress: userSites.vpn.customerGatewayIp,
      customerGatewayAsn: userSites.vpn.customerGatewayAsn,
      onPremisesCidrs: userSites.cidrs,
    });
    this.dcVpn = this.hub.addVpn('DcVpn', {
      name: 'dc-vpn',
      customerGatewayAddress: dataCentre.vpn.customerGatewayIp,
      customerGatewayAsn: dataCentre.vpn.customerGatewayAsn,
      onPremisesCidrs: [dataCentre.summaryCidr],
    });

    this.opsAccess = new OverlappingCidrOpsAccess(this, 'OpsAccess', {
      // This stack owns the account's Session Manager preferences (one document per account and Region).
      sessionPreferences: SessionPreferencesMode.STACK_MANAGED,
      availabilityZones: config.availabilityZones,
      vpcCidr: config.network.cidr,
      subnetCidrs: {
        bastion: config.network.bastion,
        endpoint: config.network.endpoint,
        transitGatewayAttachment: config.network.transitGatewayAttachment,
        resolverInbound: config.network.resolverInbound,
        resolverOutbound: config.network.resolverOutbound,
      },
      transitGatewayId: this.hub.transitGatewayId,
      operatorTerminalCidrs: [dataCentre.operatorTerminals],
      dataCentreReturnCidrs: dataCentre.dnsServers,
      spokeVpcCidrs: [config.prod.cidr, config.dev.cidr],
      spokeSummaryCidrs: [config.spokeSummaryCidr],
      flowLogDestination: destinations.vpcFlowLogDestination(this, 'network-vpc'),
      sessionLogArchive: destinations,
      bastionRoleName: props.bastionRoleName,
      forwardingTargets: [
        { name: 'prod-db', host: `db.${config.prod.zoneName}`, port: 5432, localPort: 15432, cidr: config.prod.cidr },
        { name: 'prod-app', host: config.prod.cidr, port: 8080, localPort: 18080 },
        { name: 'dev-db', host: `db.${config.dev.zoneName}`, port: 5432, localPort: 25432, cidr: config.dev.cidr },
        { name: 'dev-app', host: config.dev.cidr, port: 8080, localPort: 28080 },
      ],
    });
    // Set because transitGatewayId is given above.
    this.networkVpc = this.opsAccess.hubAttachment!;

    this.dns = new PrivateDnsHub(this, 'Dns', {
      vpc: this.opsAccess.vpc,
      inboundSubnets: this.opsAccess.resolverInboundSubnets,
      outboundSubnets: this.opsAccess.resolverOutboundSubnets,
      inboundIpAddresses: config.network.resolverInboundIps,
      dataCentreDnsServers: dataCentre.dnsServers,
      forwardingRules: [{ domainName: dataCentre.domainName }],
      spokeZones: [
        { zoneName: config.prod.zoneName, principals: [accounts.prod] },
        { zoneName: config.dev.zoneName, principals: [accounts.dev] },
      ],
      additionalForwardedZones: this.opsAccess.dnsForwardingNames,
      queryLogDestination: QueryLogDestination.bucketArn(destinations.logBucketArn, destinations.resolverQueryLogPrefix('network')),
    });

    // The route tables of ARCHITECTURE.md. Prod and Dev join in NetworkSpokesStack, once they have attached.
    const users = this.hub.addSegment('users');
    const dc = this.hub.addSegment('dc');
    const spokes = this.hub.addSegment('spokes');
    const network = this.hub.addSegment('network');
    this.segments = { users, dc, spokes, network };

    // rt-user: the user VPN. Users see Prod and Dev only (propagated later), never the Network VPC or the DC.
    users.associate(this.userVpn);
    // rt-dc: the DC VPN. The DC reaches the Network VPC (ops endpoints, Resolver) and, later, the Transfer /26.
    dc.associate(this.dcVpn);
    dc.propagateFrom(this.networkVpc);
    // rt-spoke: return paths for Prod and Dev to the Network VPC, the user sites and the backup server only.
    spokes.propagateFrom(this.networkVpc);
    spokes.propagateFrom(this.userVpn);
    spokes.addStaticRoute(dataCentre.backupServer, this.dcVpn);
    // rt-network: the Network VPC. Prod and Dev later; endpoint and Resolver replies go back to the DC.
    network.associate(this.networkVpc);
    network.addStaticRoute(dataCentre.operatorTerminals, this.dcVpn);
    for (const dnsServer of dataCentre.dnsServers) {
      network.addStaticRoute(`${dnsServer}/32`, this.dcVpn);
    }

    new CfnOutput(this, 'TransitGatewayId', { value: this.hub.transitGatewayId, description: 'Transit Gateway shared with Prod and Dev through RAM' });
  }
}
