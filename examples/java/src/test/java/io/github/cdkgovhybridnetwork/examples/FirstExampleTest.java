package io.github.cdkgovhybridnetwork.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/** The README's first Java example (FirstExample, copied verbatim into README.md) builds the hub. */
class FirstExampleTest {
    @Test
    @SuppressWarnings("unchecked")
    void firstExampleSynthesizesTheHub() {
        Template template = Template.fromStack(FirstExample.create(new App()));
        template.hasResourceProperties("AWS::EC2::TransitGateway", Map.of(
                "DefaultRouteTableAssociation", "disable",
                "DefaultRouteTablePropagation", "disable"));
        template.resourceCountIs("AWS::EC2::TransitGatewayRouteTable", 3);
        template.resourceCountIs("AWS::EC2::TransitGatewayRouteTableAssociation", 2);
        template.resourceCountIs("AWS::EC2::VPNConnection", 2);
        Map<String, Map<String, Object>> routes = (Map<String, Map<String, Object>>) (Map<String, ?>)
                template.findResources("AWS::EC2::TransitGatewayRoute");
        assertEquals("[10.0.200.10/32, 172.16.0.0/16]", routes.values().stream()
                .map(r -> (String) ((Map<String, Object>) r.get("Properties")).get("DestinationCidrBlock"))
                .sorted().collect(Collectors.toList()).toString());
        template.hasResourceProperties("AWS::EC2::FlowLog", Map.of("ResourceType", "TransitGateway", "LogDestinationType", "s3"));
    }
}
