import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53resolver from 'aws-cdk-lib/aws-route53resolver';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { DEV, NETWORK, newApp, ORG_ID, PROD, referenceDestinations, SECURITY, stackIn } from './fixtures';
import { CentralLogArchive, LogArchiveDestinations, WafLogDelivery } from '../../src/log-archive';

export interface ReferenceWiring {
  readonly app: App;
  readonly destinations: LogArchiveDestinations;
  readonly security: Stack;
  readonly network: Stack;
  readonly prod: Stack;
  readonly dev: Stack;
}

function isolatedVpc(stack: Stack, cidr: string): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr(cidr),
    natGateways: 0,
    maxAzs: 2,
    subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
  });
}

/** A workload stack shaped like Prod/Dev: VPC flow logs, an internal ALB with access logs, a web ACL with WAF logs. */
function workload(app: App, id: string, account: string, cidr: string, d: LogArchiveDestinations): Stack {
  const stack = stackIn(app, id, account);
  const vpc = isolatedVpc(stack, cidr);
  vpc.addFlowLog('FlowLogs', { destination: d.vpcFlowLogDestination(stack, `${id.toLowerCase()}-vpc`) });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: false, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
  alb.logAccessLogs(d.albLogBucket(stack), d.albAccessLogPrefix(`${id.toLowerCase()}-app`));
  const acl = new wafv2.CfnWebACL(stack, 'WebAcl', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: `${id}WebAcl`, sampledRequestsEnabled: true },
  });
  new wafv2.CfnWebACLAssociation(stack, 'WebAclAssociation', { resourceArn: alb.loadBalancerArn, webAclArn: acl.attrArn });
  const wafLogs = new WafLogDelivery(stack, 'WafLogs', { destinations: d });
  new wafv2.CfnLoggingConfiguration(stack, 'WebAclLogging', { resourceArn: acl.attrArn, logDestinationConfigs: [wafLogs.deliveryStreamArn] });
  return stack;
}

/**
 * The log-writing part of the reference deployment: the Security stack with the archive, and the Network, Prod and
 * Dev stacks writing every log they produce through `LogArchiveDestinations` derived from the same configuration.
 */
export function buildReferenceWiring(): ReferenceWiring {
  const app = newApp();
  const d = referenceDestinations();

  const security = stackIn(app, 'Security', SECURITY);
  new CentralLogArchive(security, 'LogArchive', {
    destinations: d,
    sourceAccounts: [NETWORK, PROD, DEV],
    organizationId: ORG_ID,
    wafLogSourceAccounts: [PROD, DEV],
    writerRoles: [{ accountId: NETWORK, roleName: 'gov-hybrid-bastion', keyPrefix: d.sessionManagerLogPrefix(NETWORK) }],
  });

  const network = stackIn(app, 'Network', NETWORK);
  const vpc = isolatedVpc(network, '192.168.0.0/16');
  vpc.addFlowLog('FlowLogs', { destination: d.vpcFlowLogDestination(network, 'network-vpc') });
  const tgw = new ec2.CfnTransitGateway(network, 'Tgw', { defaultRouteTableAssociation: 'disable', defaultRouteTablePropagation: 'disable' });
  new ec2.FlowLog(network, 'TgwFlowLogs', {
    resourceType: ec2.FlowLogResourceType.fromTransitGatewayId(tgw.ref),
    destination: d.transitGatewayFlowLogDestination(network, 'hub'),
  });
  const queryLogs = new route53resolver.CfnResolverQueryLoggingConfig(network, 'QueryLogs', {
    name: 'network-query-logs',
    destinationArn: d.resolverQueryLogDestinationArn('network'),
  });
  new route53resolver.CfnResolverQueryLoggingConfigAssociation(network, 'QueryLogsVpc', {
    resolverQueryLogConfigId: queryLogs.attrId,
    resourceId: vpc.vpcId,
  });
  const bastion = new iam.Role(network, 'Bastion', {
    roleName: 'gov-hybrid-bastion',
    assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
  });
  new iam.ManagedPolicy(network, 'BastionSessionLogs', { roles: [bastion], statements: d.logWriteStatements(d.sessionManagerLogPrefix(NETWORK)) });

  const prod = workload(app, 'Prod', PROD, '10.0.0.0/18', d);
  const dev = workload(app, 'Dev', DEV, '10.0.64.0/18', d);
  return { app, destinations: d, security, network, prod, dev };
}
