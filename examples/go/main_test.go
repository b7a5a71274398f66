package main

import (
	"sort"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	gov "github.com/example/cdk-gov-hybrid-network-go/cdkgovhybridnetwork"
)

// The README's first Go example (main.go, copied verbatim into README.md) builds the hub.
func TestNetworkStackHasTheHubAndItsRouteTables(t *testing.T) {
	template := assertions.Template_FromStack(NewNetworkStack(awscdk.NewApp(nil)), nil)
	template.HasResourceProperties(jsii.String("AWS::EC2::TransitGateway"), map[string]interface{}{
		"DefaultRouteTableAssociation": "disable",
		"DefaultRouteTablePropagation": "disable",
	})
	template.ResourceCountIs(jsii.String("AWS::EC2::TransitGatewayRouteTable"), jsii.Number(3))
	template.ResourceCountIs(jsii.String("AWS::EC2::TransitGatewayRouteTableAssociation"), jsii.Number(2))
	template.ResourceCountIs(jsii.String("AWS::EC2::VPNConnection"), jsii.Number(2))

	var destinations []string
	for _, route := range *template.FindResources(jsii.String("AWS::EC2::TransitGatewayRoute"), nil) {
		properties := (*route)["Properties"].(map[string]interface{})
		destinations = append(destinations, properties["DestinationCidrBlock"].(string))
	}
	sort.Strings(destinations)
	if len(destinations) != 2 || destinations[0] != "10.0.200.10/32" || destinations[1] != "172.16.0.0/16" {
		t.Fatalf("transit gateway routes: got %v, want [10.0.200.10/32 172.16.0.0/16]", destinations)
	}
}

// A bad input fails with the TypeScript library's message, character for character.
func TestBadInputRaisesTheTypeScriptErrorMessage(t *testing.T) {
	stack := awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Network"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("ap-northeast-1")},
	})
	want := "Invalid OverlappingCidrOpsAccess props at Network/OpsAccess (1 problem):\n" +
		"  - `operatorTerminalCidrs[0]` 10.0.210.0/33 is not an IPv4 CIDR; write it as a.b.c.d/n with n from 0 to 32."
	defer func() {
		got := recover()
		err, ok := got.(error)
		if !ok {
			t.Fatalf("want a panic with an error, got %#v", got)
		}
		if err.Error() != want {
			t.Fatalf("error message:\n got: %q\nwant: %q", err.Error(), want)
		}
	}()
	gov.NewOverlappingCidrOpsAccess(stack, jsii.String("OpsAccess"), &gov.OverlappingCidrOpsAccessProps{
		SessionPreferences:    gov.SessionPreferencesMode_STACK_MANAGED,
		AvailabilityZones:     jsii.Strings("ap-northeast-1a", "ap-northeast-1c"),
		OperatorTerminalCidrs: jsii.Strings("10.0.210.0/33"),
	})
}
