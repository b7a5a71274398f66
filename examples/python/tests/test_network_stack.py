"""The Python binding of cdk-gov-hybrid-network synthesizes the Network account's stack, and its errors read as in
TypeScript.

Run from examples/python with the built wheel installed (see README.md): ``python -m pytest``.
"""

import json
import os

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Match, Template

from cdk_gov_hybrid_network import OverlappingCidrOpsAccess, SessionPreferencesMode
from gov_network import create_app, plan


@pytest.fixture(scope="module")
def template() -> Template:
    _, stack = create_app()
    return Template.from_stack(stack)


def test_transit_gateway_has_default_association_and_propagation_disabled(template: Template) -> None:
    template.resource_count_is("AWS::EC2::TransitGateway", 1)
    template.has_resource_properties("AWS::EC2::TransitGateway", {
        "AmazonSideAsn": 64512,
        "AutoAcceptSharedAttachments": "enable",
        "DefaultRouteTableAssociation": "disable",
        "DefaultRouteTablePropagation": "disable",
        "Tags": [{"Key": "Name", "Value": "gov-hybrid-tgw"}],
    })
    template.has_resource_properties("AWS::RAM::ResourceShare", {
        "Principals": [plan.ACCOUNTS["prod"], plan.ACCOUNTS["dev"]],
        "AllowExternalPrincipals": False,
    })


def test_four_route_tables_with_their_associations_propagations_and_routes(template: Template) -> None:
    template.resource_count_is("AWS::EC2::TransitGatewayRouteTable", 4)
    for segment in ("users", "dc", "spokes", "network"):
        template.has_resource_properties("AWS::EC2::TransitGatewayRouteTable", {
            "Tags": [{"Key": "Name", "Value": f"gov-hybrid-tgw-{segment}"}],
        })
    # users <- user VPN, dc <- DC VPN, network <- Network VPC (Prod and Dev join in the spokes stack).
    template.resource_count_is("AWS::EC2::TransitGatewayRouteTableAssociation", 3)
    # dc <- Network VPC, spokes <- Network VPC.
    template.resource_count_is("AWS::EC2::TransitGatewayRouteTablePropagation", 2)
    # spokes: the user sites (a static VPN propagates as static routes) and the backup server; network: the operator
    # terminals and the DC DNS servers.
    static_routes = template.find_resources("AWS::EC2::TransitGatewayRoute")
    assert sorted(r["Properties"]["DestinationCidrBlock"] for r in static_routes.values()) == [
        "10.0.200.10/32", "10.0.210.0/24", "10.0.250.10/32", "10.0.250.11/32", "172.16.0.0/16",
    ]
    template.resource_count_is("AWS::EC2::VPNConnection", 2)
    template.resource_count_is("AWS::EC2::CustomerGateway", 2)


def test_network_vpc_has_the_interface_endpoints_and_no_internet_path(template: Template) -> None:
    endpoints = [e["Properties"] for e in template.find_resources("AWS::EC2::VPCEndpoint").values()]
    interface = [e for e in endpoints if e.get("VpcEndpointType", "Interface") == "Interface"]
    gateway = [e for e in endpoints if e.get("VpcEndpointType") == "Gateway"]
    assert sorted(_service_suffix(e["ServiceName"]) for e in interface) == ["ec2messages", "kms", "logs", "ssm", "ssmmessages"]
    assert all(e["PrivateDnsEnabled"] is True for e in interface)
    assert [_service_suffix(e["ServiceName"]) for e in gateway] == ["s3"]
    template.has_resource_properties("AWS::EC2::VPC", {"CidrBlock": "192.168.0.0/16"})
    template.resource_count_is("AWS::EC2::InternetGateway", 0)
    template.resource_count_is("AWS::EC2::NatGateway", 0)
    template.has_resource_properties("AWS::EC2::TransitGatewayVpcAttachment", {
        "TransitGatewayId": {"Fn::GetAtt": [Match.string_like_regexp("^Hub"), "Id"]},
        "SubnetIds": Match.any_value(),
    })


def test_resolver_hub_has_fixed_inbound_ips_and_forwards_the_onprem_domain(template: Template) -> None:
    template.has_resource_properties("AWS::Route53Resolver::ResolverEndpoint", {
        "Direction": "INBOUND",
        "IpAddresses": [
            {"Ip": "192.168.60.10", "SubnetId": Match.any_value()},
            {"Ip": "192.168.60.26", "SubnetId": Match.any_value()},
        ],
    })
    template.has_resource_properties("AWS::Route53Resolver::ResolverEndpoint", {"Direction": "OUTBOUND"})
    template.has_resource_properties("AWS::Route53Resolver::ResolverRule", {
        "DomainName": "onprem.example.local",
        "RuleType": "FORWARD",
        "TargetIps": [{"Ip": "10.0.250.10", "Port": "53"}, {"Ip": "10.0.250.11", "Port": "53"}],
    })


def test_app_synthesizes_a_cloud_assembly(tmp_path) -> None:
    app, stack = create_app(outdir=str(tmp_path))
    assembly = app.synth()
    artifact = assembly.get_stack_artifact(stack.artifact_id)
    assert artifact.environment.account == "222222222222"
    assert artifact.environment.region == "ap-northeast-1"
    written = json.loads((tmp_path / artifact.template_file).read_text(encoding="utf-8"))
    assert "AWS::EC2::TransitGateway" in {r["Type"] for r in written["Resources"].values()}


def test_bad_input_raises_the_typescript_error_message() -> None:
    app = cdk.App()
    stack = cdk.Stack(app, "Network", env=cdk.Environment(account="222222222222", region="ap-northeast-1"))
    with pytest.raises(RuntimeError) as raised:
        OverlappingCidrOpsAccess(
            stack,
            "OpsAccess",
            session_preferences=SessionPreferencesMode.STACK_MANAGED,
            availability_zones=["ap-northeast-1a", "ap-northeast-1c"],
            operator_terminal_cidrs=["10.0.210.0/33"],
        )
    # The message of the TypeScript library, character for character (scripts/bindings-test.sh checks the same text
    # against the TypeScript build).
    assert str(raised.value) == (
        "Invalid OverlappingCidrOpsAccess props at Network/OpsAccess (1 problem):\n"
        "  - `operatorTerminalCidrs[0]` 10.0.210.0/33 is not an IPv4 CIDR; write it as a.b.c.d/n with n from 0 to 32."
    )


@pytest.mark.skipif(not os.environ.get("GOV_TS_NETWORK_TEMPLATE"),
                    reason="GOV_TS_NETWORK_TEMPLATE (the TypeScript reference deployment's Network template) not set")
def test_same_resources_as_the_typescript_reference_deployment(template: Template) -> None:
    """The binding builds what TypeScript builds: same logical IDs, types and properties (tags aside, which the
    reference app adds)."""
    with open(os.environ["GOV_TS_NETWORK_TEMPLATE"], encoding="utf-8") as f:
        typescript = json.load(f)["Resources"]
    python = template.to_json()["Resources"]
    assert sorted(python) == sorted(typescript)
    for logical_id, resource in python.items():
        assert _without_tags(resource) == _without_tags(typescript[logical_id]), logical_id


def _service_suffix(service_name) -> str:
    """`com.amazonaws.ap-northeast-1.ssm` (or its Fn::Join form) -> `ssm`."""
    text = service_name if isinstance(service_name, str) else json.dumps(service_name)
    return text.rstrip('"]}').rsplit(".", 1)[-1]


def _without_tags(resource: dict) -> dict:
    properties = {k: v for k, v in resource.get("Properties", {}).items() if k not in ("Tags", "TagSpecifications")}
    rest = {k: v for k, v in resource.items() if k not in ("Properties", "Metadata")}
    return {**rest, "Properties": properties}
