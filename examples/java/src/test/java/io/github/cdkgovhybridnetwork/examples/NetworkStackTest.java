package io.github.cdkgovhybridnetwork.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.cdkgovhybridnetwork.OverlappingCidrOpsAccess;
import io.github.cdkgovhybridnetwork.SessionPreferencesMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.jsii.JsiiException;

/**
 * The Java binding of cdk-gov-hybrid-network synthesizes the Network account's stack, and its errors read as in
 * TypeScript. Run from examples/java: mvn -B test (scripts/bindings-test.sh passes the dist/java repository).
 */
class NetworkStackTest {
    private static Template template;

    @BeforeAll
    static void synthesize() {
        template = Template.fromStack(NetworkApp.create(null));
    }

    @Test
    void transitGatewayHasDefaultAssociationAndPropagationDisabled() {
        template.resourceCountIs("AWS::EC2::TransitGateway", 1);
        template.hasResourceProperties("AWS::EC2::TransitGateway", Map.of(
                "AmazonSideAsn", 64512,
                "AutoAcceptSharedAttachments", "enable",
                "DefaultRouteTableAssociation", "disable",
                "DefaultRouteTablePropagation", "disable",
                "Tags", List.of(Map.of("Key", "Name", "Value", "gov-hybrid-tgw"))));
        template.hasResourceProperties("AWS::RAM::ResourceShare", Map.of(
                "Principals", List.of("333333333333", "444444444444"),
                "AllowExternalPrincipals", false));
    }

    @Test
    void fourRouteTablesWithTheirAssociationsPropagationsAndRoutes() {
        template.resourceCountIs("AWS::EC2::TransitGatewayRouteTable", 4);
        for (String segment : List.of("users", "dc", "spokes", "network")) {
            template.hasResourceProperties("AWS::EC2::TransitGatewayRouteTable", Map.of(
                    "Tags", List.of(Map.of("Key", "Name", "Value", "gov-hybrid-tgw-" + segment))));
        }
        template.resourceCountIs("AWS::EC2::TransitGatewayRouteTableAssociation", 3);
        template.resourceCountIs("AWS::EC2::TransitGatewayRouteTablePropagation", 2);
        List<String> destinations = properties("AWS::EC2::TransitGatewayRoute").stream()
                .map(p -> (String) p.get("DestinationCidrBlock")).sorted().collect(Collectors.toList());
        assertEquals(List.of("10.0.200.10/32", "10.0.210.0/24", "10.0.250.10/32", "10.0.250.11/32", "172.16.0.0/16"),
                destinations);
        template.resourceCountIs("AWS::EC2::VPNConnection", 2);
        template.resourceCountIs("AWS::EC2::CustomerGateway", 2);
    }

    @Test
    void networkVpcHasTheInterfaceEndpointsAndNoInternetPath() {
        List<Map<String, Object>> endpoints = properties("AWS::EC2::VPCEndpoint");
        List<String> interfaceServices = endpoints.stream()
                .filter(e -> !"Gateway".equals(e.get("VpcEndpointType")))
                .peek(e -> assertEquals(true, e.get("PrivateDnsEnabled")))
                .map(e -> serviceSuffix(e.get("ServiceName"))).sorted().collect(Collectors.toList());
        assertEquals(List.of("ec2messages", "kms", "logs", "ssm", "ssmmessages"), interfaceServices);
        List<String> gatewayServices = endpoints.stream()
                .filter(e -> "Gateway".equals(e.get("VpcEndpointType")))
                .map(e -> serviceSuffix(e.get("ServiceName"))).collect(Collectors.toList());
        assertEquals(List.of("s3"), gatewayServices);
        template.hasResourceProperties("AWS::EC2::VPC", Map.of("CidrBlock", "192.168.0.0/16"));
        template.resourceCountIs("AWS::EC2::InternetGateway", 0);
        template.resourceCountIs("AWS::EC2::NatGateway", 0);
    }

    @Test
    void resolverHubHasFixedInboundIpsAndForwardsTheOnPremisesDomain() {
        template.hasResourceProperties("AWS::Route53Resolver::ResolverEndpoint", Map.of(
                "Direction", "INBOUND",
                "IpAddresses", List.of(
                        Map.of("Ip", "192.168.60.10", "SubnetId", Match.anyValue()),
                        Map.of("Ip", "192.168.60.26", "SubnetId", Match.anyValue()))));
        template.hasResourceProperties("AWS::Route53Resolver::ResolverRule", Map.of(
                "DomainName", "onprem.example.local",
                "RuleType", "FORWARD",
                "TargetIps", List.of(Map.of("Ip", "10.0.250.10", "Port", "53"), Map.of("Ip", "10.0.250.11", "Port", "53"))));
    }

    @Test
    void badInputRaisesTheTypeScriptErrorMessage() {
        Stack stack = new Stack(new App(), "Network", StackProps.builder()
                .env(Environment.builder().account("222222222222").region("ap-northeast-1").build()).build());
        JsiiException error = assertThrows(JsiiException.class, () -> OverlappingCidrOpsAccess.Builder.create(stack, "OpsAccess")
                .sessionPreferences(SessionPreferencesMode.STACK_MANAGED)
                .availabilityZones(List.of("ap-northeast-1a", "ap-northeast-1c"))
                .operatorTerminalCidrs(List.of("10.0.210.0/33"))
                .build());
        // The message of the TypeScript library, character for character (scripts/bindings-test.sh checks the same
        // text against the TypeScript build). The Java runtime appends the JavaScript stack after it.
        assertEquals("Invalid OverlappingCidrOpsAccess props at Network/OpsAccess (1 problem):\n"
                + "  - `operatorTerminalCidrs[0]` 10.0.210.0/33 is not an IPv4 CIDR; write it as a.b.c.d/n with n from 0 to 32.",
                withoutJavaScriptStack(error.getMessage()));
    }

    /** The error text before the JavaScript stack ("\nError: …\n    at …") that the Java runtime appends. */
    private static String withoutJavaScriptStack(final String message) {
        int stack = message.indexOf("\nError: ");
        return stack < 0 ? message : message.substring(0, stack);
    }

    /**
     * The binding builds what TypeScript builds: the same logical IDs, types and properties as the reference
     * deployment's Network stack (tags aside, which the reference app adds). GOV_TS_NETWORK_TEMPLATE names that
     * template; scripts/bindings-test.sh synthesizes it from the TypeScript source.
     */
    @Test
    void sameResourcesAsTheTypeScriptReferenceDeployment() throws IOException {
        String path = System.getenv("GOV_TS_NETWORK_TEMPLATE");
        assumeTrue(path != null && !path.isEmpty(), "GOV_TS_NETWORK_TEMPLATE not set");
        ObjectMapper json = new ObjectMapper();
        JsonNode typescript = json.readTree(Path.of(path).toFile()).get("Resources");
        JsonNode java = json.valueToTree(template.toJSON()).get("Resources");
        assertEquals(new TreeSet<>(iterable(typescript)), new TreeSet<>(iterable(java)));
        // Numbers compare by value: the binding may hand back 64512 as a double.
        Comparator<JsonNode> sameValue = (a, b) -> a.equals(b)
                || a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
        for (String logicalId : iterable(java)) {
            JsonNode mine = withoutTags(java.get(logicalId));
            JsonNode theirs = withoutTags(typescript.get(logicalId));
            assertTrue(mine.equals(sameValue, theirs), logicalId + ":\n java: " + mine + "\n   ts: " + theirs);
        }
    }

    private static List<String> iterable(final JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode withoutTags(final JsonNode resource) {
        ObjectNode copy = resource.deepCopy();
        copy.remove("Metadata");
        if (copy.get("Properties") instanceof ObjectNode properties) {
            properties.remove(List.of("Tags", "TagSpecifications"));
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> properties(final String type) {
        Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) (Map<String, ?>) template.findResources(type);
        assertTrue(!resources.isEmpty(), "no resource of type " + type);
        return resources.values().stream()
                .map(r -> (Map<String, Object>) r.get("Properties"))
                .collect(Collectors.toList());
    }

    /** "com.amazonaws.ap-northeast-1.ssm" (or its Fn::Join form) -> "ssm". */
    private static String serviceSuffix(final Object serviceName) {
        String text = String.valueOf(serviceName).replaceAll("[\\]}\"\\s]+$", "");
        return text.substring(text.lastIndexOf('.') + 1);
    }
}
