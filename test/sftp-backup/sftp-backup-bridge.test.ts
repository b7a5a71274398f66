import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { acknowledgeFixtureFindings, ED25519_KEY, ProdFixture, prodFixture, PROD_ACCOUNT, referenceProps, RSA_KEY } from './fixtures';
import { DumpEngine, SftpBackupBridge, SftpBackupBridgeProps, SftpSecurityPolicy } from '../../src/sftp-backup';
import { cfnLintFindings } from '../support/cfn-lint';

const LOCAL_ROUTE_DOC = 'https://docs.aws.amazon.com/vpc/latest/userguide/route-table-options.html';

function reference(overrides: Partial<SftpBackupBridgeProps> = {}) {
  const f = prodFixture();
  const bridge = new SftpBackupBridge(f.stack, 'Backup', { ...referenceProps(f), ...overrides });
  return { ...f, bridge, template: Template.fromStack(f.stack) };
}

/** The logical ID of a construct's default child, as the template names it. */
function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.resolve(stack.getLogicalId(construct.node.defaultChild as never));
}

function arnOf(stack: Stack, construct: { node: { defaultChild?: unknown } }) {
  return { 'Fn::GetAtt': [logicalId(stack, construct), 'Arn'] };
}

describe('SftpBackupBridge: the reference Prod configuration', () => {
  test('the dump bucket: SSE-KMS with a rotated customer managed key, bucket key, versioning, Block Public Access, access logs, lifecycle, retained', () => {
    // GIVEN / WHEN
    const { stack, bridge, template } = reference({ retentionDays: 30 });

    // THEN
    template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arnOf(stack, bridge.encryptionKey) },
          }],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(stack, bridge.accessLogsBucket) }, LogFilePrefix: 'sftp-backup-dumps/' },
        LifecycleConfiguration: {
          Rules: [
            { Id: 'ExpireDumps', Status: 'Enabled', ExpirationInDays: 30, NoncurrentVersionExpiration: { NoncurrentDays: 30 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
            { Id: 'RemoveExpiredObjectDeleteMarkers', Status: 'Enabled', ExpiredObjectDeleteMarker: true },
          ],
        },
      },
    });
    // TLS only, TLS 1.2 or newer.
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(stack, bridge.bucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });

  test('the access log bucket: SSE-S3 (required by server access logging), delivery by bucket policy, retained', () => {
    const { stack, bridge, template } = reference();
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: 365, NoncurrentVersionExpiration: { NoncurrentDays: 30 } }] },
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(stack, bridge.accessLogsBucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Condition: { ArnLike: { 'aws:SourceArn': arnOf(stack, bridge.bucket) }, StringEquals: { 'aws:SourceAccount': PROD_ACCOUNT } },
        })]),
      },
    });
  });

  test('the dump task: Fargate, image from assets/sftp-backup, read-only root, non-root user, /work volume, secrets from Secrets Manager', () => {
    // GIVEN / WHEN
    const { app, stack, bridge, database, template } = reference();

    // THEN
    const secretRef = { Ref: logicalId(stack, database.secret!) };
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      NetworkMode: 'awsvpc',
      Cpu: '512',
      Memory: '1024',
      RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
      Volumes: [{ Name: 'work' }],
      ContainerDefinitions: [{
        Name: 'dump',
        Essential: true,
        Image: { 'Fn::Sub': Match.stringLikeRegexp('cdk-hnb659fds-container-assets-333333333333-ap-northeast-1:[0-9a-f]{64}$') },
        ReadonlyRootFilesystem: true,
        User: '10001:10001',
        MountPoints: [{ ContainerPath: '/work', ReadOnly: false, SourceVolume: 'work' }],
        LogConfiguration: {
          LogDriver: 'awslogs',
          Options: { 'awslogs-group': { Ref: logicalId(stack, bridge.dumpLogGroup) }, 'awslogs-stream-prefix': 'dump', 'awslogs-region': 'ap-northeast-1' },
        },
        Environment: [
          { Name: 'DUMP_ENGINE', Value: 'postgresql' },
          { Name: 'DB_HOST', Value: { 'Fn::GetAtt': [logicalId(stack, database), 'Endpoint.Address'] } },
          { Name: 'DB_PORT', Value: { 'Fn::GetAtt': [logicalId(stack, database), 'Endpoint.Port'] } },
          { Name: 'DB_NAME', Value: 'app' },
          { Name: 'DUMP_BUCKET', Value: { Ref: logicalId(stack, bridge.bucket) } },
          { Name: 'DUMP_PREFIX', Value: 'dumps' },
          { Name: 'DUMP_TIMEOUT_SECONDS', Value: '14400' },
          { Name: 'TZ', Value: 'Asia/Tokyo' },
          { Name: 'AWS_REGION', Value: { Ref: 'AWS::Region' } },
          { Name: 'AWS_DEFAULT_REGION', Value: { Ref: 'AWS::Region' } },
        ],
        Secrets: [
          { Name: 'DB_USER', ValueFrom: { 'Fn::Join': ['', [secretRef, ':username::']] } },
          { Name: 'DB_PASSWORD', ValueFrom: { 'Fn::Join': ['', [secretRef, ':password::']] } },
        ],
      }],
    });
    // The image is built from assets/sftp-backup with the engine as a build argument.
    const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'Prod.assets.json'), 'utf8'));
    expect(Object.values(manifest.dockerImages).map((i) => (i as { source: unknown }).source)).toEqual([{
      directory: expect.stringMatching(/^asset\.[0-9a-f]{64}$/),
      dockerBuildArgs: { ENGINE: 'postgresql' },
      platform: 'linux/amd64',
    }]);
    const staged = path.join(app.outdir, (Object.values(manifest.dockerImages)[0] as { source: { directory: string } }).source.directory);
    expect(fs.readdirSync(staged).sort()).toEqual(['Dockerfile', 'dump.sh']);
    // Container logs: KMS-encrypted with the bridge key, one year, retained.
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { KmsKeyId: arnOf(stack, bridge.encryptionKey), RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
    // A new cluster with Container Insights.
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
  });

  test('the dump task roles: managed policies with the exact actions and resources, no inline policy', () => {
    const { stack, bridge, database, template } = reference();
    const bucketArn = arnOf(stack, bridge.bucket);
    const keyArn = arnOf(stack, bridge.encryptionKey);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'ecs-tasks.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': PROD_ACCOUNT }, ArnLike: { 'aws:SourceArn': stack.resolve(`arn:${stack.partition}:ecs:ap-northeast-1:${PROD_ACCOUNT}:*`) } },
        }],
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: logicalId(stack, bridge.taskDefinition.taskRole) }],
      PolicyDocument: {
        Statement: [
          { Sid: 'PutDumps', Effect: 'Allow', Action: ['s3:PutObject', 's3:AbortMultipartUpload'], Resource: { 'Fn::Join': ['', [bucketArn, '/dumps/*']] } },
          {
            Sid: 'EncryptDumpsThroughS3',
            Effect: 'Allow',
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: keyArn,
            Condition: { StringEquals: { 'kms:ViaService': 's3.ap-northeast-1.amazonaws.com' } },
          },
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: logicalId(stack, bridge.taskDefinition.executionRole!) }],
      PolicyDocument: {
        Statement: [
          { Sid: 'EcrAuthorization', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
          {
            Sid: 'PullDumpImage',
            Effect: 'Allow',
            Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ecr:ap-northeast-1:${PROD_ACCOUNT}:repository/cdk-hnb659fds-container-assets-${PROD_ACCOUNT}-ap-northeast-1`]] },
          },
          { Sid: 'WriteDumpLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: arnOf(stack, bridge.dumpLogGroup) },
          {
            Sid: 'ReadDatabaseSecret',
            Effect: 'Allow',
            Action: 'secretsmanager:GetSecretValue',
            Resource: { Ref: logicalId(stack, database.secret!) },
          },
        ],
      },
    });
    // The only inline policies are those AwsCustomResource attaches to its provider for the lookups.
    const inline = Object.keys(template.findResources('AWS::IAM::Policy'));
    const lookups = [...['NetworkInterfaceLookup', 'ServerLookup', 'VpcEndpointLookup'].map((id) => bridge.node.findChild(id)),
      stack.node.findChild('GovHybridS3PrefixListLookup')];
    expect(inline.sort()).toEqual(lookups
      .map((lookup) => logicalId(stack, { node: { defaultChild: lookup.node.findChild('CustomResourcePolicy').node.defaultChild } })).sort());
  });

  test('GIVEN the endpoints\' security group THEN the dump task\'s HTTPS goes to it only, and it admits the dump task', () => {
    const f = prodFixture();
    const endpoints = new ec2.SecurityGroup(f.stack, 'Endpoints', { vpc: f.vpc, allowAllOutbound: false });
    const bridge = new SftpBackupBridge(f.stack, 'Backup', { ...referenceProps(f), endpointSecurityGroup: endpoints });
    const template = Template.fromStack(f.stack);
    const taskGroup = { 'Fn::GetAtt': [logicalId(f.stack, bridge.dumpTaskSecurityGroup), 'GroupId'] };
    const endpointGroup = { 'Fn::GetAtt': [logicalId(f.stack, endpoints), 'GroupId'] };
    expect(template.toJSON().Resources[logicalId(f.stack, bridge.dumpTaskSecurityGroup)].Properties.SecurityGroupEgress).toBeUndefined();
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { GroupId: taskGroup, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationSecurityGroupId: endpointGroup });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: endpointGroup, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourceSecurityGroupId: taskGroup });
    expect(Annotations.fromStack(f.stack).findWarning('*', Match.stringLikeRegexp('endpointSecurityGroup'))).toEqual([]);
  });

  test('without the endpoints\' security group, synth warns that the dump task may reach any address of the VPC on 443', () => {
    const { stack } = reference();
    Annotations.fromStack(stack).hasWarning('/Prod/Backup', Match.stringLikeRegexp(
      '^No `endpointSecurityGroup` is given, so the dump task may open HTTPS \\(443\\) to any address of the VPC, not only to the interface endpoints\\.'));
  });

  test('GIVEN an encryption key THEN the bridge uses it for the dumps, the logs and the topic and creates none', () => {
    const f = prodFixture();
    const key = kms.Key.fromKeyArn(f.stack, 'Given', `arn:aws:kms:ap-northeast-1:${PROD_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`);
    const bridge = new SftpBackupBridge(f.stack, 'Backup', { ...referenceProps(f), encryptionKey: key });
    const template = Template.fromStack(f.stack);
    expect(bridge.encryptionKey).toBe(key);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key.keyArn } })] },
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: key.keyArn });
    expect(Object.values(template.findResources('AWS::Logs::LogGroup')).map((g) => g.Properties.KmsKeyId)).toEqual([key.keyArn, key.keyArn]);
  });

  test('the dump task security group: HTTPS to the VPC CIDR and the S3 prefix list, the database port to the database only', () => {
    const { stack, bridge, database, vpc, template } = reference();
    const taskGroup = { 'Fn::GetAtt': [logicalId(stack, bridge.dumpTaskSecurityGroup), 'GroupId'] };
    const dbGroup = { 'Fn::GetAtt': [logicalId(stack, database.connections.securityGroups[0]), 'GroupId'] };
    const dbPort = { 'Fn::GetAtt': [logicalId(stack, database), 'Endpoint.Port'] };
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'SftpBackupBridge dump task: HTTPS to the VPC endpoints, the database port to the database',
      SecurityGroupEgress: [{ CidrIp: { 'Fn::GetAtt': [logicalId(stack, vpc), 'CidrBlock'] }, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() }],
    });
    expect(Object.values(template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('dump task') } }))
      .map((r) => r.Properties.SecurityGroupIngress)).toEqual([undefined]);
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: taskGroup,
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      DestinationPrefixListId: { 'Fn::GetAtt': [logicalId(stack, stack.node.findChild('GovHybridS3PrefixListLookup') as never), 'PrefixLists.0.PrefixListId'] },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { GroupId: taskGroup, IpProtocol: 'tcp', FromPort: dbPort, ToPort: dbPort, DestinationSecurityGroupId: dbGroup });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: dbGroup, IpProtocol: 'tcp', FromPort: dbPort, ToPort: dbPort, SourceSecurityGroupId: taskGroup });
    template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 2);
    // The shared lookup (src/private/aws-custom-resource.ts, tested there) finds com.amazonaws.ap-northeast-1.s3.
    template.resourceCountIs('Custom::S3PrefixListLookup', 1);
  });

  test('the schedule: cron in Asia/Tokyo, Fargate in the task subnets without public IP, retries and a dead-letter queue', () => {
    const { stack, bridge, vpc, template } = reference();
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Tokyo',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: arnOf(stack, bridge.cluster),
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^BackupScheduleRole'), 'Arn'] },
        EcsParameters: {
          TaskDefinitionArn: { Ref: logicalId(stack, bridge.taskDefinition) },
          LaunchType: 'FARGATE',
          TaskCount: 1,
          NetworkConfiguration: {
            AwsvpcConfiguration: {
              AssignPublicIp: 'DISABLED',
              Subnets: vpc.selectSubnets({ subnetGroupName: 'app' }).subnets.map((s) => ({ Ref: logicalId(stack, s) })),
              SecurityGroups: [{ 'Fn::GetAtt': [logicalId(stack, bridge.dumpTaskSecurityGroup), 'GroupId'] }],
            },
          },
        },
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 5 },
        DeadLetterConfig: { Arn: arnOf(stack, bridge.deadLetterQueue) },
      },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': PROD_ACCOUNT, 'aws:SourceArn': stack.resolve(`arn:${stack.partition}:scheduler:ap-northeast-1:${PROD_ACCOUNT}:schedule-group/default`) } },
        }],
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Sid: 'RunDumpTask',
            Effect: 'Allow',
            Action: 'ecs:RunTask',
            Resource: { Ref: logicalId(stack, bridge.taskDefinition) },
            Condition: { ArnEquals: { 'ecs:cluster': arnOf(stack, bridge.cluster) } },
          },
          {
            Sid: 'PassDumpTaskRoles',
            Effect: 'Allow',
            Action: 'iam:PassRole',
            Resource: [arnOf(stack, bridge.taskDefinition.taskRole), arnOf(stack, bridge.taskDefinition.executionRole!)],
            Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
          },
          { Sid: 'SendFailedRunsToDeadLetterQueue', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arnOf(stack, bridge.deadLetterQueue) },
        ],
      },
    });
  });

  test('the alarms: no success for 26 hours (daily schedule + 2 h) and any reported failure, both to an encrypted topic', () => {
    const { stack, bridge, template } = reference();
    const dimensions = [{ Name: 'Bucket', Value: { Ref: logicalId(stack, bridge.bucket) } }];
    const topic = [{ Ref: logicalId(stack, bridge.alarmTopic) }];
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: logicalId(stack, bridge.dumpLogGroup) },
      FilterPattern: '{ $.event = "dump-succeeded" }',
      MetricTransformations: [{ MetricNamespace: 'GovHybridNetwork/SftpBackupBridge', MetricName: 'DumpSucceeded', MetricValue: '1', Dimensions: [{ Key: 'Bucket', Value: '$.bucket' }] }],
    });
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.event = "dump-failed" }',
      MetricTransformations: [{ MetricNamespace: 'GovHybridNetwork/SftpBackupBridge', MetricName: 'DumpFailed', MetricValue: '1', Dimensions: [{ Key: 'Bucket', Value: '$.bucket' }] }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'GovHybridNetwork/SftpBackupBridge',
      MetricName: 'DumpSucceeded',
      Dimensions: dimensions,
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: 26,
      DatapointsToAlarm: 26,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: topic,
      OKActions: topic,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'GovHybridNetwork/SftpBackupBridge',
      MetricName: 'DumpFailed',
      Dimensions: dimensions,
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: topic,
      OKActions: topic,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack, bridge.deadLetterQueue), 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: topic,
      OKActions: topic,
    });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: arnOf(stack, bridge.encryptionKey) });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowCloudWatchLogsEncryption',
            Principal: { Service: 'logs.ap-northeast-1.amazonaws.com' },
            Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.resolve(`arn:${stack.partition}:logs:ap-northeast-1:${PROD_ACCOUNT}:log-group:*`) } },
          }),
          {
            // Only alarms of this account and Region may use the key (confused-deputy protection).
            Sid: 'AllowCloudWatchAlarmsToPublishToTheTopic',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: {
              StringEquals: { 'aws:SourceAccount': PROD_ACCOUNT },
              ArnLike: { 'aws:SourceArn': stack.resolve(`arn:${stack.partition}:cloudwatch:ap-northeast-1:${PROD_ACCOUNT}:alarm:*`) },
            },
          },
        ]),
      },
    });
  });

  test('the Transfer Family server: VPC endpoint in the /26 subnets, internal (no Elastic IP), SFTP only, explicit 2025-03 policy, structured logs', () => {
    const { stack, bridge, vpc, template } = reference();
    template.hasResourceProperties('AWS::Transfer::Server', {
      EndpointType: 'VPC',
      EndpointDetails: {
        VpcId: { Ref: logicalId(stack, vpc) },
        SubnetIds: vpc.selectSubnets({ subnetGroupName: 'transfer' }).subnets.map((s) => ({ Ref: logicalId(stack, s) })),
        SecurityGroupIds: [{ 'Fn::GetAtt': [logicalId(stack, bridge.endpointSecurityGroup), 'GroupId'] }],
        AddressAllocationIds: Match.absent(),
      },
      Protocols: ['SFTP'],
      IdentityProviderType: 'SERVICE_MANAGED',
      Domain: 'S3',
      SecurityPolicyName: 'TransferSecurityPolicy-2025-03',
      StructuredLogDestinations: [arnOf(stack, bridge.transferLogGroup)],
      LoggingRole: Match.absent(),
    });
    expect(stack.resolve(bridge.serverId)).toEqual({ 'Fn::GetAtt': [logicalId(stack, { node: { defaultChild: bridge.server } }), 'ServerId'] });
  });

  test('the endpoint security group: TCP 22 from the backup server /32 only, no egress', () => {
    const { template } = reference();
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'SftpBackupBridge SFTP endpoint: TCP 22 from the DC backup server only',
      SecurityGroupIngress: [{ CidrIp: '10.0.200.10/32', IpProtocol: 'tcp', FromPort: 22, ToPort: 22, Description: 'SFTP from the DC backup server' }],
      SecurityGroupEgress: [{ CidrIp: '255.255.255.255/32', IpProtocol: 'icmp', FromPort: 252, ToPort: 86, Description: 'Disallow all traffic' }],
    });
  });

  test('the SFTP user: logical home / on the dump prefix, the SSH keys, a read-only role scoped to this server', () => {
    const { stack, bridge, template } = reference({ sshPublicKeys: [ED25519_KEY, `  ${RSA_KEY}  `], userName: 'dc-backup' });
    template.hasResourceProperties('AWS::Transfer::User', {
      ServerId: { 'Fn::GetAtt': [logicalId(stack, { node: { defaultChild: bridge.server } }), 'ServerId'] },
      UserName: 'dc-backup',
      Role: arnOf(stack, bridge.userRole),
      HomeDirectoryType: 'LOGICAL',
      HomeDirectoryMappings: [{ Entry: '/', Target: { 'Fn::Join': ['', ['/', { Ref: logicalId(stack, bridge.bucket) }, '/dumps']] } }],
      SshPublicKeys: [ED25519_KEY, RSA_KEY],
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'transfer.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': PROD_ACCOUNT },
            ArnLike: {
              'aws:SourceArn': {
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:transfer:ap-northeast-1:${PROD_ACCOUNT}:user/`, { 'Fn::GetAtt': [logicalId(stack, { node: { defaultChild: bridge.server } }), 'ServerId'] }, '/*']],
              },
            },
          },
        }],
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: logicalId(stack, bridge.userRole) }],
      PolicyDocument: {
        Statement: [
          { Sid: 'ListDumpPrefix', Effect: 'Allow', Action: 's3:ListBucket', Resource: arnOf(stack, bridge.bucket), Condition: { StringLike: { 's3:prefix': ['dumps', 'dumps/*'] } } },
          { Sid: 'ReadDumps', Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [arnOf(stack, bridge.bucket), '/dumps/*']] } },
          {
            Sid: 'DecryptDumpsThroughS3',
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: arnOf(stack, bridge.encryptionKey),
            Condition: { StringEquals: { 'kms:ViaService': 's3.ap-northeast-1.amazonaws.com' } },
          },
        ],
      },
    });
  });

  test('the endpoint IP lookups (DescribeServer → DescribeVpcEndpoints → DescribeNetworkInterfaces) and sftp.prod.internal', () => {
    const { stack, bridge, zone, template } = reference();
    const serverId = { 'Fn::GetAtt': [logicalId(stack, { node: { defaultChild: bridge.server } }), 'ServerId'] };
    const lookup = (id: string) => logicalId(stack, bridge.node.findChild(id) as never);
    const vpceId = { 'Fn::GetAtt': [lookup('ServerLookup'), 'Server.EndpointDetails.VpcEndpointId'] };

    // The server ID and the endpoint subnet IDs are in every lookup's physical ID: moving the endpoint to other subnets
    // changes the lookups' properties, so CloudFormation runs them again and the record follows the new IPs.
    const transferSubnets = f_vpcTransferSubnets(stack, bridge);
    const revision = { 'Fn::Join': ['|', [serverId, ...transferSubnets]] };
    template.hasResourceProperties('Custom::TransferServerLookup', {
      Create: { 'Fn::Join': ['', ['{"service":"Transfer","action":"describeServer","parameters":{"ServerId":"', serverId, '"},"physicalResourceId":{"id":"', revision, '"},"outputPaths":["Server.EndpointDetails.VpcEndpointId","Server.HostKeyFingerprint"]}']] },
      InstallLatestAwsSdk: false,
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'transfer:DescribeServer', Resource: { 'Fn::GetAtt': [logicalId(stack, { node: { defaultChild: bridge.server } }), 'Arn'] } }] },
    });
    template.hasResourceProperties('Custom::VpcEndpointLookup', {
      Create: { 'Fn::Join': ['', ['{"service":"EC2","action":"describeVpcEndpoints","parameters":{"VpcEndpointIds":["', vpceId, '"]},"physicalResourceId":{"id":"', { 'Fn::Join': ['|', [vpceId, serverId, ...transferSubnets]] }, '"},"outputPaths":["VpcEndpoints.0.NetworkInterfaceIds.0","VpcEndpoints.0.NetworkInterfaceIds.1"]}']] },
    });
    template.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'ec2:DescribeVpcEndpoints', Resource: '*' }] } });
    template.hasResourceProperties('Custom::NetworkInterfaceLookup', {
      Create: {
        'Fn::Join': ['', [
          '{"service":"EC2","action":"describeNetworkInterfaces","parameters":{"NetworkInterfaceIds":["',
          { 'Fn::GetAtt': [lookup('VpcEndpointLookup'), 'VpcEndpoints.0.NetworkInterfaceIds.0'] }, '","',
          { 'Fn::GetAtt': [lookup('VpcEndpointLookup'), 'VpcEndpoints.0.NetworkInterfaceIds.1'] },
          '"]},"physicalResourceId":{"id":"', { 'Fn::Join': ['|', [vpceId, serverId, ...transferSubnets]] }, '"},"outputPaths":["NetworkInterfaces.0.PrivateIpAddress","NetworkInterfaces.1.PrivateIpAddress"]}',
        ]],
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'ec2:DescribeNetworkInterfaces', Resource: '*' }] } });

    const ips = [0, 1].map((i) => ({ 'Fn::GetAtt': [lookup('NetworkInterfaceLookup'), `NetworkInterfaces.${i}.PrivateIpAddress`] }));
    expect(stack.resolve(bridge.endpointIpAddresses)).toEqual(ips);
    expect(stack.resolve(bridge.hostKeyFingerprint)).toEqual({ 'Fn::GetAtt': [lookup('ServerLookup'), 'Server.HostKeyFingerprint'] });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: { Ref: logicalId(stack, zone) }, Name: 'sftp.prod.internal.', Type: 'A', TTL: '300', ResourceRecords: ips,
    });
    expect(bridge.endpointHostName).toBe('sftp.prod.internal');
  });

  test('cfn-lint reports no error and no warning on the synthesized template (project configuration)', () => {
    const { app, stack } = reference();
    expect(cfnLintFindings(app, [stack])).toEqual([]);
  });

  test('cdk-nag AwsSolutions and NIST 800-53 R5 report no violation', () => {
    const { stack } = reference();
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
    expect(new NIST80053R5Checks().validateScope(stack).violations).toEqual([]);
  });
});

/** The Ref of each transfer subnet of the reference fixture, in AZ order. */
function f_vpcTransferSubnets(stack: Stack, bridge: SftpBackupBridge): unknown[] {
  const vpc = bridge.node.scope!.node.findChild('Vpc') as ec2.Vpc;
  return vpc.selectSubnets({ subnetGroupName: 'transfer' }).subnets.map((subnet) => stack.resolve(subnet.subnetId));
}

describe('SftpBackupBridge: defaults and options', () => {
  /**
   * A minimal app: a plain isolated VPC (`transfer` and `app` subnet groups, then `extraGroups`), a MySQL instance, no
   * zone; the bridge with its required props only.
   */
  function minimal(overrides: Partial<SftpBackupBridgeProps> = {}, extraGroups: string[] = []) {
    const app = new App();
    const stack = new Stack(app, 'Prod', { env: { account: PROD_ACCOUNT, region: 'ap-northeast-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/18'),
      availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'],
      natGateways: 0,
      subnetConfiguration: [
        { name: 'transfer', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 27 },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
        ...extraGroups.map((name) => ({ name, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 })),
      ],
    });
    const database = new rds.DatabaseInstance(stack, 'Database', {
      engine: rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_4_10 }),
      vpc,
      vpcSubnets: { subnetGroupName: 'app' },
      storageEncrypted: true,
    });
    const bridge = new SftpBackupBridge(stack, 'Backup', {
      vpc,
      endpointSubnets: { subnetGroupName: 'transfer' },
      advertisedCidr: '10.0.0.0/26',
      backupServerAddress: '10.0.200.10/32',
      sshPublicKeys: [ED25519_KEY],
      database,
      databaseName: 'app',
      ...overrides,
    });
    return { stack, vpc, database, bridge, template: Template.fromStack(stack) };
  }

  test('without dumpTaskSubnets, the task runs in the app subnet group, not in every other isolated subnet', () => {
    const { stack, vpc, template } = minimal({}, ['tgw-attach', 'data']);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: { EcsParameters: { NetworkConfiguration: { AwsvpcConfiguration: { Subnets: vpc.selectSubnets({ subnetGroupName: 'app' }).subnets.map((s) => ({ Ref: logicalId(stack, s) })) } } } },
    });
  });

  test('derives the engine and the secret from the database, and runs the task in the other isolated subnets', () => {
    const { stack, vpc, database, bridge, template } = minimal();
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Environment: Match.arrayWith([{ Name: 'DUMP_ENGINE', Value: 'mysql' }]) })],
    });
    expect(bridge.taskDefinition.node.tryFindChild('Dump')).toBeDefined();
    const secret = (database as rds.DatabaseInstance).secret!;
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'ReadDatabaseSecret', Resource: { Ref: logicalId(stack, secret) } })]) },
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: { EcsParameters: { NetworkConfiguration: { AwsvpcConfiguration: { Subnets: vpc.selectSubnets({ subnetGroupName: 'app' }).subnets.map((s) => ({ Ref: logicalId(stack, s) })) } } } },
    });
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    expect(bridge.endpointHostName).toBeUndefined();
  });

  test('uses a given cluster, alarm topic, access log bucket and security policy instead of creating them', () => {
    const f = prodFixture();
    const topic = new sns.Topic(f.stack, 'OpsTopic');
    const logs = new s3.Bucket(f.stack, 'OrgAccessLogs');
    const cluster = new ecs.Cluster(f.stack, 'Workloads', { vpc: f.vpc });
    const bridge = new SftpBackupBridge(f.stack, 'Backup', {
      ...referenceProps(f),
      alarmTopic: topic,
      accessLogsBucket: logs,
      cluster,
      securityPolicy: SftpSecurityPolicy.FIPS_2025_03,
      engine: DumpEngine.POSTGRESQL,
      scheduleTimeZone: 'UTC',
      schedule: 'rate(12 hours)',
      cpu: 1024,
      memoryLimitMiB: 4096,
      ephemeralStorageGiB: 100,
      dumpTimeout: Duration.minutes(90),
    });
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Environment: Match.arrayWith([{ Name: 'DUMP_TIMEOUT_SECONDS', Value: '5400' }]) })],
    });
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::ECS::Cluster', 1);
    template.resourceCountIs('AWS::S3::Bucket', 2);
    expect(bridge.alarmTopic).toBe(topic);
    expect(bridge.cluster).toBe(cluster);
    template.hasResourceProperties('AWS::S3::Bucket', { LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(f.stack, logs) } } });
    template.hasResourceProperties('AWS::Transfer::Server', { SecurityPolicyName: 'TransferSecurityPolicy-FIPS-2025-03' });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(12 hours)', ScheduleExpressionTimezone: 'UTC' });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '1024', Memory: '4096', EphemeralStorage: { SizeInGiB: 100 } });
    // rate(12 hours) + 2 h grace.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DumpSucceeded', EvaluationPeriods: 14, DatapointsToAlarm: 14 });
  });

  test('an imported secret (partial ARN, customer managed key): read by suffix wildcard, decrypted through Secrets Manager only', () => {
    // GIVEN
    const f = prodFixture();
    const keyArn = `arn:aws:kms:ap-northeast-1:${PROD_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const secret = secretsmanager.Secret.fromSecretAttributes(f.stack, 'AppSecret', {
      secretPartialArn: `arn:aws:secretsmanager:ap-northeast-1:${PROD_ACCOUNT}:secret:prod/app`,
      encryptionKey: kms.Key.fromKeyArn(f.stack, 'AppSecretKey', keyArn),
    });
    // WHEN
    new SftpBackupBridge(f.stack, 'Backup', { ...referenceProps(f), databaseSecret: secret });
    // THEN
    Template.fromStack(f.stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Sid: 'ReadDatabaseSecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:ap-northeast-1:${PROD_ACCOUNT}:secret:prod/app-??????` },
          {
            Sid: 'DecryptDatabaseSecret',
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: keyArn,
            Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.ap-northeast-1.amazonaws.com' } },
          },
        ]),
      },
    });
    expect(new AwsSolutionsChecks().validateScope(f.stack).violations).toEqual([]);
  });

  test('a weekday schedule takes its missed-run window from missedRunAlarmAfter', () => {
    const { template } = minimal({ schedule: 'cron(0 2 ? * MON-FRI *)', missedRunAlarmAfter: Duration.hours(74) });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DumpSucceeded', EvaluationPeriods: 74, DatapointsToAlarm: 74 });
  });

  test('SftpSecurityPolicy names', () => {
    expect(SftpSecurityPolicy.POLICY_2025_03.name).toBe('TransferSecurityPolicy-2025-03');
    expect(SftpSecurityPolicy.POLICY_2024_01.name).toBe('TransferSecurityPolicy-2024-01');
    expect(SftpSecurityPolicy.SSH_AUDIT_COMPLIANT_2025_02.name).toBe('TransferSecurityPolicy-SshAuditCompliant-2025-02');
    expect(SftpSecurityPolicy.of('TransferSecurityPolicy-2026-01').name).toBe('TransferSecurityPolicy-2026-01');
  });

  test('cdk-nag AwsSolutions and NIST 800-53 R5 report no violation in the default configuration', () => {
    const { stack, vpc, database } = minimal();
    acknowledgeFixtureFindings(vpc, database);
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
    expect(new NIST80053R5Checks().validateScope(stack).violations).toEqual([]);
  });
});

describe('SftpBackupBridge: bad input fails at synth with one error naming every problem', () => {
  function build(overrides: Partial<SftpBackupBridgeProps>, fixture: ProdFixture = prodFixture()) {
    return () => new SftpBackupBridge(fixture.stack, 'Backup', { ...referenceProps(fixture), ...overrides });
  }
  const header = (count: string) => `Invalid SftpBackupBridge props at Prod/Backup (${count}):\n`;

  test('the backup server inside the VPC CIDR (ARCHITECTURE.md correction 3) names the address, the VPC CIDR and both fixes', () => {
    expect(build({ backupServerAddress: '10.0.5.10' })).toThrow(header('1 problem') +
      '  - `backupServerAddress` 10.0.5.10/32 lies inside 10.0.0.0/18, the CIDR of the VPC that hosts the SFTP endpoint (`vpc`). ' +
      'A VPC route more specific than the VPC\'s local route cannot point at a transit gateway, so replies to this address would stay ' +
      `inside the VPC (${LOCAL_ROUTE_DOC}). Fix it on one side: source-NAT the on-premises host on the data-centre side to an ` +
      'address outside 10.0.0.0/18, or host the endpoint in a VPC whose range does not contain it.');
  });

  test('a backup server range that is not one host, or not an address at all', () => {
    expect(build({ backupServerAddress: '10.0.200.0/24' })).toThrow(header('1 problem') +
      '  - `backupServerAddress` 10.0.200.0/24 is not a single host; give the backup server\'s address as AWS sees it (after any NAT), e.g. 10.0.200.10 or 10.0.200.10/32.');
    expect(build({ backupServerAddress: '10.0.200.300' })).toThrow(header('1 problem') +
      '  - `backupServerAddress` 10.0.200.300 is not an IPv4 address; write it as a.b.c.d (each part 0-255, no leading zeros).');
  });

  test('endpoint subnets outside the advertised /26', () => {
    expect(build({ endpointSubnets: { subnetGroupName: 'app' } })).toThrow(header('2 problems') +
      '  - `endpointSubnets[0]` 10.0.10.0/24 lies outside `advertisedCidr` 10.0.20.0/26, the only range the transit gateway routes from the data centre ' +
      'to this VPC, so the backup server could not reach an endpoint address in it; choose subnets inside 10.0.20.0/26 or widen `advertisedCidr` ' +
      '(and its static route in the DC route table).\n' +
      '  - `endpointSubnets[1]` 10.0.11.0/24 lies outside `advertisedCidr` 10.0.20.0/26, the only range the transit gateway routes from the data centre ' +
      'to this VPC, so the backup server could not reach an endpoint address in it; choose subnets inside 10.0.20.0/26 or widen `advertisedCidr` ' +
      '(and its static route in the DC route table).');
  });

  test('endpoint subnets outside the VPC, two in one availability zone, and an advertised CIDR outside the VPC', () => {
    const f = prodFixture();
    const foreign = ec2.Subnet.fromSubnetAttributes(f.stack, 'Foreign', {
      subnetId: 'subnet-0foreign', availabilityZone: 'ap-northeast-1a', ipv4CidrBlock: '10.1.20.0/27', routeTableId: 'rtb-0foreign',
    });
    const transferA = f.vpc.selectSubnets({ subnetGroupName: 'transfer' }).subnets[0];
    expect(build({ endpointSubnets: { subnets: [transferA, foreign] }, advertisedCidr: '10.1.20.0/26' }, f)).toThrow(header('4 problems') +
      '  - `advertisedCidr` 10.1.20.0/26 lies outside the VPC CIDR 10.0.0.0/18 (`vpc`); it must be the range of the endpoint subnets in this VPC.\n' +
      '  - `endpointSubnets.subnets[1]` subnet-0foreign is not a subnet of `vpc` (Prod/Vpc); select subnets of the VPC the workload runs in.\n' +
      '  - `endpointSubnets[1]` subnet-0foreign is in ap-northeast-1a like `endpointSubnets[0]`; a VPC endpoint takes at most one subnet per availability zone.\n' +
      '  - `endpointSubnets[1]` 10.1.20.0/27 lies outside the VPC CIDR 10.0.0.0/18 (`vpc`); choose subnets of the VPC that hosts the endpoint.');
  });

  test('an SSH key that is not a valid public key line', () => {
    expect(build({ sshPublicKeys: [ED25519_KEY, 'ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIEHD9sdDJQ87XgDbQEK0Gwuq6FOf7qJjDSC09rnJoi7R'] })).toThrow(header('1 problem') +
      '  - `sshPublicKeys[1]` "ssh-rsa AAAAC3NzaC1l..." says ssh-rsa but its body holds a "ssh-ed25519" key; give the one-line OpenSSH public key, ' +
      'e.g. the contents of id_ed25519.pub ("ssh-ed25519 AAAA... comment"; ssh-keygen -y -f <private key> prints it).');
    expect(build({ sshPublicKeys: [] })).toThrow(header('1 problem') +
      '  - `sshPublicKeys` [] is empty; give the backup server\'s OpenSSH public key line, e.g. the contents of id_ed25519.pub.');
  });

  test('a malformed schedule expression', () => {
    expect(build({ schedule: 'cron(0 2 * * *)' })).toThrow(header('1 problem') +
      '  - `schedule` "cron(0 2 * * *)" is not a valid EventBridge Scheduler expression: it has 5 fields; Scheduler cron expressions have 6 ' +
      '(the year comes last); write cron(minutes hours day-of-month month day-of-week year), e.g. cron(0 2 * * ? *) for 02:00 every day, ' +
      'or rate(value unit), e.g. rate(12 hours).');
    expect(build({ schedule: 'at(2026-01-15T02:00:00)' })).toThrow('`schedule` at(2026-01-15T02:00:00) is not a valid EventBridge Scheduler expression: ' +
      'it is a one-time at() schedule; a backup needs a recurring cron(...) or rate(...) expression, e.g. cron(0 2 * * ? *);');
  });

  test('a schedule whose missed-run window cannot be derived or evaluated', () => {
    expect(build({ schedule: 'cron(0 2 ? * MON-FRI *)' })).toThrow(header('1 problem') +
      '  - `missedRunAlarmAfter` (undefined) cannot be derived from `schedule` cron(0 2 ? * MON-FRI *), which does not run every day; set it to the ' +
      'longest gap between two runs plus the time a dump takes, e.g. Duration.hours(74) for weekdays only.');
    expect(build({ schedule: 'rate(7 days)' })).toThrow(header('1 problem') +
      '  - `schedule` "rate(7 days)" leaves more than 166 hours between runs; a CloudWatch alarm evaluates at most 7 days, so a missed run could not be ' +
      'detected. Run the dump at least every 166 hours.');
    expect(build({ missedRunAlarmAfter: Duration.days(8) })).toThrow(header('1 problem') +
      '  - `missedRunAlarmAfter` "691200 seconds" is outside 1 hour to 168 hours (7 days), the longest range a CloudWatch alarm evaluates; choose a window in it.');
  });

  test('a retention below 1 day', () => {
    expect(build({ retentionDays: 0 })).toThrow(header('1 problem') +
      '  - `retentionDays` 0 is not a retention in days; use an integer from 1 to 3650.');
  });

  test('the other props: user name, engine, time zone, retention, prefix, storage; a private key is never echoed', () => {
    const privateKey = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE\n-----END OPENSSH PRIVATE KEY-----';
    const attempt = build({
      sshPublicKeys: [privateKey],
      retentionDays: 0.5,
      userName: 'x',
      dumpPrefix: '/dumps/',
      scheduleTimeZone: 'Tokyo',
      engine: DumpEngine.MYSQL,
      ephemeralStorageGiB: 20,
      dumpTimeout: Duration.seconds(90),
    });
    expect(attempt).toThrow(header('8 problems') + [
      '  - `sshPublicKeys[0]` "(a private key, not shown)" is a private key. Never put a private key in code or templates: revoke it if it was shared, ' +
        'and give the one-line OpenSSH public key, e.g. the contents of id_ed25519.pub ("ssh-ed25519 AAAA... comment"; ssh-keygen -y -f <private key> prints it).',
      '  - `userName` x is not a Transfer Family user name; use 3 to 100 letters, digits, _, -, . and @, not starting with -, . or @.',
      '  - `engine` mysql does not match the engine of `database` (postgres); use DumpEngine.POSTGRESQL or leave it unset.',
      '  - `scheduleTimeZone` Tokyo is not an IANA time zone name; use e.g. Asia/Tokyo or UTC.',
      '  - `retentionDays` 0.5 is not a retention in days; use an integer from 1 to 3650.',
      '  - `dumpPrefix` /dumps/ is not a key prefix; use segments of letters, digits, ., _ and - separated by /, without a leading or trailing /, e.g. dumps or prod/app.',
      '  - `ephemeralStorageGiB` 20 is not a Fargate ephemeral storage size in GiB; use an integer from 21 to 200.',
      '  - `dumpTimeout` "1 minute 30 seconds" is not a dump time limit; use whole minutes from 1 minute to 24 hours, e.g. Duration.hours(4).',
    ].join('\n'));
    expect(build({ dumpTimeout: Duration.hours(25) })).toThrow(
      '`dumpTimeout` "1 day 1 hour" is not a dump time limit; use whole minutes from 1 minute to 24 hours, e.g. Duration.hours(4).');
    expect(attempt).not.toThrow(/b3BlbnNzaC1rZXktdjE/);
  });

  test('an imported VPC without CIDR and an imported database without engine or secret', () => {
    const f = prodFixture();
    const vpc = ec2.Vpc.fromVpcAttributes(f.stack, 'Imported', {
      vpcId: 'vpc-0imported', availabilityZones: ['ap-northeast-1a'], isolatedSubnetIds: ['subnet-0a'], isolatedSubnetIpv4CidrBlocks: ['10.0.20.0/27'],
    });
    const database = rds.DatabaseInstance.fromDatabaseInstanceAttributes(f.stack, 'ImportedDb', {
      instanceEndpointAddress: 'prod.abc.ap-northeast-1.rds.amazonaws.com', instanceIdentifier: 'prod', port: 5432, securityGroups: [],
    });
    expect(build({
      vpc,
      endpointSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      dumpTaskSubnets: undefined,
      database,
      databaseSecret: undefined,
      privateZone: undefined,
    }, f)).toThrow(header('4 problems') + [
      '  - `vpc` vpc-0imported has no known CIDR block; import it with its vpcCidrBlock (ec2.Vpc.fromVpcAttributes or ec2.Vpc.fromLookup) so that the ' +
        'endpoint subnets and the backup server address can be checked against it.',
      '  - `dumpTaskSubnets` (default) found no isolated subnet outside `endpointSubnets`; give the subnets of the dump task ' +
        '(they need routes to the VPC endpoints and the database).',
      '  - `engine` (undefined) cannot be derived from `database`, whose engine is unknown; set it to DumpEngine.POSTGRESQL or DumpEngine.MYSQL.',
      '  - `databaseSecret` (undefined) is required because `database` has no generated secret; give the secret with the database\'s username and password.',
    ].join('\n'));
  });

  test('a zone imported without its name, and a record name that is not a DNS name', () => {
    const f = prodFixture();
    expect(build({ privateZone: route53.HostedZone.fromHostedZoneId(f.stack, 'ZoneById', 'Z0123456789ABC'), recordName: 'sftp_backup' }, f)).toThrow(header('2 problems') + [
      '  - `privateZone` Prod/ZoneById has no known zone name; import it with route53.HostedZone.fromHostedZoneAttributes (zoneName and hostedZoneId) ' +
        'so that sftp.<zone> can be registered.',
      '  - `recordName` sftp_backup is not a DNS domain name; use labels of letters, digits and hyphens separated by dots, e.g. prod.internal.',
    ].join('\n'));
  });

  test('a subnet selection that does not resolve', () => {
    expect(build({ endpointSubnets: { subnetGroupName: 'sftp' } })).toThrow(header('1 problem') +
      '  - `endpointSubnets` {subnetGroupName:\'sftp\'} cannot be resolved in `vpc` (There are no subnet groups with name \'sftp\' in this VPC. ' +
      'Available names: tgw-attach,alb,app,transfer,data); select subnets of that VPC, e.g. { subnetGroupName: \'transfer\' }.');
  });

  test('a secondary CIDR block of the VPC counts as the VPC: the backup server may not lie in it, and range errors name every VPC CIDR', () => {
    const f = prodFixture();
    new ec2.CfnVPCCidrBlock(f.stack, 'Secondary', { vpcId: f.vpc.vpcId, cidrBlock: '100.64.0.0/16' });
    expect(build({ backupServerAddress: '100.64.0.10' }, f)).toThrow(/`backupServerAddress` 100\.64\.0\.10\/32 lies inside 100\.64\.0\.0\/16, the CIDR of the VPC that hosts the SFTP endpoint/);
    expect(build({ advertisedCidr: '172.16.0.0/26' }, prodFixture())).toThrow(
      '  - `advertisedCidr` 172.16.0.0/26 lies outside the VPC CIDR 10.0.0.0/18 (`vpc`); it must be the range of the endpoint subnets in this VPC.');
    const withSecondary = prodFixture();
    new ec2.CfnVPCCidrBlock(withSecondary.stack, 'Secondary', { vpcId: withSecondary.vpc.vpcId, cidrBlock: '100.64.0.0/16' });
    expect(build({ advertisedCidr: '192.168.0.0/26' }, withSecondary)).toThrow(
      '  - `advertisedCidr` 192.168.0.0/26 lies outside the VPC CIDRs 10.0.0.0/18, 100.64.0.0/16 (`vpc`); it must be the range of the endpoint subnets in this VPC.');
  });

  test('a PostgreSQL database newer than the dump image\'s client', () => {
    const f = prodFixture();
    const pg18 = new rds.DatabaseInstance(f.stack, 'Pg18', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_18_1 }),
      vpc: f.vpc,
      vpcSubnets: { subnetGroupName: 'data' },
      credentials: rds.Credentials.fromGeneratedSecret('postgres'),
    });
    expect(build({ database: pg18, databaseSecret: pg18.secret }, f)).toThrow(header('1 problem') +
      '  - `database` "PostgreSQL 18" is newer than the PostgreSQL 17 client of the dump image, and pg_dump refuses to dump a server newer than itself, ' +
      'so every nightly dump would fail. Keep the database on PostgreSQL 17 or older (e.g. rds.PostgresEngineVersion.VER_17_9), or upgrade ' +
      'cdk-gov-hybrid-network to a release whose dump image carries a newer client.');
  });

  test('several problems at once are reported together, in prop order', () => {
    expect(build({ backupServerAddress: '10.0.5.10', schedule: 'cron(0 25 * * ? *)', retentionDays: 0 })).toThrow(new RegExp(
      '^Invalid SftpBackupBridge props at Prod/Backup \\(3 problems\\):\n  - `backupServerAddress` .*\n  - `schedule` .*\n  - `retentionDays` .*$'));
  });
});
