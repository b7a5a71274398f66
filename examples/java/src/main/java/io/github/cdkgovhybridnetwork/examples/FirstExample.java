package io.github.cdkgovhybridnetwork.examples;

// The README's first example in Java: a Transit Gateway hub with two VPNs and isolated route tables. The text between
// the README markers is copied verbatim into README.md; FirstExampleTest runs it.
// [README:java]
import java.util.List;

import io.github.cdkgovhybridnetwork.GovHybridTransitHub;
import io.github.cdkgovhybridnetwork.GovHybridVpnAttachment;
import io.github.cdkgovhybridnetwork.GovHybridVpnOptions;
import io.github.cdkgovhybridnetwork.LogArchiveDestinations;
import io.github.cdkgovhybridnetwork.LogArchiveDestinationsProps;
import io.github.cdkgovhybridnetwork.TransitGatewaySegment;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;

public class FirstExample {
    public static void main(final String[] args) {
        App app = new App();
        create(app);
        app.synth();
    }

    static Stack create(final App app) {
        Stack stack = new Stack(app, "Network", StackProps.builder()
                .env(Environment.builder().account("222222222222").region("ap-northeast-1").build())
                .build());

        // Flow logs go to the Security account's log archive bucket, which has a conventional name.
        LogArchiveDestinations destinations = new LogArchiveDestinations(LogArchiveDestinationsProps.builder()
                .archiveAccountId("111111111111").region("ap-northeast-1").namePrefix("gov-hybrid").build());
        GovHybridTransitHub hub = GovHybridTransitHub.Builder.create(stack, "Hub")
                .shareWithAccounts(List.of("333333333333", "444444444444"))
                .flowLogDestination(destinations.transitGatewayFlowLogDestination(stack, "hub"))
                .build();
        GovHybridVpnAttachment userVpn = hub.addVpn("UserVpn", GovHybridVpnOptions.builder().name("user-vpn")
                .customerGatewayAddress("203.0.113.10").onPremisesCidrs(List.of("172.16.0.0/16")).build());
        GovHybridVpnAttachment dcVpn = hub.addVpn("DcVpn", GovHybridVpnOptions.builder().name("dc-vpn")
                .customerGatewayAddress("203.0.113.20").onPremisesCidrs(List.of("10.0.0.0/16")).build());

        // Default route table association and propagation are off: a route table sees only what is declared.
        hub.addSegment("users").associate(userVpn);
        hub.addSegment("dc").associate(dcVpn);
        TransitGatewaySegment spokes = hub.addSegment("spokes");
        spokes.propagateFrom(userVpn);
        spokes.addStaticRoute("10.0.200.10/32", dcVpn);  // the DC's backup server only
        return stack;
    }
}
// [/README:java]
