import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { referenceProps } from './fixtures';
import { SecureEcsWorkload } from '../../src/ecs-workload';
import { IsolatedSpokeVpc } from '../../src/spoke-vpc';
import { cfnLintFindings } from '../support/cfn-lint';

test('the Prod and Dev reference stacks pass cfn-lint with zero errors and zero warnings', () => {
  // GIVEN the two spoke stacks of the reference deployment, synthesized to a temporary cloud assembly
  const app = new App();
  const stacks: Stack[] = [];
  for (const [name, account, base] of [['Prod', '333333333333', 0], ['Dev', '444444444444', 64]] as const) {
    const stack = new Stack(app, name, { env: { account, region: 'ap-northeast-1' } });
    stacks.push(stack);
    const cidr = (third: number, fourth: number, prefix: number) => `10.0.${base + third}.${fourth}/${prefix}`;
    const spoke = new IsolatedSpokeVpc(stack, 'Spoke', {
      vpcCidr: cidr(0, 0, 18),
      availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'],
      transitGatewayAttachmentSubnetCidrs: [cidr(0, 0, 28), cidr(0, 16, 28)],
      loadBalancerSubnetCidrs: [cidr(1, 0, 24), cidr(2, 0, 24)],
      applicationSubnetCidrs: [cidr(10, 0, 24), cidr(11, 0, 24)],
      dataSubnetCidrs: [cidr(30, 0, 24), cidr(31, 0, 24)],
      flowLogDestination: ec2.FlowLogDestination.toS3(s3.Bucket.fromBucketName(stack, 'Logs', 'gov-logs-111111111111'), `vpc-flow-logs/${name}`),
    });
    const dev = name === 'Dev';
    new SecureEcsWorkload(stack, 'App', {
      ...referenceProps({ stack, spoke }),
      wafLogDestinationArn: `arn:aws:firehose:ap-northeast-1:${account}:deliverystream/aws-waf-logs-gov-${account}`,
      multiAz: !dev,
      desiredCount: dev ? 1 : 2,
      backupRetention: Duration.days(dev ? 3 : 14),
    });
  }
  // WHEN / THEN
  expect(cfnLintFindings(app, stacks)).toEqual([]);
});
