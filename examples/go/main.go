// [README:go]
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	gov "github.com/example/cdk-gov-hybrid-network-go/cdkgovhybridnetwork"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	NewNetworkStack(app)
	app.Synth(nil)
}

func NewNetworkStack(app awscdk.App) awscdk.Stack {
	stack := awscdk.NewStack(app, jsii.String("Network"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("ap-northeast-1")},
	})

	// Flow logs go to the Security account's log archive bucket, which has a conventional name.
	destinations := gov.NewLogArchiveDestinations(&gov.LogArchiveDestinationsProps{
		ArchiveAccountId: jsii.String("111111111111"), Region: jsii.String("ap-northeast-1"), NamePrefix: jsii.String("gov-hybrid"),
	})
	hub := gov.NewGovHybridTransitHub(stack, jsii.String("Hub"), &gov.GovHybridTransitHubProps{
		ShareWithAccounts:  jsii.Strings("333333333333", "444444444444"),
		FlowLogDestination: destinations.TransitGatewayFlowLogDestination(stack, jsii.String("hub"), nil),
	})
	userVpn := hub.AddVpn(jsii.String("UserVpn"), &gov.GovHybridVpnOptions{Name: jsii.String("user-vpn"),
		CustomerGatewayAddress: jsii.String("203.0.113.10"), OnPremisesCidrs: jsii.Strings("172.16.0.0/16")})
	dcVpn := hub.AddVpn(jsii.String("DcVpn"), &gov.GovHybridVpnOptions{Name: jsii.String("dc-vpn"),
		CustomerGatewayAddress: jsii.String("203.0.113.20"), OnPremisesCidrs: jsii.Strings("10.0.0.0/16")})

	// Default route table association and propagation are off: a route table sees only what is declared.
	hub.AddSegment(jsii.String("users"), nil).Associate(userVpn)
	hub.AddSegment(jsii.String("dc"), nil).Associate(dcVpn)
	spokes := hub.AddSegment(jsii.String("spokes"), nil)
	spokes.PropagateFrom(userVpn)
	spokes.AddStaticRoute(jsii.String("10.0.200.10/32"), dcVpn) // the DC's backup server only
	return stack
}

// [/README:go]
