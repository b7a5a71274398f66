package io.github.cdkgovhybridnetwork.examples;

import java.util.List;

/**
 * The reference address plan of ARCHITECTURE.md, as far as the Network account needs it. The same values as
 * examples/reference-deployment/config.ts (REFERENCE_DEFAULTS); keep them in step.
 */
public final class ReferencePlan {
    public static final String SECURITY_ACCOUNT = "111111111111";
    public static final String NETWORK_ACCOUNT = "222222222222";
    public static final String PROD_ACCOUNT = "333333333333";
    public static final String DEV_ACCOUNT = "444444444444";
    public static final String REGION = "ap-northeast-1";
    public static final List<String> AVAILABILITY_ZONES = List.of("ap-northeast-1a", "ap-northeast-1c");
    public static final String NAME_PREFIX = "gov-hybrid";
    public static final int TRANSIT_GATEWAY_ASN = 64512;

    public static final String NETWORK_CIDR = "192.168.0.0/16";
    public static final List<String> BASTION = List.of("192.168.10.0/24", "192.168.11.0/24");
    public static final List<String> ENDPOINT = List.of("192.168.20.0/28", "192.168.21.0/28");
    public static final List<String> TGW_ATTACH = List.of("192.168.50.0/28", "192.168.50.16/28");
    public static final List<String> RESOLVER_INBOUND = List.of("192.168.60.0/28", "192.168.60.16/28");
    public static final List<String> RESOLVER_OUTBOUND = List.of("192.168.61.0/28", "192.168.61.16/28");
    public static final List<String> RESOLVER_INBOUND_IPS = List.of("192.168.60.10", "192.168.60.26");

    public static final String PROD_CIDR = "10.0.0.0/18";
    public static final String PROD_ZONE = "prod.internal";
    public static final String DEV_CIDR = "10.0.64.0/18";
    public static final String DEV_ZONE = "dev.internal";
    public static final String SPOKE_SUMMARY_CIDR = "10.0.0.0/16";

    public static final String DC_SUMMARY_CIDR = "10.0.0.0/16";
    public static final String DC_BACKUP_SERVER = "10.0.200.10/32";
    public static final String DC_OPERATOR_TERMINALS = "10.0.210.0/24";
    public static final List<String> DC_DNS_SERVERS = List.of("10.0.250.10", "10.0.250.11");
    public static final String DC_DOMAIN = "onprem.example.local";
    public static final String DC_CUSTOMER_GATEWAY_IP = "203.0.113.20";
    public static final int DC_CUSTOMER_GATEWAY_ASN = 65020;

    public static final List<String> USER_SITE_CIDRS = List.of("172.16.0.0/16");
    public static final String USER_CUSTOMER_GATEWAY_IP = "203.0.113.10";
    public static final int USER_CUSTOMER_GATEWAY_ASN = 65010;

    private ReferencePlan() {
    }
}
