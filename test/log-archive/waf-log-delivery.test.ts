import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { nagFindings, newApp, PROD, referenceDestinations, stackIn } from './fixtures';
import { WafLogDelivery, WafLogDeliveryProps } from '../../src/log-archive';

const LOG_ARN = 'arn:aws:s3:::gov-hybrid-logs-111111111111-ap-northeast-1';
const WEB_ACL = 'arn:aws:wafv2:ap-northeast-1:333333333333:regional/webacl/prod-app/0123abcd';

function delivery(props: Partial<WafLogDeliveryProps> = {}) {
  const stack = stackIn(newApp(), 'Prod', PROD);
  const construct = new WafLogDelivery(stack, 'WafLogs', { destinations: referenceDestinations(), ...props });
  return { stack, construct };
}

describe('WafLogDelivery', () => {
  test('creates an encrypted aws-waf-logs- stream that delivers to this account\'s prefix of the archive bucket', () => {
    const { stack, construct } = delivery();
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 1);
    t.hasResource('AWS::KinesisFirehose::DeliveryStream', {
      Properties: {
        DeliveryStreamName: 'aws-waf-logs-gov-hybrid',
        DeliveryStreamType: 'DirectPut',
        DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
        ExtendedS3DestinationConfiguration: {
          BucketARN: LOG_ARN,
          RoleARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('WafLogsRole'), 'Arn'] },
          Prefix: 'waf/333333333333/!{timestamp:yyyy/MM/dd/HH}/',
          ErrorOutputPrefix: 'waf-errors/333333333333/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/',
          BufferingHints: { IntervalInSeconds: 300, SizeInMBs: 5 },
          CompressionFormat: 'GZIP',
          EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
          CloudWatchLoggingOptions: { Enabled: false },
        },
      },
      DependsOn: [Match.stringLikeRegexp('WafLogsDeliveryPolicy')],
    });
    expect(construct.deliveryStreamName).toBe('aws-waf-logs-gov-hybrid');
    const streamId = Object.keys(t.findResources('AWS::KinesisFirehose::DeliveryStream'))[0];
    expect(stack.resolve(construct.deliveryStreamArn)).toEqual({ 'Fn::GetAtt': [streamId, 'Arn'] });
    expect(construct.logPrefix).toBe('waf/333333333333');
  });

  test('uses the role name the archive allows, assumable only by Firehose for this stream', () => {
    const { stack } = delivery();
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'gov-hybrid-waf-log-delivery-ap-northeast-1',
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'firehose.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': PROD },
            ArnLike: {
              'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':firehose:ap-northeast-1:333333333333:deliverystream/aws-waf-logs-gov-hybrid']] },
            },
          },
        }],
      },
    });
  });

  test('lets the role write only its own prefixes and use the archive key only through S3', () => {
    const { stack } = delivery();
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::IAM::Policy', 0);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('WafLogsRole') }],
      PolicyDocument: {
        Statement: [
          {
            Sid: 'WriteWafLogObjects',
            Effect: 'Allow',
            Action: ['s3:AbortMultipartUpload', 's3:PutObject', 's3:PutObjectAcl'],
            Resource: [`${LOG_ARN}/waf/333333333333/*`, `${LOG_ARN}/waf-errors/333333333333/*`],
          },
          {
            Sid: 'ReadBucketSettings',
            Effect: 'Allow',
            Action: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'],
            Resource: LOG_ARN,
          },
          {
            Effect: 'Allow',
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: 'arn:aws:kms:ap-northeast-1:111111111111:key/*',
            Condition: {
              'StringEquals': { 'kms:ViaService': 's3.ap-northeast-1.amazonaws.com', 'kms:EncryptionContext:aws:s3:arn': LOG_ARN },
              'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/gov-hybrid-log-archive' },
            },
          },
        ],
      },
    });
  });

  test('a web ACL\'s logging configuration can send its logs to the stream', () => {
    const { stack, construct } = delivery();
    new wafv2.CfnLoggingConfiguration(stack, 'ProdAppAcl', { resourceArn: WEB_ACL, logDestinationConfigs: [construct.deliveryStreamArn] });
    Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      ResourceArn: WEB_ACL,
      LogDestinationConfigs: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('WafLogs'), 'Arn'] }],
    });
  });

  test('logs delivery errors to a given log group', () => {
    // GIVEN an encrypted log group of the workload account
    const stack = stackIn(newApp(), 'Prod', PROD);
    const key = new kms.Key(stack, 'LogKey', { enableKeyRotation: true });
    const group = new logs.LogGroup(stack, 'Errors', { logGroupName: 'waf-log-delivery-errors', encryptionKey: key, retention: logs.RetentionDays.ONE_YEAR });

    // WHEN
    new WafLogDelivery(stack, 'WafLogs', { destinations: referenceDestinations(), errorLogGroup: group, bufferingInterval: Duration.seconds(60), bufferingSizeMiB: 64 });

    // THEN
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Logs::LogStream', { LogStreamName: 'S3Delivery' });
    t.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({
        BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 64 },
        CloudWatchLoggingOptions: { Enabled: true, LogGroupName: { Ref: Match.stringLikeRegexp('Errors') }, LogStreamName: { Ref: Match.stringLikeRegexp('WafLogsErrorLogStream') } },
      }),
    });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'WriteDeliveryErrors',
          Effect: 'Allow',
          Action: 'logs:PutLogEvents',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:ap-northeast-1:333333333333:log-group:', { Ref: Match.stringLikeRegexp('Errors') }, ':log-stream:S3Delivery']] },
        }]),
      },
    });
  });

  test('rejects buffering hints that Firehose does not accept', () => {
    const stack = stackIn(newApp(), 'Prod', PROD);
    expect(() => new WafLogDelivery(stack, 'WafLogs', {
      destinations: referenceDestinations(),
      bufferingInterval: Duration.minutes(30),
      bufferingSizeMiB: 0,
    })).toThrow([
      'Invalid WafLogDelivery props at Prod/WafLogs (2 problems):',
      '  - `bufferingInterval` 1800 is not a buffering interval in seconds; use an integer from 60 to 900.',
      '  - `bufferingSizeMiB` 0 is not a buffer size in MiB; use an integer from 1 to 128.',
    ].join('\n'));
  });

  test('has no unacknowledged cdk-nag finding', () => {
    const { stack } = delivery();
    expect(nagFindings(stack)).toEqual([]);
  });
});
