import { Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { NETWORK, newApp, REGION, referenceDestinations, SECURITY, stackIn } from './fixtures';
import { LogArchiveDestinations } from '../../src/log-archive';

const LOG_BUCKET = 'gov-hybrid-logs-111111111111-ap-northeast-1';

describe('LogArchiveDestinations naming contract', () => {
  test('derives every name from the archive account, the Region and the prefix', () => {
    // GIVEN the shared configuration of the reference deployment
    const d = referenceDestinations();

    // THEN every account derives the same names
    expect(d.logBucketName).toBe(LOG_BUCKET);
    expect(d.albLogBucketName).toBe('gov-hybrid-alb-logs-111111111111-ap-northeast-1');
    expect(d.accessLogBucketName).toBe('gov-hybrid-s3-access-logs-111111111111-ap-northeast-1');
    expect(d.keyAliasName).toBe('alias/gov-hybrid-log-archive');
    expect(d.wafDeliveryRoleName).toBe('gov-hybrid-waf-log-delivery-ap-northeast-1');
    expect(d.wafDeliveryStreamName).toBe('aws-waf-logs-gov-hybrid');
    expect(d.logBucketArn).toBe(`arn:aws:s3:::${LOG_BUCKET}`);
    expect(d.albLogBucketArn).toBe('arn:aws:s3:::gov-hybrid-alb-logs-111111111111-ap-northeast-1');
    expect(d.keyAliasArn).toBe('arn:aws:kms:ap-northeast-1:111111111111:alias/gov-hybrid-log-archive');
    expect(d.keyArnPattern).toBe('arn:aws:kms:ap-northeast-1:111111111111:key/*');
    expect(d.s3ViaService).toBe('s3.ap-northeast-1.amazonaws.com');
    expect(d.wafDeliveryRoleArn('333333333333')).toBe('arn:aws:iam::333333333333:role/gov-hybrid-waf-log-delivery-ap-northeast-1');
  });

  test('derives the key prefix of every log source', () => {
    const d = referenceDestinations();
    expect(d.vpcFlowLogPrefix('prod-vpc')).toBe('vpc-flow-logs/prod-vpc');
    expect(d.transitGatewayFlowLogPrefix('hub')).toBe('tgw-flow-logs/hub');
    expect(d.resolverQueryLogPrefix('network')).toBe('resolver-query-logs/network');
    expect(d.albAccessLogPrefix('prod-app')).toBe('alb/prod-app');
    expect(d.wafLogPrefix('333333333333')).toBe('waf/333333333333');
    expect(d.wafErrorPrefix('333333333333')).toBe('waf-errors/333333333333');
    expect(d.sessionManagerLogPrefix('222222222222')).toBe('session-manager/222222222222');
    expect(d.resolverQueryLogDestinationArn('network')).toBe(`arn:aws:s3:::${LOG_BUCKET}/resolver-query-logs/network/`);
    expect(LogArchiveDestinations.CLOUDTRAIL_PREFIX).toBe('cloudtrail');
  });

  test('honours overridden names and the partition', () => {
    const d = new LogArchiveDestinations({
      archiveAccountId: SECURITY,
      region: 'cn-north-1',
      partition: 'aws-cn',
      namePrefix: 'city',
      logBucketName: 'city-central-logs',
      albLogBucketName: 'city-alb-logs',
      accessLogBucketName: 'city-s3-access-logs',
      keyAliasName: 'alias/city/logs',
      wafDeliveryRoleName: 'city-waf-firehose',
      wafDeliveryStreamName: 'aws-waf-logs-city-prod',
    });
    expect(d.logBucketArn).toBe('arn:aws-cn:s3:::city-central-logs');
    expect(d.keyAliasArn).toBe('arn:aws-cn:kms:cn-north-1:111111111111:alias/city/logs');
    expect(d.s3ViaService).toBe('s3.cn-north-1.amazonaws.com.cn');
    expect(d.wafDeliveryRoleArn('333333333333')).toBe('arn:aws-cn:iam::333333333333:role/city-waf-firehose');
    expect(d.wafDeliveryStreamName).toBe('aws-waf-logs-city-prod');
  });

  test('lists every malformed identifier in one error', () => {
    expect(() => new LogArchiveDestinations({
      archiveAccountId: '1111',
      region: 'tokyo',
      namePrefix: 'Gov_Hybrid',
      partition: 'aws-mars',
    })).toThrow([
      'Invalid LogArchiveDestinations props (4 problems):',
      '  - `archiveAccountId` 1111 is not an AWS account ID; use the 12 digits of the account.',
      '  - `region` tokyo is not an AWS Region name; write it like ap-northeast-1.',
      '  - `partition` aws-mars is not a partition this library supports; use one of aws, aws-cn, aws-us-gov.',
      '  - `namePrefix` Gov_Hybrid is not a valid name prefix; use lowercase letters, digits and hyphens, starting and ending with a letter or digit.',
    ].join('\n'));
  });

  test('rejects deploy-time tokens, because every account must derive the same names', () => {
    const stack = new Stack();
    expect(() => new LogArchiveDestinations({
      archiveAccountId: stack.account,
      region: REGION,
      namePrefix: 'gov-hybrid',
    })).toThrow(/^Invalid LogArchiveDestinations props \(1 problem\):\n {2}- `archiveAccountId` \$\{Token\[AWS\.AccountId\.\d+\]\} is a deploy-time token; use the literal value from the shared configuration, because every account must derive the same names\.$/);
    expect(Token.isUnresolved(stack.account)).toBe(true);
  });

  test('asks for a shorter prefix when a derived bucket name exceeds 63 characters', () => {
    expect(() => new LogArchiveDestinations({
      archiveAccountId: SECURITY,
      region: REGION,
      namePrefix: 'a-very-long-municipal-prefix',
    })).toThrow([
      'Invalid LogArchiveDestinations props (2 problems):',
      '  - `albLogBucketName` a-very-long-municipal-prefix-alb-logs-111111111111-ap-northeast-1 is 65 characters long; S3 allows 63. Shorten `namePrefix` or set `albLogBucketName`.',
      '  - `accessLogBucketName` a-very-long-municipal-prefix-s3-access-logs-111111111111-ap-northeast-1 is 71 characters long; S3 allows 63. Shorten `namePrefix` or set `accessLogBucketName`.',
    ].join('\n'));
  });

  test('rejects malformed overrides', () => {
    expect(() => new LogArchiveDestinations({
      archiveAccountId: SECURITY,
      region: REGION,
      namePrefix: 'gov',
      logBucketName: 'Logs_Bucket',
      albLogBucketName: 'gov-shared',
      accessLogBucketName: 'gov-shared',
      keyAliasName: 'alias/aws/s3',
      wafDeliveryRoleName: 'role with spaces',
      wafDeliveryStreamName: 'waf-logs',
    })).toThrow([
      'Invalid LogArchiveDestinations props (5 problems):',
      '  - `logBucketName` Logs_Bucket is not an S3 bucket name; use 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.',
      '  - `logBucketName` ["Logs_Bucket","gov-shared","gov-shared"] repeats a bucket name; the log, ALB and access-log buckets need three different names.',
      '  - `keyAliasName` alias/aws/s3 is not a KMS alias name; use alias/ followed by letters, digits, slashes, underscores or hyphens (not alias/aws/).',
      '  - `wafDeliveryRoleName` "role with spaces" is not an IAM role name; use at most 64 letters, digits and +=,.@_- characters.',
      '  - `wafDeliveryStreamName` waf-logs is not a WAF log stream name; AWS WAF needs a Firehose stream named aws-waf-logs-<suffix>, at most 64 letters, digits and _.- characters.',
    ].join('\n'));
  });

  test('rejects a source name that is not one path segment, and an account that is not 12 digits', () => {
    const d = referenceDestinations();
    expect(() => d.vpcFlowLogPrefix('prod/vpc')).toThrow(
      'LogArchiveDestinations.vpcFlowLogPrefix: `sourceName` prod/vpc is not a log source name; use 1-64 letters, digits, dots, underscores or hyphens (no slash), e.g. prod-vpc.');
    expect(() => d.albAccessLogPrefix('')).toThrow(
      'LogArchiveDestinations.albAccessLogPrefix: `sourceName` "" is not a log source name; use 1-64 letters, digits, dots, underscores or hyphens (no slash), e.g. prod-vpc.');
    expect(() => d.sessionManagerLogPrefix('2222')).toThrow(
      'LogArchiveDestinations.sessionManagerLogPrefix: `accountId` 2222 is not an AWS account ID; use the 12 digits of the account.');
  });
});

describe('LogArchiveDestinations in a source account', () => {
  test('imports the log buckets once per stack, with the archive account and Region', () => {
    // GIVEN a stack of the Network account
    const stack = stackIn(newApp(), 'Network', NETWORK);
    const d = referenceDestinations();

    // WHEN the buckets are imported twice
    const logs = d.logBucket(stack);
    const again = d.logBucket(new Construct(stack, 'Child'));
    const alb = d.albLogBucket(stack);

    // THEN
    expect(again).toBe(logs);
    expect(stack.resolve(logs.bucketName)).toBe(LOG_BUCKET);
    expect(logs.env).toEqual({ account: SECURITY, region: REGION });
    expect(logs.encryptionKey).toBeUndefined();
    expect(stack.resolve(alb.bucketName)).toBe('gov-hybrid-alb-logs-111111111111-ap-northeast-1');
  });

  test('VPC and transit gateway flow logs point at the log bucket and add no bucket policy of their own', () => {
    // GIVEN
    const stack = stackIn(newApp(), 'Network', NETWORK);
    const d = referenceDestinations();
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('192.168.0.0/16'),
      natGateways: 0,
      maxAzs: 2,
      subnetConfiguration: [{ name: 'bastion', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    });
    const tgw = new ec2.CfnTransitGateway(stack, 'Tgw', {});

    // WHEN
    vpc.addFlowLog('FlowLogs', { destination: d.vpcFlowLogDestination(stack, 'network-vpc') });
    new ec2.FlowLog(stack, 'TgwFlowLogs', {
      resourceType: ec2.FlowLogResourceType.fromTransitGatewayId(tgw.ref),
      destination: d.transitGatewayFlowLogDestination(stack, 'hub', { fileFormat: ec2.FlowLogFileFormat.PARQUET }),
      maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.ONE_MINUTE,
    });

    // THEN
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      LogDestinationType: 's3',
      LogDestination: `arn:aws:s3:::${LOG_BUCKET}/vpc-flow-logs/network-vpc`,
      TrafficType: 'ALL',
    });
    t.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'TransitGateway',
      LogDestinationType: 's3',
      LogDestination: `arn:aws:s3:::${LOG_BUCKET}/tgw-flow-logs/hub`,
      DestinationOptions: Match.objectLike({ fileFormat: 'parquet' }),
      MaxAggregationInterval: 60,
    });
    t.resourceCountIs('AWS::S3::BucketPolicy', 0);
    t.resourceCountIs('AWS::S3::Bucket', 0);
  });

  test('logWriteStatements give a source-account role exactly the identity-side permissions for its prefix', () => {
    // GIVEN the Session Manager bastion role of the Network account
    const stack = stackIn(newApp(), 'Network', NETWORK);
    const d = referenceDestinations();
    const role = new iam.Role(stack, 'Bastion', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });

    // WHEN
    new iam.ManagedPolicy(stack, 'SessionLogs', { roles: [role], statements: d.logWriteStatements(d.sessionManagerLogPrefix(NETWORK)) });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['s3:PutObject', 's3:PutObjectAcl'],
            Resource: `arn:aws:s3:::${LOG_BUCKET}/session-manager/222222222222/*`,
          },
          {
            Effect: 'Allow',
            Action: 's3:GetEncryptionConfiguration',
            Resource: `arn:aws:s3:::${LOG_BUCKET}`,
          },
          {
            Effect: 'Allow',
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: 'arn:aws:kms:ap-northeast-1:111111111111:key/*',
            Condition: {
              'StringEquals': {
                'kms:ViaService': 's3.ap-northeast-1.amazonaws.com',
                'kms:EncryptionContext:aws:s3:arn': `arn:aws:s3:::${LOG_BUCKET}`,
              },
              'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/gov-hybrid-log-archive' },
            },
          },
        ],
      },
    });
  });

  test('logWriteStatements rejects a prefix with slashes at its ends or an AWSLogs segment', () => {
    const message = (p: string) => `LogArchiveDestinations.logWriteStatements: \`keyPrefix\` ${p} is not a key prefix; ` +
      'write segments of letters, digits and !_.*\'()- separated by single slashes, with no leading or trailing slash and no AWSLogs segment.';
    expect(() => referenceDestinations().logWriteStatements('/session-manager/')).toThrow(message('/session-manager/'));
    expect(() => referenceDestinations().logWriteStatements('x/AWSLogs')).toThrow(message('x/AWSLogs'));
  });
});
