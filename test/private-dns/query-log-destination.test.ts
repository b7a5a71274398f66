import { Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ACCOUNTS, stackIn } from './fixtures';
import { QueryLogDestination, QueryLogDestinationType } from '../../src/private-dns';
import { canonicalDomain, resourceName, zonePermissionName, zoneShareName } from '../../src/private-dns/names';

describe('QueryLogDestination', () => {
  test('a log group, a bucket (with or without prefix), a bucket ARN and a Firehose stream give the ARN Resolver expects', () => {
    const stack = stackIn(ACCOUNTS.network);
    const group = logs.LogGroup.fromLogGroupName(stack, 'Group', 'resolver');
    const bucket = s3.Bucket.fromBucketName(stack, 'Bucket', 'logs-222222222222');
    expect(stack.resolve(QueryLogDestination.logGroup(group).destinationArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:ap-northeast-1:222222222222:log-group:resolver:*']],
    });
    expect(QueryLogDestination.logGroup(group).destinationType).toBe(QueryLogDestinationType.CLOUDWATCH_LOGS);
    expect(stack.resolve(QueryLogDestination.bucket(bucket, 'dns').destinationArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::logs-222222222222/dns']],
    });
    expect(QueryLogDestination.bucketArn('arn:aws:s3:::gov-hybrid-logs-111111111111').destinationArn).toBe('arn:aws:s3:::gov-hybrid-logs-111111111111');
    const firehose = QueryLogDestination.firehoseDeliveryStreamArn('arn:aws:firehose:ap-northeast-1:222222222222:deliverystream/dns');
    expect([firehose.destinationType, firehose.destinationArn]).toEqual([QueryLogDestinationType.FIREHOSE, 'arn:aws:firehose:ap-northeast-1:222222222222:deliverystream/dns']);
  });

  test('the Security account gets the bucket and key policy statements for the Network account\'s log delivery', () => {
    const stack = new Stack();
    const statements = QueryLogDestination.s3DeliveryPolicyStatements('arn:aws:s3:::gov-hybrid-logs-111111111111', [ACCOUNTS.network], 'ap-northeast-1', 'route53resolver');
    const sourceArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:ap-northeast-1:222222222222:*']] };
    expect(statements.map((s) => stack.resolve(s.toStatementJson()))).toEqual([
      {
        Sid: 'AWSLogDeliveryWrite',
        Effect: 'Allow',
        Principal: { Service: 'delivery.logs.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: 'arn:aws:s3:::gov-hybrid-logs-111111111111/route53resolver/AWSLogs/222222222222/*',
        Condition: {
          StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': ['222222222222'] },
          ArnLike: { 'aws:SourceArn': [sourceArn] },
        },
      },
      {
        Sid: 'AWSLogDeliveryAclCheck',
        Effect: 'Allow',
        Principal: { Service: 'delivery.logs.amazonaws.com' },
        Action: ['s3:GetBucketAcl', 's3:ListBucket'],
        Resource: 'arn:aws:s3:::gov-hybrid-logs-111111111111',
        Condition: { StringEquals: { 'aws:SourceAccount': ['222222222222'] }, ArnLike: { 'aws:SourceArn': [sourceArn] } },
      },
    ]);
    expect(stack.resolve(QueryLogDestination.kmsKeyPolicyStatement([ACCOUNTS.network], 'ap-northeast-1').toStatementJson())).toEqual({
      Sid: 'AllowResolverQueryLogDelivery',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': ['222222222222'] }, ArnLike: { 'aws:SourceArn': [sourceArn] } },
    });
  });
});

describe('private DNS names', () => {
  test('domains are compared without case and trailing dot', () => {
    expect(canonicalDomain('Prod.Internal.')).toBe('prod.internal');
    expect(canonicalDomain('onprem.example.local')).toBe('onprem.example.local');
  });

  test('names fit Route 53 Resolver/Profiles and RAM limits', () => {
    expect(resourceName('gov-private-dns', 'onprem.example.local')).toBe('gov-private-dns-onprem-example-local');
    expect(resourceName('corp rule')).toBe('corp rule');
    expect(resourceName('123')).toBe('n123');
    expect(resourceName('x'.repeat(80))).toHaveLength(64);
    expect(zoneShareName('gov-private-dns', 'Prod.Internal.')).toBe('gov-private-dns-zone-prod.internal');
    expect(zonePermissionName('gov-private-dns', 'prod.internal')).toBe('gov-private-dns-prod.internal');
    const long = zonePermissionName('gov-private-dns', 'a-long-department.city.internal');
    expect(long).toHaveLength(36);
    expect(long).not.toBe(zonePermissionName('gov-private-dns', 'a-long-department.town.internal'));
  });
});
