"""The README's first Python example (first_example.py, copied verbatim into README.md) runs and builds the hub."""

import runpy
from pathlib import Path

from aws_cdk.assertions import Template


def test_first_example_synthesizes_the_hub() -> None:
    namespace = runpy.run_path(str(Path(__file__).parent.parent / "first_example.py"))
    template = Template.from_stack(namespace["stack"])
    template.has_resource_properties("AWS::EC2::TransitGateway", {
        "DefaultRouteTableAssociation": "disable",
        "DefaultRouteTablePropagation": "disable",
    })
    template.resource_count_is("AWS::EC2::TransitGatewayRouteTable", 3)
    template.resource_count_is("AWS::EC2::TransitGatewayRouteTableAssociation", 2)
    routes = template.find_resources("AWS::EC2::TransitGatewayRoute")
    assert sorted(r["Properties"]["DestinationCidrBlock"] for r in routes.values()) == ["10.0.200.10/32", "172.16.0.0/16"]
    template.resource_count_is("AWS::EC2::VPNConnection", 2)
    template.has_resource_properties("AWS::EC2::FlowLog", {
        "ResourceType": "TransitGateway",
        "LogDestinationType": "s3",
    })
    # app.synth() wrote the cloud assembly (to a temporary directory: the example gives no outdir).
    assert (Path(namespace["app"].outdir) / "Network.template.json").exists()
