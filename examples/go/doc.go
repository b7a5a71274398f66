// Command gov-network-go is the README's first example in Go: a Transit Gateway hub with two VPNs and isolated route
// tables, synthesized with the Go module of cdk-gov-hybrid-network. The text of main.go between its README markers is
// copied verbatim into README.md; main_test.go runs it.
package main
