import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { createEncryptedLogGroup, createEncryptionKey } from '../../src/private/encrypted-log-group';

test('creates retained, KMS-encrypted log groups and lets CloudWatch Logs use the key once', () => {
  const stack = new Stack(new App(), 'S', { env: { account: '333333333333', region: 'ap-northeast-1' } });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  createEncryptedLogGroup(stack, 'A', { encryptionKey: key, retention: logs.RetentionDays.ONE_YEAR });
  createEncryptedLogGroup(stack, 'B', { encryptionKey: key, retention: logs.RetentionDays.ONE_MONTH, logGroupName: 'aws-waf-logs-x' });
  const template = Template.fromStack(stack);
  template.hasResource('AWS::Logs::LogGroup', {
    Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } },
    DeletionPolicy: 'Retain',
  });
  template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'aws-waf-logs-x', RetentionInDays: 30 });
  const statements = Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
  const logsStatements = statements.filter((s: any) => s.Sid === 'AllowCloudWatchLogsEncryption');
  expect(logsStatements).toEqual([{
    Sid: 'AllowCloudWatchLogsEncryption',
    Effect: 'Allow',
    Principal: { Service: 'logs.ap-northeast-1.amazonaws.com' },
    Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    Resource: '*',
    Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:ap-northeast-1:333333333333:log-group:*']] } } },
  }]);
});

test('createEncryptionKey: rotation on, retained, and the CloudWatch Logs statement only when asked', () => {
  const stack = new Stack(new App(), 'S', { env: { account: '333333333333', region: 'ap-northeast-1' } });
  createEncryptionKey(stack, 'Plain', { description: 'plain key' });
  createEncryptionKey(stack, 'ForLogs', { description: 'log key', allowCloudWatchLogs: true });
  const template = Template.fromStack(stack);
  const keys = template.findResources('AWS::KMS::Key');
  for (const key of Object.values(keys)) {
    expect(key).toMatchObject({ Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  }
  const sids = (description: string) => Object.values(keys).find((k: any) => k.Properties.Description === description)!
    .Properties.KeyPolicy.Statement.map((s: any) => s.Sid);
  expect(sids('plain key')).not.toContain('AllowCloudWatchLogsEncryption');
  expect(sids('log key')).toContain('AllowCloudWatchLogsEncryption');
});
