package io.github.cdkgovhybridnetwork.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/** The app with the Network stack (account 222222222222, ap-northeast-1, AZs 1a/1c), synthesizable offline. */
public final class NetworkApp {
    private NetworkApp() {
    }

    /**
     * Builds the app. The CDK CLI passes cdk.json's context itself; elsewhere (tests) it is read here, so both
     * synthesize the same.
     *
     * @param outdir where to write the cloud assembly, or null for the CDK's choice
     */
    public static NetworkStack create(final String outdir) {
        AppProps.Builder props = AppProps.builder().outdir(outdir);
        if (System.getenv("CDK_CONTEXT_JSON") == null) {
            props.context(cdkJsonContext());
        }
        App app = new App(props.build());
        // The plan's AZs are authoritative: no availability-zone lookup at synthesis.
        app.getNode().setContext("availability-zones:account=" + ReferencePlan.NETWORK_ACCOUNT + ":region="
                + ReferencePlan.REGION, ReferencePlan.AVAILABILITY_ZONES);
        return new NetworkStack(app, "GovHybrid-Network", StackProps.builder()
                .env(Environment.builder().account(ReferencePlan.NETWORK_ACCOUNT).region(ReferencePlan.REGION).build())
                .description("Network account: Transit Gateway hub, VPNs, isolated Network VPC, Session Manager bastion, "
                        + "Route 53 Resolver hub (Java consumer of cdk-gov-hybrid-network)")
                .build());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cdkJsonContext() {
        try {
            Map<String, Object> cdkJson = new ObjectMapper().readValue(Files.readString(Path.of("cdk.json")), Map.class);
            return (Map<String, Object>) cdkJson.get("context");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read cdk.json in " + Path.of("").toAbsolutePath(), e);
        }
    }

    public static void main(final String[] args) {
        App app = (App) create(null).getNode().getRoot();
        app.synth();
    }
}
