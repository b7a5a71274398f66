import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DEV, NETWORK, PROD } from './fixtures';
import { buildReferenceWiring } from './reference-wiring';

const LOG_ARN = 'arn:aws:s3:::gov-hybrid-logs-111111111111-ap-northeast-1';
const ALB_BUCKET = 'gov-hybrid-alb-logs-111111111111-ap-northeast-1';

/** Turns an IAM ARN pattern with `*` into a RegExp, the way S3 matches a bucket policy's Resource. */
function matches(pattern: string, arn: string): boolean {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.?+^$()[\]{}|\\/]/g, '\\$&')).join('.*')}$`).test(arn);
}

function statements(stack: Stack, type: string): any[] {
  return Object.values(Template.fromStack(stack).findResources(type)).flatMap((r) => r.Properties.PolicyDocument.Statement);
}

describe('reference deployment log wiring', () => {
  const wiring = buildReferenceWiring();
  const archivePolicy = statements(wiring.security, 'AWS::S3::BucketPolicy');
  const allowedFor = (principalTest: (s: any) => boolean) => archivePolicy
    .filter((s) => s.Effect === 'Allow' && principalTest(s) && [s.Action].flat().includes('s3:PutObject'))
    .flatMap((s) => [s.Resource].flat());

  test('every VPC and transit gateway flow log writes to the archive, under a path the archive accepts from its account', () => {
    const delivery = allowedFor((s) => s.Principal.Service === 'delivery.logs.amazonaws.com');
    const flowLogs: string[] = [];
    for (const [stack, account] of [[wiring.network, NETWORK], [wiring.prod, PROD], [wiring.dev, DEV]] as Array<[Stack, string]>) {
      for (const flowLog of Object.values(Template.fromStack(stack).findResources('AWS::EC2::FlowLog'))) {
        const destination: string = flowLog.Properties.LogDestination;
        flowLogs.push(`${flowLog.Properties.ResourceType} ${destination}`);
        expect(flowLog.Properties.LogDestinationType).toBe('s3');
        // The delivery service appends /AWSLogs/<account>/vpcflowlogs/<region>/...
        expect(delivery.some((p) => matches(p, `${destination}/AWSLogs/${account}/vpcflowlogs/ap-northeast-1/2026/01/01/x.log.gz`))).toBe(true);
      }
    }
    // AND nothing lets another account's delivery write there
    expect(delivery.some((p) => matches(p, `${LOG_ARN}/vpc-flow-logs/prod-vpc/AWSLogs/999999999999/vpcflowlogs/x.log.gz`))).toBe(false);
    expect(flowLogs.sort()).toEqual([
      `TransitGateway ${LOG_ARN}/tgw-flow-logs/hub`,
      `VPC ${LOG_ARN}/vpc-flow-logs/dev-vpc`,
      `VPC ${LOG_ARN}/vpc-flow-logs/network-vpc`,
      `VPC ${LOG_ARN}/vpc-flow-logs/prod-vpc`,
    ]);
  });

  test('Resolver query logs write to the archive under a path the archive accepts from the Network account', () => {
    const delivery = allowedFor((s) => s.Principal.Service === 'delivery.logs.amazonaws.com');
    const configs = Object.values(Template.fromStack(wiring.network).findResources('AWS::Route53Resolver::ResolverQueryLoggingConfig'));
    expect(configs.map((c) => c.Properties.DestinationArn)).toEqual([`${LOG_ARN}/resolver-query-logs/network/`]);
    expect(delivery.some((p) => matches(p, `${LOG_ARN}/resolver-query-logs/network/AWSLogs/${NETWORK}/vpcdnsquerylogs/vpc-1/x.log.gz`))).toBe(true);
  });

  test('every ALB logs to the archive\'s ALB bucket under a path the archive accepts from its account', () => {
    const elb = allowedFor((s) => s.Sid === 'ElbAccessLogWrite');
    for (const [stack, account, prefix] of [[wiring.prod, PROD, 'alb/prod-app'], [wiring.dev, DEV, 'alb/dev-app']] as Array<[Stack, string, string]>) {
      const albs = Object.values(Template.fromStack(stack).findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'));
      expect(albs).toHaveLength(1);
      const attributes = Object.fromEntries(albs[0].Properties.LoadBalancerAttributes.map((a: any) => [a.Key, a.Value]));
      expect(attributes).toMatchObject({ 'access_logs.s3.enabled': 'true', 'access_logs.s3.bucket': ALB_BUCKET, 'access_logs.s3.prefix': prefix });
      expect(elb.some((p) => matches(p, `arn:aws:s3:::${ALB_BUCKET}/${prefix}/AWSLogs/${account}/elasticloadbalancing/ap-northeast-1/x.log.gz`))).toBe(true);
      // The workload stack adds no bucket policy to a bucket it does not own.
      Template.fromStack(stack).resourceCountIs('AWS::S3::BucketPolicy', 0);
    }
  });

  test('every web ACL logs through a WAF stream whose role the archive accepts', () => {
    for (const [stack, account] of [[wiring.prod, PROD], [wiring.dev, DEV]] as Array<[Stack, string]>) {
      const t = Template.fromStack(stack);
      const streams = Object.values(t.findResources('AWS::KinesisFirehose::DeliveryStream'));
      expect(streams).toHaveLength(1);
      expect(streams[0].Properties.ExtendedS3DestinationConfiguration.BucketARN).toBe(LOG_ARN);
      const prefix: string = streams[0].Properties.ExtendedS3DestinationConfiguration.Prefix;
      const roleName = Object.values(t.findResources('AWS::IAM::Role'))
        .find((r) => r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service === 'firehose.amazonaws.com')!.Properties.RoleName;
      const roleArn = `arn:aws:iam::${account}:role/${roleName}`;
      const allowed = allowedFor((s) => s.Condition?.ArnLike?.['aws:PrincipalArn'] === roleArn);
      expect(allowed.some((p) => matches(p, `${LOG_ARN}/${prefix.replace('!{timestamp:yyyy/MM/dd/HH}', '2026/01/01/00')}aws-waf-logs-1.gz`))).toBe(true);
      expect(Object.keys(t.findResources('AWS::WAFv2::LoggingConfiguration'))).toHaveLength(1);
    }
  });

  test('the Session Manager role writes where the archive lets it', () => {
    const allowed = allowedFor((s) => s.Condition?.ArnLike?.['aws:PrincipalArn'] === `arn:aws:iam::${NETWORK}:role/gov-hybrid-bastion`);
    const granted = statements(wiring.network, 'AWS::IAM::ManagedPolicy').filter((s) => [s.Action].flat().includes('s3:PutObject'));
    expect(granted.map((s) => s.Resource)).toEqual([`${LOG_ARN}/session-manager/${NETWORK}/*`]);
    expect(allowed).toEqual([`${LOG_ARN}/session-manager/${NETWORK}/*`]);
  });
});
