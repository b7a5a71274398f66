import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SecureEcsWorkloadProps } from '../../src/ecs-workload';
import { IsolatedSpokeVpc } from '../../src/spoke-vpc';

export const AZS = ['ap-northeast-1a', 'ap-northeast-1c'];
export const USER_SITES = '172.16.0.0/16';
export const BASTIONS = ['192.168.10.0/24', '192.168.11.0/24'];
export const CERT_ARN = 'arn:aws:acm:ap-northeast-1:333333333333:certificate/0f9c1a2b-1111-2222-3333-444455556666';
export const WAF_STREAM_ARN = 'arn:aws:firehose:ap-northeast-1:333333333333:deliverystream/aws-waf-logs-gov-333333333333';

export interface Env {
  readonly stack: Stack;
  readonly spoke: IsolatedSpokeVpc;
}

/** The Prod stack of the reference deployment with its spoke VPC (reference address plan). */
export function prodEnv(): Env {
  const stack = new Stack(new App(), 'Prod', { env: { account: '333333333333', region: 'ap-northeast-1' } });
  const spoke = new IsolatedSpokeVpc(stack, 'Spoke', {
    vpcCidr: '10.0.0.0/18',
    availabilityZones: AZS,
    transitGatewayAttachmentSubnetCidrs: ['10.0.0.0/28', '10.0.0.16/28'],
    loadBalancerSubnetCidrs: ['10.0.1.0/24', '10.0.2.0/24'],
    applicationSubnetCidrs: ['10.0.10.0/24', '10.0.11.0/24'],
    dataSubnetCidrs: ['10.0.30.0/24', '10.0.31.0/24'],
    extraSubnetGroups: [{ name: 'transfer', cidrs: ['10.0.20.0/27', '10.0.20.32/27'] }],
  });
  return { stack, spoke };
}

/** The Dev stack of the reference deployment with its spoke VPC. */
export function devEnv(): Env {
  const stack = new Stack(new App(), 'Dev', { env: { account: '444444444444', region: 'ap-northeast-1' } });
  const spoke = new IsolatedSpokeVpc(stack, 'Spoke', {
    vpcCidr: '10.0.64.0/18',
    availabilityZones: AZS,
    transitGatewayAttachmentSubnetCidrs: ['10.0.64.0/28', '10.0.64.16/28'],
    loadBalancerSubnetCidrs: ['10.0.65.0/24', '10.0.66.0/24'],
    applicationSubnetCidrs: ['10.0.74.0/24', '10.0.75.0/24'],
    dataSubnetCidrs: ['10.0.94.0/24', '10.0.95.0/24'],
  });
  return { stack, spoke };
}

/** The minimal valid props: VPC, user sites, certificate, access log bucket, image. */
export function minimalProps(env: Env): SecureEcsWorkloadProps {
  return {
    vpc: env.spoke.vpc,
    userSiteCidrs: [USER_SITES],
    certificates: [elbv2.ListenerCertificate.fromArn(CERT_ARN)],
    accessLogsBucket: (env.stack.node.tryFindChild('AlbLogs') as s3.IBucket | undefined)
      ?? s3.Bucket.fromBucketName(env.stack, 'AlbLogs', 'gov-alb-logs-111111111111'),
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:stable-alpine'),
  };
}

/** The sample application image of the repository (assets/sample-app), fingerprinted only: nothing is built. */
export const SAMPLE_APP = path.join(__dirname, '..', '..', 'assets', 'sample-app');

/** The props the reference deployment uses in Prod. */
export function referenceProps(env: Env): SecureEcsWorkloadProps {
  return {
    ...minimalProps(env),
    image: ecs.ContainerImage.fromAsset(SAMPLE_APP, { platform: ecrAssets.Platform.LINUX_AMD64 }),
    healthCheckPath: '/health',
    operatorSourceCidrs: BASTIONS,
    accessLogsPrefix: 'alb/prod-app',
    wafLogDestinationArn: WAF_STREAM_ARN,
    rateLimitPerFiveMinutes: 2000,
    privateZone: route53.PrivateHostedZone.fromHostedZoneAttributes(env.stack, 'Zone', { hostedZoneId: 'Z0PROD000000000000001', zoneName: 'prod.internal' }),
  };
}
