"""The Network account's hub stack, written in Python against the jsii binding of cdk-gov-hybrid-network.

A port of ``examples/reference-deployment/stacks/network.ts``: the Transit Gateway with both VPNs and the four
route tables of ARCHITECTURE.md, the isolated Network VPC with the Session Manager bastion and its interface
endpoints (OverlappingCidrOpsAccess), and the Route 53 Resolver hub (PrivateDnsHub).
"""

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from cdk_gov_hybrid_network import (
    DnsForwardingRule,
    ForwardingTargetOptions,
    GovHybridTransitHub,
    LogArchiveDestinations,
    OpsAccessSubnetCidrs,
    OverlappingCidrOpsAccess,
    PrivateDnsHub,
    PrivateDnsSpokeZone,
    QueryLogDestination,
    SessionPreferencesMode,
    TransitGatewayAttachment,
)

from . import plan


class NetworkStack(Stack):
    """Transit Gateway hub, both VPNs, the isolated Network VPC with the bastion, the Resolver hub."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        dc = plan.DATA_CENTRE
        net = plan.NETWORK_VPC

        # Log destinations in the Security account's archive, by deterministic name.
        destinations = LogArchiveDestinations(
            archive_account_id=plan.ACCOUNTS["security"],
            region=plan.REGION,
            name_prefix=plan.NAME_PREFIX,
        )

        self.hub = GovHybridTransitHub(
            self,
            "Hub",
            transit_gateway_name=f"{plan.NAME_PREFIX}-tgw",
            amazon_side_asn=plan.TRANSIT_GATEWAY_ASN,
            share_with_accounts=[plan.ACCOUNTS["prod"], plan.ACCOUNTS["dev"]],
            # The spoke stacks route to the transit gateway before the Network account associates their attachments,
            # so the attachments must be accepted; the share names only Prod and Dev, and an accepted attachment
            # carries no traffic until a segment associates it.
            auto_accept_shared_attachments=True,
            flow_log_destination=destinations.transit_gateway_flow_log_destination(self, "hub"),
        )
        user_vpn = self.hub.add_vpn(
            "UserVpn",
            name="user-vpn",
            customer_gateway_address=plan.USER_SITES["customer_gateway_ip"],
            customer_gateway_asn=plan.USER_SITES["customer_gateway_asn"],
            on_premises_cidrs=plan.USER_SITES["cidrs"],
        )
        dc_vpn = self.hub.add_vpn(
            "DcVpn",
            name="dc-vpn",
            customer_gateway_address=dc["customer_gateway_ip"],
            customer_gateway_asn=dc["customer_gateway_asn"],
            on_premises_cidrs=[dc["summary_cidr"]],
        )

        self.ops_access = OverlappingCidrOpsAccess(
            self,
            "OpsAccess",
            # This stack owns the account's Session Manager preferences document.
            session_preferences=SessionPreferencesMode.STACK_MANAGED,
            availability_zones=plan.AVAILABILITY_ZONES,
            vpc_cidr=net["cidr"],
            subnet_cidrs=OpsAccessSubnetCidrs(
                bastion=net["bastion"],
                endpoint=net["endpoint"],
                transit_gateway_attachment=net["transit_gateway_attachment"],
                resolver_inbound=net["resolver_inbound"],
                resolver_outbound=net["resolver_outbound"],
            ),
            transit_gateway_id=self.hub.transit_gateway_id,
            operator_terminal_cidrs=[dc["operator_terminals"]],
            data_centre_return_cidrs=dc["dns_servers"],
            spoke_vpc_cidrs=[plan.PROD["cidr"], plan.DEV["cidr"]],
            spoke_summary_cidrs=[plan.SPOKE_SUMMARY_CIDR],
            flow_log_destination=destinations.vpc_flow_log_destination(self, "network-vpc"),
            session_log_archive=destinations,
            bastion_role_name=f"{plan.NAME_PREFIX}-ops-bastion",
            forwarding_targets=[
                ForwardingTargetOptions(name="prod-db", host=f"db.{plan.PROD['zone_name']}", port=5432,
                                        local_port=15432, cidr=plan.PROD["cidr"]),
                ForwardingTargetOptions(name="prod-app", host=plan.PROD["cidr"], port=8080, local_port=18080),
                ForwardingTargetOptions(name="dev-db", host=f"db.{plan.DEV['zone_name']}", port=5432,
                                        local_port=25432, cidr=plan.DEV["cidr"]),
                ForwardingTargetOptions(name="dev-app", host=plan.DEV["cidr"], port=8080, local_port=28080),
            ],
        )
        network_vpc = TransitGatewayAttachment.from_vpc_attachment_id(
            self,
            "NetworkVpcAttachment",
            attachment_id=self.ops_access.transit_gateway_attachment_id,
            name="network-vpc",
            cidrs=[net["cidr"]],
        )

        self.dns = PrivateDnsHub(
            self,
            "Dns",
            vpc=self.ops_access.vpc,
            inbound_subnets=self.ops_access.resolver_inbound_subnets,
            outbound_subnets=self.ops_access.resolver_outbound_subnets,
            inbound_ip_addresses=net["resolver_inbound_ips"],
            data_centre_dns_servers=dc["dns_servers"],
            forwarding_rules=[DnsForwardingRule(domain_name=dc["domain_name"])],
            spoke_zones=[
                PrivateDnsSpokeZone(zone_name=plan.PROD["zone_name"], principals=[plan.ACCOUNTS["prod"]]),
                PrivateDnsSpokeZone(zone_name=plan.DEV["zone_name"], principals=[plan.ACCOUNTS["dev"]]),
            ],
            additional_forwarded_zones=self.ops_access.dns_forwarding_names,
            query_log_destination=QueryLogDestination.bucket_arn(
                destinations.log_bucket_arn, destinations.resolver_query_log_prefix("network")),
        )

        # The four route tables of ARCHITECTURE.md; Prod and Dev join once they have attached.
        users = self.hub.add_segment("users")
        dc_segment = self.hub.add_segment("dc")
        spokes = self.hub.add_segment("spokes")
        network = self.hub.add_segment("network")

        users.associate(user_vpn)
        dc_segment.associate(dc_vpn)
        dc_segment.propagate_from(network_vpc)
        spokes.propagate_from(network_vpc)
        spokes.propagate_from(user_vpn)
        spokes.add_static_route(dc["backup_server"], dc_vpn)
        network.associate(network_vpc)
        network.add_static_route(dc["operator_terminals"], dc_vpn)
        for dns_server in dc["dns_servers"]:
            network.add_static_route(f"{dns_server}/32", dc_vpn)

        CfnOutput(self, "TransitGatewayId", value=self.hub.transit_gateway_id,
                  description="Transit Gateway shared with Prod and Dev through RAM")
