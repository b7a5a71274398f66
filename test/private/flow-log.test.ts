import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { createVpcFlowLog } from '../../src/private/flow-log';

function vpcStack() {
  const stack = new Stack(new App(), 'S', { env: { account: '333333333333', region: 'ap-northeast-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'], natGateways: 0, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  return { stack, vpc };
}

describe('createVpcFlowLog', () => {
  test('to CloudWatch Logs: encrypted retained group, a role trusted only by this account\'s flow logs, a managed policy the flow log waits for', () => {
    const { stack, vpc } = vpcStack();
    const key = new kms.Key(stack, 'Key');
    const result = createVpcFlowLog(stack, { vpc, encryptionKey: key, retention: logs.RetentionDays.THREE_MONTHS, vpcName: 'the Prod VPC' });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 90, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } }, DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: 'Lets VPC Flow Logs write the flow log group of the Prod VPC',
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': '333333333333' },
            ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:ap-northeast-1:333333333333:vpc-flow-log/*']] } },
          },
        }],
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FlowLogGroup'), 'Arn'] } }] },
    });
    template.resourceCountIs('AWS::IAM::Policy', 0); // no inline policy
    const flowLog = template.toJSON().Resources[stack.getLogicalId(result.flowLog.node.defaultChild as ec2.CfnFlowLog)];
    expect(flowLog.Properties).toMatchObject({ ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    expect(flowLog.DependsOn).toEqual([stack.getLogicalId(result.policy!.node.defaultChild as any)]);
  });

  test('to a given destination: nothing else is created', () => {
    const { stack, vpc } = vpcStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Archive', 'archive-111111111111');
    const result = createVpcFlowLog(stack, { vpc, destination: ec2.FlowLogDestination.toS3(bucket, 'vpc-flow-logs/prod'), vpcName: 'the Prod VPC' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::FlowLog', { LogDestinationType: 's3', TrafficType: 'ALL' });
    template.resourceCountIs('AWS::Logs::LogGroup', 0);
    template.resourceCountIs('AWS::IAM::Role', 0);
    expect([result.logGroup, result.role, result.policy]).toEqual([undefined, undefined, undefined]);
  });

  test('to CloudWatch Logs without a key: a clear error', () => {
    const { stack, vpc } = vpcStack();
    expect(() => createVpcFlowLog(stack, { vpc, vpcName: 'x' })).toThrow('S: a VPC flow log to CloudWatch Logs needs the encryption key of its log group.');
  });
});
