"""The README's first example in Python: a Transit Gateway hub with two VPNs and isolated route tables.

The text between the README markers is copied verbatim into README.md; tests/test_first_example.py runs it.
"""
# [README:python]
from aws_cdk import App, Environment, Stack
from cdk_gov_hybrid_network import GovHybridTransitHub, LogArchiveDestinations

app = App()
stack = Stack(app, "Network", env=Environment(account="222222222222", region="ap-northeast-1"))

# Flow logs go to the Security account's log archive bucket, which has a conventional name.
destinations = LogArchiveDestinations(
    archive_account_id="111111111111", region="ap-northeast-1", name_prefix="gov-hybrid")
hub = GovHybridTransitHub(stack, "Hub",
    share_with_accounts=["333333333333", "444444444444"],
    flow_log_destination=destinations.transit_gateway_flow_log_destination(stack, "hub"))
user_vpn = hub.add_vpn("UserVpn", name="user-vpn",
    customer_gateway_address="203.0.113.10", on_premises_cidrs=["172.16.0.0/16"])
dc_vpn = hub.add_vpn("DcVpn", name="dc-vpn",
    customer_gateway_address="203.0.113.20", on_premises_cidrs=["10.0.0.0/16"])

# Default route table association and propagation are off: a route table sees only what is declared.
hub.add_segment("users").associate(user_vpn)
hub.add_segment("dc").associate(dc_vpn)
spokes = hub.add_segment("spokes")
spokes.propagate_from(user_vpn)
spokes.add_static_route("10.0.200.10/32", dc_vpn)  # the DC's backup server only

app.synth()
# [/README:python]
