"""A Python consumer of cdk-gov-hybrid-network: the Network account's hub stack of the reference deployment."""

import json
import os
from typing import Optional

import aws_cdk as cdk

from . import plan
from .network_stack import NetworkStack

__all__ = ["NetworkStack", "create_app", "plan"]

_CDK_JSON = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "cdk.json")


def create_app(outdir: Optional[str] = None) -> "tuple[cdk.App, NetworkStack]":
    """The app with the Network stack (account 222222222222, ap-northeast-1, AZs 1a/1c), synthesizable offline.

    The CDK CLI passes cdk.json's context itself; elsewhere (tests) it is read here, so both synthesize the same.
    """
    from_cli = "CDK_CONTEXT_JSON" in os.environ
    context = {} if from_cli else json.load(open(_CDK_JSON, encoding="utf-8"))["context"]
    app = cdk.App(outdir=outdir, context=context)
    # The plan's AZs are authoritative: no availability-zone lookup at synthesis.
    app.node.set_context(
        f"availability-zones:account={plan.ACCOUNTS['network']}:region={plan.REGION}", plan.AVAILABILITY_ZONES)
    stack = NetworkStack(
        app,
        "GovHybrid-Network",
        env=cdk.Environment(account=plan.ACCOUNTS["network"], region=plan.REGION),
        description="Network account: Transit Gateway hub, VPNs, isolated Network VPC, Session Manager bastion, "
                    "Route 53 Resolver hub (Python consumer of cdk-gov-hybrid-network)",
    )
    return app, stack
