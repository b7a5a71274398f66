module github.com/example/cdk-gov-hybrid-network-go-example

go 1.25

require (
	github.com/aws/aws-cdk-go/awscdk/v2 v2.276.0
	github.com/aws/jsii-runtime-go v1.140.0
	github.com/example/cdk-gov-hybrid-network-go/cdkgovhybridnetwork v0.0.0
)

// The module jsii-pacmak writes to dist/go (npx projen package:go).
replace github.com/example/cdk-gov-hybrid-network-go/cdkgovhybridnetwork => ../../dist/go/cdkgovhybridnetwork
