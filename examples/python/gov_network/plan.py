"""The reference address plan of ARCHITECTURE.md, as far as the Network account needs it.

The same values as ``examples/reference-deployment/config.ts`` (``REFERENCE_DEFAULTS``); keep them in step.
"""

ACCOUNTS = {
    "security": "111111111111",
    "network": "222222222222",
    "prod": "333333333333",
    "dev": "444444444444",
}
REGION = "ap-northeast-1"
AVAILABILITY_ZONES = ["ap-northeast-1a", "ap-northeast-1c"]
NAME_PREFIX = "gov-hybrid"
TRANSIT_GATEWAY_ASN = 64512

NETWORK_VPC = {
    "cidr": "192.168.0.0/16",
    "bastion": ["192.168.10.0/24", "192.168.11.0/24"],
    "endpoint": ["192.168.20.0/28", "192.168.21.0/28"],
    "transit_gateway_attachment": ["192.168.50.0/28", "192.168.50.16/28"],
    "resolver_inbound": ["192.168.60.0/28", "192.168.60.16/28"],
    "resolver_outbound": ["192.168.61.0/28", "192.168.61.16/28"],
    "resolver_inbound_ips": ["192.168.60.10", "192.168.60.26"],
}
PROD = {"cidr": "10.0.0.0/18", "zone_name": "prod.internal"}
DEV = {"cidr": "10.0.64.0/18", "zone_name": "dev.internal"}
SPOKE_SUMMARY_CIDR = "10.0.0.0/16"

DATA_CENTRE = {
    "summary_cidr": "10.0.0.0/16",
    "backup_server": "10.0.200.10/32",
    "operator_terminals": "10.0.210.0/24",
    "dns_servers": ["10.0.250.10", "10.0.250.11"],
    "domain_name": "onprem.example.local",
    "customer_gateway_ip": "203.0.113.20",
    "customer_gateway_asn": 65020,
}
USER_SITES = {
    "cidrs": ["172.16.0.0/16"],
    "customer_gateway_ip": "203.0.113.10",
    "customer_gateway_asn": 65010,
}
