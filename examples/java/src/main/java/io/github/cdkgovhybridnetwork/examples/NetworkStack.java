package io.github.cdkgovhybridnetwork.examples;

import static io.github.cdkgovhybridnetwork.examples.ReferencePlan.*;

import java.util.List;

import io.github.cdkgovhybridnetwork.DnsForwardingRule;
import io.github.cdkgovhybridnetwork.ForwardingTargetOptions;
import io.github.cdkgovhybridnetwork.GovHybridTransitHub;
import io.github.cdkgovhybridnetwork.GovHybridVpnAttachment;
import io.github.cdkgovhybridnetwork.GovHybridVpnOptions;
import io.github.cdkgovhybridnetwork.ITransitGatewayAttachment;
import io.github.cdkgovhybridnetwork.LogArchiveDestinations;
import io.github.cdkgovhybridnetwork.LogArchiveDestinationsProps;
import io.github.cdkgovhybridnetwork.OpsAccessSubnetCidrs;
import io.github.cdkgovhybridnetwork.OverlappingCidrOpsAccess;
import io.github.cdkgovhybridnetwork.PrivateDnsHub;
import io.github.cdkgovhybridnetwork.PrivateDnsSpokeZone;
import io.github.cdkgovhybridnetwork.QueryLogDestination;
import io.github.cdkgovhybridnetwork.SessionPreferencesMode;
import io.github.cdkgovhybridnetwork.TransitGatewayAttachment;
import io.github.cdkgovhybridnetwork.TransitGatewaySegment;
import io.github.cdkgovhybridnetwork.VpcAttachmentReference;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * The Network account's hub stack, written in Java against the jsii binding of cdk-gov-hybrid-network: a port of
 * examples/reference-deployment/stacks/network.ts. The Transit Gateway with both VPNs and the four route tables of
 * ARCHITECTURE.md, the isolated Network VPC with the Session Manager bastion and its interface endpoints
 * (OverlappingCidrOpsAccess), and the Route 53 Resolver hub (PrivateDnsHub).
 */
public class NetworkStack extends Stack {
    private final GovHybridTransitHub hub;
    private final OverlappingCidrOpsAccess opsAccess;
    private final PrivateDnsHub dns;

    public NetworkStack(final Construct scope, final String id, final StackProps props) {
        super(scope, id, props);

        // Log destinations in the Security account's archive, by deterministic name.
        LogArchiveDestinations destinations = new LogArchiveDestinations(LogArchiveDestinationsProps.builder()
                .archiveAccountId(SECURITY_ACCOUNT)
                .region(REGION)
                .namePrefix(NAME_PREFIX)
                .build());

        hub = GovHybridTransitHub.Builder.create(this, "Hub")
                .transitGatewayName(NAME_PREFIX + "-tgw")
                .amazonSideAsn(TRANSIT_GATEWAY_ASN)
                .shareWithAccounts(List.of(PROD_ACCOUNT, DEV_ACCOUNT))
                // The spoke stacks route to the transit gateway before the Network account associates their
                // attachments, so the attachments must be accepted; the share names only Prod and Dev, and an accepted
                // attachment carries no traffic until a segment associates it.
                .autoAcceptSharedAttachments(true)
                .flowLogDestination(destinations.transitGatewayFlowLogDestination(this, "hub"))
                .build();
        GovHybridVpnAttachment userVpn = hub.addVpn("UserVpn", GovHybridVpnOptions.builder()
                .name("user-vpn")
                .customerGatewayAddress(USER_CUSTOMER_GATEWAY_IP)
                .customerGatewayAsn(USER_CUSTOMER_GATEWAY_ASN)
                .onPremisesCidrs(USER_SITE_CIDRS)
                .build());
        GovHybridVpnAttachment dcVpn = hub.addVpn("DcVpn", GovHybridVpnOptions.builder()
                .name("dc-vpn")
                .customerGatewayAddress(DC_CUSTOMER_GATEWAY_IP)
                .customerGatewayAsn(DC_CUSTOMER_GATEWAY_ASN)
                .onPremisesCidrs(List.of(DC_SUMMARY_CIDR))
                .build());

        opsAccess = OverlappingCidrOpsAccess.Builder.create(this, "OpsAccess")
                // This stack owns the account's Session Manager preferences document.
                .sessionPreferences(SessionPreferencesMode.STACK_MANAGED)
                .availabilityZones(AVAILABILITY_ZONES)
                .vpcCidr(NETWORK_CIDR)
                .subnetCidrs(OpsAccessSubnetCidrs.builder()
                        .bastion(BASTION)
                        .endpoint(ENDPOINT)
                        .transitGatewayAttachment(TGW_ATTACH)
                        .resolverInbound(RESOLVER_INBOUND)
                        .resolverOutbound(RESOLVER_OUTBOUND)
                        .build())
                .transitGatewayId(hub.getTransitGatewayId())
                .operatorTerminalCidrs(List.of(DC_OPERATOR_TERMINALS))
                .dataCentreReturnCidrs(DC_DNS_SERVERS)
                .spokeVpcCidrs(List.of(PROD_CIDR, DEV_CIDR))
                .spokeSummaryCidrs(List.of(SPOKE_SUMMARY_CIDR))
                .flowLogDestination(destinations.vpcFlowLogDestination(this, "network-vpc"))
                .sessionLogArchive(destinations)
                .bastionRoleName(NAME_PREFIX + "-ops-bastion")
                .forwardingTargets(List.of(
                        target("prod-db", "db." + PROD_ZONE, 5432, 15432, PROD_CIDR),
                        target("prod-app", PROD_CIDR, 8080, 18080, null),
                        target("dev-db", "db." + DEV_ZONE, 5432, 25432, DEV_CIDR),
                        target("dev-app", DEV_CIDR, 8080, 28080, null)))
                .build();
        ITransitGatewayAttachment networkVpc = TransitGatewayAttachment.fromVpcAttachmentId(this, "NetworkVpcAttachment",
                VpcAttachmentReference.builder()
                        .attachmentId(opsAccess.getTransitGatewayAttachmentId())
                        .name("network-vpc")
                        .cidrs(List.of(NETWORK_CIDR))
                        .build());

        dns = PrivateDnsHub.Builder.create(this, "Dns")
                .vpc(opsAccess.getVpc())
                .inboundSubnets(opsAccess.getResolverInboundSubnets())
                .outboundSubnets(opsAccess.getResolverOutboundSubnets())
                .inboundIpAddresses(RESOLVER_INBOUND_IPS)
                .dataCentreDnsServers(DC_DNS_SERVERS)
                .forwardingRules(List.of(DnsForwardingRule.builder().domainName(DC_DOMAIN).build()))
                .spokeZones(List.of(
                        PrivateDnsSpokeZone.builder().zoneName(PROD_ZONE).principals(List.of(PROD_ACCOUNT)).build(),
                        PrivateDnsSpokeZone.builder().zoneName(DEV_ZONE).principals(List.of(DEV_ACCOUNT)).build()))
                .additionalForwardedZones(opsAccess.getDnsForwardingNames())
                .queryLogDestination(QueryLogDestination.bucketArn(destinations.getLogBucketArn(),
                        destinations.resolverQueryLogPrefix("network")))
                .build();

        // The four route tables of ARCHITECTURE.md; Prod and Dev join once they have attached.
        TransitGatewaySegment users = hub.addSegment("users");
        TransitGatewaySegment dc = hub.addSegment("dc");
        TransitGatewaySegment spokes = hub.addSegment("spokes");
        TransitGatewaySegment network = hub.addSegment("network");

        users.associate(userVpn);
        dc.associate(dcVpn);
        dc.propagateFrom(networkVpc);
        spokes.propagateFrom(networkVpc);
        spokes.propagateFrom(userVpn);
        spokes.addStaticRoute(DC_BACKUP_SERVER, dcVpn);
        network.associate(networkVpc);
        network.addStaticRoute(DC_OPERATOR_TERMINALS, dcVpn);
        for (String dnsServer : DC_DNS_SERVERS) {
            network.addStaticRoute(dnsServer + "/32", dcVpn);
        }

        CfnOutput.Builder.create(this, "TransitGatewayId")
                .value(hub.getTransitGatewayId())
                .description("Transit Gateway shared with Prod and Dev through RAM")
                .build();
    }

    private static ForwardingTargetOptions target(String name, String host, int port, int localPort, String cidr) {
        return ForwardingTargetOptions.builder().name(name).host(host).port(port).localPort(localPort).cidr(cidr).build();
    }

    public GovHybridTransitHub getHub() {
        return hub;
    }

    public OverlappingCidrOpsAccess getOpsAccess() {
        return opsAccess;
    }

    public PrivateDnsHub getDns() {
        return dns;
    }
}
