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
      // Without the ":*" of `logGroupArn`: Resolver takes the log group's own ARN.
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:ap-northeast-1:222222222222:log-group:resolver']],
    });
    expect(QueryLogDestination.logGroup(group).destinationType).toBe(QueryLogDestinationType.CLOUDWATCH_LOGS);
    expect(stack.resolve(QueryLogDestination.bucket(bucket, 'dns').destinationArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::logs-222222222222/dns']],
    });
    expect(QueryLogDestination.bucketArn('arn:aws:s3:::gov-hybrid-logs-111111111111').destinationArn).toBe('arn:aws:s3:::gov-hybrid-logs-111111111111');
    const firehose = QueryLogDestination.firehoseDeliveryStreamArn('arn:aws:firehose:ap-northeast-1:222222222222:deliverystream/dns');
    expect([firehose.destinationType, firehose.destinationArn]).toEqual([QueryLogDestinationType.FIREHOSE, 'arn:aws:firehose:ap-northeast-1:222222222222:deliverystream/dns']);
  });

  test('the policy statements of the delivery service are CentralLogArchive\'s job, not this class\'s', () => {
    expect(Object.getOwnPropertyNames(QueryLogDestination).filter((n) => /Statement/.test(n))).toEqual([]);
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
